"""One API call through the generated client: what to send, and what an attempt's outcome means.

Everything here is shared by `FalAssets` and `AsyncFalAssets`; their retry loops only add the I/O.

The generated `*_detailed` functions take no per-request timeout or auth and raise (instead of returning)
when a body fails to parse, which would lose the response. So each attempt runs inside an
`AttemptContext` held in a ContextVar, and two httpx event hooks installed on the client's httpx client
read it: the request hook adds the Authorization header and the attempt's timeout, the response hook
keeps the raw response. Requests made outside an attempt (uploads to the CDN, presigned URLs) are left
alone, so the API key can only ever travel with API calls.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx
from fal_assets_api.types import Response

from ._auth import ApiKey
from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    FalAssetsError,
    error_from_response,
)
from ._retry import Deadline, RetryPolicy

logger = logging.getLogger("fal_assets")

T = TypeVar("T")


@dataclass(frozen=True)
class Call(Generic[T]):
    """An API operation bound to its arguments. `idempotency_key`, when set, is already in `kwargs` and
    therefore identical on every attempt."""

    operation: str
    sync_fn: Callable[..., Response[Any]]
    async_fn: Callable[..., Awaitable[Response[Any]]]
    kwargs: dict[str, Any]
    success_status: int
    extract: Callable[[Any], T]
    idempotency_key: str | None = None


@dataclass(frozen=True)
class CallOptions:
    """Per-call overrides of the client's settings."""

    timeout: httpx.Timeout
    retry: RetryPolicy
    deadline: float | None = None


@dataclass
class AttemptContext:
    # The ApiKey, not its header: a dict holding the key would show in every traceback that renders frame
    # locals (pytest -l, loguru's diagnose, rich's show_locals, crash reporters).
    api_key: ApiKey
    timeout: httpx.Timeout
    response: httpx.Response | None = None
    request: httpx.Request | None = None


_current_attempt: ContextVar[AttemptContext | None] = ContextVar("fal_assets_attempt", default=None)


def _on_request(request: httpx.Request) -> None:
    attempt = _current_attempt.get()
    if attempt is not None:
        request.headers.update(attempt.api_key.header())
        request.extensions["timeout"] = attempt.timeout.as_dict()
        attempt.request = request


def _on_response(response: httpx.Response) -> None:
    attempt = _current_attempt.get()
    if attempt is not None:
        attempt.response = response


async def _on_request_async(request: httpx.Request) -> None:
    _on_request(request)


async def _on_response_async(response: httpx.Response) -> None:
    _on_response(response)


def install_hooks(http: httpx.Client | httpx.AsyncClient) -> None:
    """Add the attempt hooks to an httpx client (ours or the caller's), once."""
    hooks = http.event_hooks
    request_hook, response_hook = (
        (_on_request_async, _on_response_async)
        if isinstance(http, httpx.AsyncClient)
        else (_on_request, _on_response)
    )
    if request_hook not in hooks["request"]:
        http.event_hooks = {
            "request": [*hooks["request"], request_hook],
            "response": [*hooks["response"], response_hook],
        }


@contextmanager
def attempt_context(api_key: ApiKey, timeout: httpx.Timeout) -> Iterator[AttemptContext]:
    attempt = AttemptContext(api_key=api_key, timeout=timeout)
    token = _current_attempt.set(attempt)
    try:
        yield attempt
    finally:
        _current_attempt.reset(token)


@dataclass
class Outcome(Generic[T]):
    value: T | None = None
    error: FalAssetsError | None = None
    retryable: bool = False
    response: httpx.Response | None = None


@dataclass
class CallState(Generic[T]):
    """The retry loop's bookkeeping for one call: attempt count, deadline, and the decisions."""

    call: Call[T]
    options: CallOptions
    attempts: int = 0
    deadline: Deadline = field(init=False)
    _started: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        self.deadline = Deadline(self.options.deadline)

    def begin_attempt(self) -> httpx.Timeout:
        self.attempts += 1
        self._started = time.perf_counter()
        return self.deadline.clamp(self.options.timeout)

    def outcome(
        self, result: Response[Any] | None, exc: BaseException | None, attempt: AttemptContext
    ) -> Outcome[T]:
        if attempt.request is not None:
            # Errors keep their response, and the response (or the transport error) its request: once sent,
            # the key must not stay in it, where pickling an error or a debugger would find it.
            attempt.request.headers["Authorization"] = "[redacted]"
        outcome = self._interpret(result, exc, attempt.response)
        self._log(outcome)
        return outcome

    def _interpret(
        self, result: Response[Any] | None, exc: BaseException | None, response: httpx.Response | None
    ) -> Outcome[T]:
        if isinstance(exc, httpx.TimeoutException):
            return Outcome(
                error=APITimeoutError(f"request timed out: {exc}", request=_request_of(exc)), retryable=True
            )
        if isinstance(exc, httpx.TransportError):
            message = f"connection error: {type(exc).__name__}: {exc}"
            return Outcome(error=APIConnectionError(message, request=_request_of(exc)), retryable=True)
        if response is None:
            # Not an HTTP failure at all (a bug or a bad argument reaching httpx): let it surface as is.
            raise exc if exc is not None else RuntimeError("no response was recorded for the attempt")
        if response.status_code != self.call.success_status and 200 <= response.status_code < 300:
            # A success, but not the documented one (a 200 with a body where DELETE documents 204): not an
            # error status, so neither an APIStatusError nor retried; the write may well have happened.
            expected = f"expected {self.call.success_status}, got {response.status_code}"
            return Outcome(error=_malformed(response, expected), response=response)
        if response.status_code != self.call.success_status:
            error = error_from_response(response)
            return Outcome(
                error=error,
                retryable=self.options.retry.retryable_status(response.status_code),
                response=response,
            )
        if exc is not None or result is None:
            reason = f"{type(exc).__name__}: {exc}" if exc is not None else "no result"
            return Outcome(error=_malformed(response, reason), response=response)
        try:
            return Outcome(value=self.call.extract(result.parsed), response=response)
        except (AttributeError, KeyError, TypeError, ValueError) as err:
            return Outcome(error=_malformed(response, f"{type(err).__name__}: {err}"), response=response)

    def retry_delay(self, outcome: Outcome[T]) -> float | None:
        """Seconds to wait before the next attempt, or None when the call should fail now."""
        if not outcome.retryable or self.attempts > self.options.retry.max_retries:
            return None
        headers = outcome.response.headers if outcome.response is not None else None
        delay = self.options.retry.delay(self.attempts, headers)
        if not self.deadline.allows_wait(delay):
            return None
        return delay

    def failure(self, outcome: Outcome[T]) -> FalAssetsError:
        """The error to raise, knowing how many attempts were made."""
        error = outcome.error
        assert error is not None
        if isinstance(error, APIStatusError | APIConnectionError | APIResponseValidationError):
            error.attempts = self.attempts
        if (
            isinstance(error, APIConnectionError)
            and self.deadline.expired()
            and not isinstance(error, APITimeoutError)
        ):
            return APITimeoutError(
                f"deadline of {self.options.deadline}s exceeded: {error}", attempts=self.attempts
            )
        return error

    def _log(self, outcome: Outcome[T]) -> None:
        if not logger.isEnabledFor(logging.DEBUG):
            return
        elapsed_ms = (time.perf_counter() - self._started) * 1000
        status: object = (
            outcome.response.status_code if outcome.response is not None else type(outcome.error).__name__
        )
        request = outcome.response.request if outcome.response is not None else None
        target = f"{request.method} {request.url.path}" if request is not None else self.call.operation
        logger.debug(
            "%s %s -> %s attempt=%d elapsed_ms=%.1f",
            self.call.operation,
            target,
            status,
            self.attempts,
            elapsed_ms,
        )


def _request_of(exc: httpx.HTTPError) -> httpx.Request | None:
    try:
        return exc.request
    except RuntimeError:
        return None


def _malformed(response: httpx.Response, reason: str) -> APIResponseValidationError:
    return APIResponseValidationError(
        f"{response.status_code} response body does not match the API schema ({reason})", response=response
    )
