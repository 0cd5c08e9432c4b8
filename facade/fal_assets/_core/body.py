"""A response body as the engine reads it, and the `Reply` parsers see.

`CappedBody` collects a body decoded (gzip, deflate) and capped: a gzip bomb stops at the cap, and between
chunks the current attempt's end and interrupt are checked, which is what bounds the attempts of a
caller's own `http_client`, whose sockets this package does not own.
"""

from __future__ import annotations

import zlib

import httpx

from .attempt import current_scope

__all__ = ["BodyTooLarge", "CappedBody", "Reply", "synthesized"]


class BodyTooLarge(Exception):
    """A response body grew past its cap (counted after decompression)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the response body exceeds {limit} bytes")
        self.limit = limit


class _Decoder:
    """Content-Encoding decoding that never inflates more than the cap (a gzip bomb stops at the cap)."""

    def __init__(self, encoding: str | None, limit: int) -> None:
        encoding = (encoding or "identity").strip().lower()
        if encoding in ("", "identity"):
            self._zlib = None
        elif encoding in ("gzip", "x-gzip", "deflate"):
            # 32 + MAX_WBITS: zlib detects the gzip or zlib header itself.
            self._zlib = zlib.decompressobj(32 + zlib.MAX_WBITS)
        else:
            raise httpx.DecodingError(f"unsupported Content-Encoding {encoding!r}")
        self._limit = limit
        self._parts: list[bytes] = []
        self.size = 0

    def feed(self, data: bytes) -> bool:
        """Add raw bytes; False once the decoded body is over the cap."""
        if self._zlib is not None:
            try:
                data = self._zlib.decompress(data, self._limit - self.size + 1)
            except zlib.error as exc:
                raise httpx.DecodingError(f"undecodable response body: {exc}") from None
        self.size += len(data)
        if self.size > self._limit:
            return False
        self._parts.append(data)
        return True

    def finish(self) -> bytes:
        if self._zlib is not None and not self._zlib.eof and self._parts:
            tail = self._zlib.flush()
            self.size += len(tail)
            self._parts.append(tail)
        return b"".join(self._parts)


class CappedBody:
    """Collects a response body, decoded, up to `limit` bytes: past it, the rest is left unread
    (`truncate`) or BodyTooLarge is raised. Between chunks, the attempt's end and interrupt are checked."""

    def __init__(self, response: httpx.Response, limit: int, *, truncate: bool) -> None:
        # A transport may hand over a response already read (httpx.MockTransport, respx): its content is
        # decoded already, and in memory.
        self.preloaded = response.is_stream_consumed
        encoding = None if self.preloaded else response.headers.get("content-encoding")
        self._decoder = _Decoder(encoding, limit)
        self._limit = limit
        self._truncate = truncate

    def feed(self, chunk: bytes) -> bool:
        """False when nothing more should be read."""
        if not self._decoder.feed(chunk):
            if self._truncate:
                return False
            raise BodyTooLarge(self._limit)
        scope = current_scope()
        if scope is not None:
            scope.interrupt.check()
            remaining = scope.remaining()
            if remaining is not None and remaining <= 0:
                raise httpx.ReadTimeout("the attempt ran out of time while reading the body")
        return True

    def result(self) -> bytes:
        return self._decoder.finish()[: self._limit]


class Reply:
    """A reply as parsers see it: status, headers and the capped, decoded body. `response`, an
    `httpx.Response` holding that body (what errors keep), is built only when asked for."""

    __slots__ = ("_raw", "_response", "content", "headers", "status_code")

    def __init__(self, raw: httpx.Response, body: bytes) -> None:
        self._raw = raw
        self._response: httpx.Response | None = None
        self.content = body
        self.headers = raw.headers
        self.status_code = raw.status_code

    @property
    def is_success(self) -> bool:
        return 200 <= self.status_code < 300

    @property
    def response(self) -> httpx.Response:
        if self._response is None:
            self._response = synthesized(self._raw, self.content)
        return self._response


def synthesized(response: httpx.Response, body: bytes) -> httpx.Response:
    """The response as errors keep it: the decoded, capped body, no encoding headers, no connection."""
    skip = {b"content-encoding", b"content-length", b"transfer-encoding"}
    headers = [(k, v) for k, v in response.headers.raw if k.lower() not in skip]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=body,
        request=response.request,
        extensions={k: v for k, v in response.extensions.items() if k in ("http_version", "reason_phrase")},
    )
