"""Summaries of repeated measurements."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Summary:
    values: tuple[float, ...]

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        if not values:
            raise ValueError("no measurements to summarise")
        return cls(tuple(values))

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)

    @property
    def runs(self) -> int:
        return len(self.values)

    @property
    def iqr(self) -> tuple[float, float]:
        """Quartiles; with fewer than 4 runs they collapse onto min and max, which say more."""
        if len(self.values) < 4:
            return self.low, self.high
        q1, _, q3 = statistics.quantiles(self.values, n=4, method="inclusive")
        return q1, q3

    @property
    def deciles(self) -> tuple[float, float]:
        """The 10th and 90th percentiles; with fewer than 10 runs, min and max."""
        if len(self.values) < 10:
            return self.low, self.high
        cuts = statistics.quantiles(self.values, n=10, method="inclusive")
        return cuts[0], cuts[-1]


def ratio(numerator: Summary, denominator: Summary) -> float:
    return numerator.median / denominator.median
