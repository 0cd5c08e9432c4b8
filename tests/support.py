"""Typed helpers shared by the tests (checked by mypy --strict with the facade)."""

from __future__ import annotations

import collections
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fal_assets import AsyncFalAssets, FalAssets
from fal_assets.testing import FakeFal, RecordedRequest

SEED_ID = "d7tatpsregjaga2cf3d0"
VECTOR_ID = "019e6d0a-e5be-7b82-b329-35ae64296902"


class Sleeps:
    """Stands in for time.sleep / asyncio.sleep: records the waits, never waits."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.waits.append(seconds)


def sync_client(fake: FakeFal, sleeps: Sleeps | None = None, **overrides: Any) -> FalAssets:
    kwargs: dict[str, Any] = {**fake.client_kwargs(), "sleep": sleeps or Sleeps(), **overrides}
    return FalAssets(**kwargs)


def async_client(fake: FakeFal, sleeps: Sleeps | None = None, **overrides: Any) -> AsyncFalAssets:
    kwargs: dict[str, Any] = {**fake.client_kwargs(), "sleep": (sleeps or Sleeps()).async_sleep, **overrides}
    return AsyncFalAssets(**kwargs)


def api_requests(fake: FakeFal, operation: str | None = None) -> list[RecordedRequest]:
    """The recorded requests to the Platform API (not storage), optionally of one operation."""
    return [
        r
        for r in fake.requests
        if r.path.startswith("/v1/") and (operation is None or r.operation == operation)
    ]


def json_body(request: RecordedRequest) -> Any:
    return json.loads(request.body)


@contextmanager
def served(**kwargs: Any) -> Iterator[FakeFal]:
    with FakeFal.serve(**kwargs) as fake:
        yield fake


def report_tally_line(request: pytest.FixtureRequest, group: str, tally: collections.Counter[str]) -> None:
    """One summary line per module on the terminal (the figures quoted in tests/RELIABILITY.md)."""
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None or not tally:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(
            f"\nreliability[{group}]: " + ", ".join(f"{k}={v}" for k, v in sorted(tally.items()))
        )
