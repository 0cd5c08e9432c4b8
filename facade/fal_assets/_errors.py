"""The exception hierarchy, and the one function that turns an HTTP response into one of them."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

# Not `typing.TYPE_CHECKING`: the command line imports the errors, and its --help pays for every module.
TYPE_CHECKING = False
if TYPE_CHECKING:
    # Only annotations need these: the errors load without httpx (or typing, or json).
    from typing import Any

    import httpx

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConflictError",
    "ContentMismatchError",
    "DownloadError",
    "DownloadFailure",
    "FalAssetsError",
    "InternalServerError",
    "MissingApiKeyError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "SourceChangedError",
    "StorageProtocolError",
    "UnprocessableEntityError",
    "UploadError",
    "UploadFailure",
    "ValidationError",
    "error_from_response",
]


class FalAssetsError(Exception):
    """Base class of every error this package raises.

    Every one survives a pickle round trip (multiprocessing, task queues) with its message, status and
    request id; the HTTP request and response it may hold are left behind, and with them any credential.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        state = {k: (None if k in _NOT_PICKLED else v) for k, v in self.__dict__.items()}
        return (_restore, (type(self), self.args), state)


_NOT_PICKLED = frozenset({"response", "request"})


def _restore(cls: type[FalAssetsError], args: tuple[Any, ...]) -> FalAssetsError:
    # Rebuilt without __init__: subclasses take keyword-only or structured arguments.
    error = cls.__new__(cls)
    error.args = args
    return error


class MissingApiKeyError(FalAssetsError):
    """No API key was given and none is in the environment."""


class StorageProtocolError(FalAssetsError):
    """The storage service answered something this client will not act on (e.g. a URL on an origin that
    must not receive the upload token)."""


class SourceChangedError(FalAssetsError):
    """A local input changed (size or modification time) between hashing and the end of its upload, so the
    bytes sent would not be the bytes checked. Never retried."""


class ClientClosedError(FalAssetsError, RuntimeError):
    """A call on a client after `close()` (also a `RuntimeError`, what httpx raises there). Nothing sent."""


class ValidationError(FalAssetsError, ValueError):
    """Bad input, found before any byte left the machine.

    `field` names the argument at fault (`"name"`, `"reference_images[3]"`, ...) when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class APIConnectionError(FalAssetsError):
    """The request did not get an HTTP response (DNS, refused, reset, TLS...).

    `attempts` counts the tries made, retries included.
    """

    def __init__(self, message: str, *, request: httpx.Request | None = None, attempts: int = 1) -> None:
        super().__init__(message)
        self.request = request
        self.attempts = attempts


class APITimeoutError(APIConnectionError):
    """A request, or the call's overall `deadline`, ran out of time."""


class APIResponseValidationError(FalAssetsError):
    """A successful status came with a body that is not what the spec promises (truncated, not JSON,
    wrong shape or types)."""

    def __init__(self, message: str, *, response: httpx.Response | None = None, attempts: int = 1) -> None:
        super().__init__(message)
        self.response = response
        self.status_code = response.status_code if response is not None else None
        self.request_id = _request_id_header(response.headers) if response is not None else None
        self.attempts = attempts


class ResponseTooLargeError(APIResponseValidationError):
    """A reply body was larger (once decompressed) than this client reads; `limit` is the cap in bytes."""

    def __init__(self, message: str, *, limit: int) -> None:
        super().__init__(message)
        self.limit = limit


class APIStatusError(FalAssetsError):
    """fal answered with an error status. Subclasses exist for each documented status."""

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        error_type: str | None = None,
        request_id: str | None = None,
        docs_url: str | None = None,
        attempts: int = 1,
    ) -> None:
        self.status_code = response.status_code
        self.message = message
        self.error_type = error_type
        self.request_id = request_id
        self.docs_url = docs_url
        self.response = response
        self.attempts = attempts
        super().__init__(self._describe())

    def _describe(self) -> str:
        head = f"{self.status_code} {self.error_type}" if self.error_type else str(self.status_code)
        text = f"{head}: {self.message}"
        if self.request_id:
            text += f" (request_id={self.request_id})"
        return text

    def __str__(self) -> str:
        # attempts can be raised after construction (the retry loop learns it last).
        suffix = f" after {self.attempts} attempts" if self.attempts > 1 else ""
        return self._describe() + suffix


class BadRequestError(APIStatusError):
    """400"""


class AuthenticationError(APIStatusError):
    """401: missing or wrong API key."""


class PermissionDeniedError(APIStatusError):
    """403"""


class NotFoundError(APIStatusError):
    """404: no such character."""


class ConflictError(APIStatusError):
    """409: never retried, since repeating a conflicting write cannot help."""


class UnprocessableEntityError(APIStatusError):
    """422: fal rejected the request body."""


class RateLimitError(APIStatusError):
    """429"""


class InternalServerError(APIStatusError):
    """Any status >= 500."""


class UploadFailure:
    """What happened to one input of an upload batch: `url` on success, `error` otherwise."""

    __slots__ = ("error", "input", "url")

    def __init__(self, input: object, url: str | None, error: BaseException | None) -> None:
        self.input = input
        self.url = url
        self.error = error

    def __reduce__(self) -> tuple[Any, ...]:
        # A file object cannot cross a process boundary; its description can.
        plain = self.input is None or isinstance(self.input, str | bytes | os.PathLike)
        return (UploadFailure, (self.input if plain else _describe_input(self.input), self.url, self.error))

    def __repr__(self) -> str:
        outcome = f"url={self.url!r}" if self.error is None else f"error={self.error!r}"
        return f"UploadFailure(input={_describe_input(self.input)}, {outcome})"


class UploadError(FalAssetsError):
    """At least one upload of a batch failed; nothing was written to the character.

    `results` has one entry per input, in input order, with its URL or its error.
    """

    def __init__(self, results: Sequence[UploadFailure]) -> None:
        self.results = list(results)
        failed = [r for r in self.results if r.error is not None]
        lines = [f"{len(failed)} of {len(self.results)} uploads failed:"]
        lines += [f"  {_describe_input(r.input)}: {r.error}" for r in failed]
        super().__init__("\n".join(lines))

    @property
    def errors(self) -> list[BaseException]:
        return [r.error for r in self.results if r.error is not None]


class ContentMismatchError(FalAssetsError):
    """A download's bytes are not what was announced or expected (length, range, encoding or sha256)."""


class DownloadFailure:
    """What happened to one download of a batch: `error` is None when its file is in place at `path`."""

    __slots__ = ("error", "path", "url")

    def __init__(self, url: str, path: os.PathLike[str], error: BaseException | None) -> None:
        self.url = url
        self.path = path
        self.error = error

    def __repr__(self) -> str:
        return f"DownloadFailure(url={self.url!r}, path={str(self.path)!r}, error={self.error!r})"


class DownloadError(FalAssetsError):
    """At least one download of a batch failed; `results` has one entry per download, in order. The
    others are complete, in place; a failed one left at most its temporary file, which a rerun resumes."""

    def __init__(self, results: Sequence[DownloadFailure]) -> None:
        self.results = list(results)
        failed = [r for r in self.results if r.error is not None]
        lines = [f"{len(failed)} of {len(self.results)} downloads failed:"]
        lines += [f"  {r.url}: {r.error}" for r in failed]
        super().__init__("\n".join(lines))

    @property
    def errors(self) -> list[BaseException]:
        return [r.error for r in self.results if r.error is not None]


def _describe_input(value: object) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(value)} bytes>"
    name = getattr(value, "name", None)
    if name is not None and not isinstance(value, str):
        return repr(str(name))
    return repr(value) if len(repr(value)) <= 200 else repr(value)[:200] + "..."


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def _request_id_header(headers: Mapping[str, str]) -> str | None:
    for name in ("x-fal-request-id", "x-request-id", "request-id"):
        if name in headers:
            return headers[name]
    return None


def _read_body(response: httpx.Response) -> Any:
    import json

    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None


def error_from_response(response: httpx.Response, *, attempts: int = 1) -> APIStatusError:
    """Map an error response to its exception, whatever its body: fal's `{"error": {...}}`, FastAPI-style
    `{"detail": ...}`, other JSON, HTML or nothing."""
    body = _read_body(response)
    error_type: str | None = None
    message: str | None = None
    request_id: str | None = None
    docs_url: str | None = None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        # Read field by field rather than through the generated model: an error body is read whatever
        # fal put in it (a newer error type, a missing field), and each field is a string or nothing.
        raw: dict[str, Any] = body["error"]
        error_type = _str_or_none(raw.get("type"))
        message = _str_or_none(raw.get("message"))
        request_id = _str_or_none(raw.get("request_id"))
        docs_url = _str_or_none(raw.get("docs_url"))
    elif isinstance(body, dict) and "detail" in body:
        detail = body["detail"]
        import json

        message = detail if isinstance(detail, str) else json.dumps(detail)[:500]
    if message is None:
        text = response.content.decode("utf-8", "replace").strip()
        message = text[:200] if text else (response.reason_phrase or "no response body")
        if len(text) > 200:
            message += "..."
    cls = _BY_STATUS.get(response.status_code)
    if cls is None:
        cls = InternalServerError if response.status_code >= 500 else APIStatusError
    return cls(
        message,
        response=response,
        error_type=error_type,
        request_id=request_id or _request_id_header(response.headers),
        docs_url=docs_url,
        attempts=attempts,
    )


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None
