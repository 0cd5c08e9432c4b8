"""What one call may spend: the per-call options as callers give them, and the `Budget` they become.

A call's budget is shared by every request it makes (API call and uploads, in any thread or task): the
timeout of each attempt, the retries, the deadline for the whole call, and the interrupt that stops it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TypedDict

import httpx

from .._errors import APITimeoutError
from .retry import Deadline, RetryPolicy
from .transport import AttemptScope, Interrupt

__all__ = ["Budget", "DeadlineExceeded", "RequestOptions", "WriteOptions"]


class RequestOptions(TypedDict, total=False):
    """Per-call options, taken by every operation as `**options`.

    - `timeout`: a number bounds each attempt as a whole, from connect to the last body byte; an
      `httpx.Timeout` keeps httpx's meaning (each connect, read, write and pool wait on its own).
    - `max_retries`: retries after the first attempt (retryable statuses and connection failures).
    - `deadline`: seconds for the whole call: uploads, every attempt, and every wait between them.
    """

    timeout: float | httpx.Timeout | None
    max_retries: int | None
    deadline: float | None


class WriteOptions(RequestOptions, total=False):
    """Options of a write: also `idempotency_key`, sent unchanged on every attempt (a UUID by default)."""

    idempotency_key: str | None


@dataclass(slots=True, eq=False)
class Budget:
    """What one call may spend, shared by all its requests (and their threads or tasks). Never changed
    once made; not a frozen dataclass only because one is made per call, and freezing costs 2 us of it."""

    timeout: httpx.Timeout
    attempt_limit: float | None  # seconds per whole attempt, when `timeout` was given as a number
    retry: RetryPolicy
    deadline: Deadline
    deadline_seconds: float | None = None
    interrupt: Interrupt = field(default_factory=Interrupt)

    def scope(self) -> AttemptScope:
        """The next attempt's bounds; raises when the call may not start another one."""
        self.interrupt.check()
        end: float | None = None
        if self.attempt_limit is not None:
            end = time.monotonic() + self.attempt_limit
        remaining = self.deadline.remaining()
        if remaining is not None:
            if remaining <= 0:
                raise DeadlineExceeded
            end = min(end, time.monotonic() + remaining) if end is not None else time.monotonic() + remaining
        return AttemptScope(end, self.interrupt)

    def timeouts(self, scope: AttemptScope) -> httpx.Timeout:
        """httpx's per-operation timeouts, none longer than what the attempt has left."""
        left = scope.remaining()
        if left is None:
            return self.timeout
        left = max(left, 0.001)

        def cap(value: float | None) -> float:
            return left if value is None else min(value, left)

        t = self.timeout
        return httpx.Timeout(connect=cap(t.connect), read=cap(t.read), write=cap(t.write), pool=cap(t.pool))

    def expired(self) -> bool:
        return self.deadline.expired()

    def deadline_error(self, what: str, attempts: int) -> APITimeoutError:
        return APITimeoutError(f"{what}: deadline of {self.deadline_seconds}s exceeded", attempts=attempts)


class DeadlineExceeded(Exception):
    pass
