"""The fake's clock: a base time source plus an offset that tests move forward with `FakeFal.advance`."""

from __future__ import annotations

import threading
from collections.abc import Callable


class TestClock:
    """Seconds since the epoch: ``base() + offset``. Advancing never sleeps and never moves backwards."""

    __test__ = False  # not a pytest test class, despite the name

    def __init__(self, base: Callable[[], float]) -> None:
        self._base = base
        self._offset = 0.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self._base() + self._offset

    def advance(self, seconds: float) -> None:
        if not seconds >= 0:
            raise ValueError(f"seconds must be >= 0, got {seconds!r}")
        with self._lock:
            self._offset += float(seconds)
