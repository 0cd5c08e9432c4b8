"""When to retry and how long to wait: pure decisions shared by the sync and async clients and uploads."""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

# 409 is deliberately absent: a conflict repeated is still a conflict (fal-client retries it; we do not).
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})

DEFAULT_MAX_RETRIES = 2
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter, overridden by what the server asks for.

    `max_server_wait` caps a `Retry-After` / `x-ratelimit-reset` request, so that a confused server cannot
    park a call for an hour; `deadline`s of calls bound everything further.
    """

    max_retries: int = DEFAULT_MAX_RETRIES
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_server_wait: float = 60.0
    jitter: Callable[[], float] = field(default=random.random, repr=False)

    def retryable_status(self, status_code: int) -> bool:
        return status_code in RETRYABLE_STATUSES

    def backoff(self, retry_number: int) -> float:
        """Delay before retry number `retry_number` (1 for the first retry), ignoring server hints."""
        base = min(self.initial_delay * 2.0 ** (retry_number - 1), self.max_delay)
        return base * (0.75 + 0.25 * self.jitter())

    def delay(self, retry_number: int, headers: Mapping[str, str] | None = None) -> float:
        """The wait before a retry: what the server asked for when it said, else the backoff."""
        asked = server_wait(headers) if headers is not None else None
        if asked is not None:
            return min(asked, self.max_server_wait)
        return self.backoff(retry_number)


def server_wait(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds the server asked us to wait via `Retry-After` (seconds or HTTP date) or
    `x-ratelimit-reset` (seconds from now, or a Unix time), or None when it did not say."""
    now = time.time() if now is None else now
    value = headers.get("retry-after")
    if value is not None:
        value = value.strip()
        try:
            return max(0.0, float(value))
        except ValueError:
            parsed = email.utils.parsedate_tz(value)
            if parsed is not None:
                return max(0.0, email.utils.mktime_tz(parsed) - now)
    value = headers.get("x-ratelimit-reset")
    if value is not None:
        try:
            reset = float(value.strip())
        except ValueError:
            return None
        # Large numbers are timestamps, small ones are deltas; a billion seconds is 1973 or 31 years.
        return max(0.0, reset - now) if reset > 1e9 else max(0.0, reset)
    return None


class Deadline:
    """An optional overall time budget for one call: all attempts plus the waits between them."""

    def __init__(self, seconds: float | None, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._end = None if seconds is None else clock() + seconds

    def remaining(self) -> float | None:
        return None if self._end is None else max(0.0, self._end - self._clock())

    def expired(self) -> bool:
        remaining = self.remaining()
        return remaining is not None and remaining <= 0

    def allows_wait(self, seconds: float) -> bool:
        remaining = self.remaining()
        return remaining is None or seconds < remaining
