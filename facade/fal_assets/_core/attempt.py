"""What one call may spend, and what one attempt of it must respect.

The per-call options as callers give them become a `Budget`, shared by every request of the call (API call
and uploads, in any thread or task): the timeout of each attempt, the retries (`retry.py`), the deadline
for the whole call, and the `Interrupt` that stops it. Each attempt gets an `AttemptScope` (its end time and
the interrupt), made current in its thread or task by `InAttempt`, for the sockets (`sockets.py`) and the
body reads (`body.py`) below the engine to honour.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TypedDict

import httpx

from .._errors import APITimeoutError
from .retry import Deadline, RetryPolicy

__all__ = [
    "AttemptScope",
    "Budget",
    "DeadlineExceeded",
    "InAttempt",
    "Interrupt",
    "Interrupted",
    "RequestOptions",
    "WriteOptions",
    "current_scope",
]


class Interrupted(Exception):
    """The call was interrupted (Ctrl-C, `close()`): internal, the engine turns it into a typed error."""


class Interrupt:
    """Stops a call's requests: no attempt starts once set, and sockets in use are shut down."""

    def __init__(self) -> None:
        # Every call has one, and most are never set nor waited on: the Event is made by the first wait.
        self._set = False
        self._event: threading.Event | None = None
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self.reason = "interrupted"

    def is_set(self) -> bool:
        return self._set

    def set(self, reason: str) -> None:
        with self._lock:
            if self._set:
                return
            self.reason = reason
            self._set = True
            event = self._event
            sockets = list(self._sockets)
        if event is not None:
            event.set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def wait(self, seconds: float) -> None:
        """Sleep, unless interrupted first."""
        with self._lock:
            if self._event is None:
                self._event = threading.Event()
                if self._set:
                    self._event.set()
            event = self._event
        if event.wait(seconds):
            raise Interrupted(self.reason)

    def check(self) -> None:
        if self._set:
            raise Interrupted(self.reason)

    def register(self, sock: socket.socket) -> None:
        """`sock` is in use by this call until `unregister`: set() shuts it down."""
        with self._lock:
            if self._set:
                raise Interrupted(self.reason)
            self._sockets.add(sock)

    def unregister(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)


@dataclass(slots=True, eq=False)
class AttemptScope:
    """What the sockets of the current attempt must respect. `sockets`: those the attempt has used so far,
    registered with the interrupt once each (not around every read and write) until `release`."""

    end: float | None  # time.monotonic() at which the attempt is over, or None
    interrupt: Interrupt
    sockets: list[socket.socket] = field(default_factory=list)

    def remaining(self) -> float | None:
        return None if self.end is None else self.end - time.monotonic()

    def release(self) -> None:
        """The attempt is done with its sockets: an interrupt of the call no longer reaches them. Called
        before the response is closed, since closing it may hand its connection to another call."""
        while self.sockets:
            self.interrupt.unregister(self.sockets.pop())


_scope: ContextVar[AttemptScope | None] = ContextVar("fal_assets_attempt", default=None)


class InAttempt:
    """`with InAttempt(scope):` makes `scope` the attempt in progress in this thread or task, for its sockets
    and body reads (a class: a generator context manager costs a microsecond more on every attempt)."""

    __slots__ = ("_scope", "_token")

    def __init__(self, scope: AttemptScope) -> None:
        self._scope = scope

    def __enter__(self) -> None:
        self._token = _scope.set(self._scope)

    def __exit__(self, *exc_info: object) -> None:
        self._scope.release()
        _scope.reset(self._token)


def current_scope() -> AttemptScope | None:
    return _scope.get()


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
