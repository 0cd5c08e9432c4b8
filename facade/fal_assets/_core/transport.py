"""Below the engine: sockets that honour an attempt's end time and its interrupt, capped body reads, and
the pooled httpx clients this package creates.

httpx's timeouts bound each socket operation, so a server trickling one byte a second keeps a request
alive forever. Clients we create therefore wrap httpcore's network backend: every connect, read and write
is clamped to the end of the current attempt (held in a ContextVar by the engine), and the sockets in use
are registered with the call's `Interrupt`, which shuts them down to stop a blocked read at once (Ctrl-C,
`close()`). A caller's own `http_client` keeps its transport untouched; its attempts are bounded between
body chunks and by per-operation timeouts clamped to what the attempt has left.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import httpx

__all__ = [
    "AttemptScope",
    "BodyTooLarge",
    "CappedBody",
    "InAttempt",
    "Interrupt",
    "Interrupted",
    "Reply",
    "make_async_client",
    "make_sync_client",
    "redact_in_httpx_logs",
]

# Upload concurrency plus headroom for API calls made meanwhile from other threads. Keep-alive equals the
# maximum: with fewer, httpcore closes surplus idle connections whenever more than that many finish at once
# and then opens new ones, so a busy client would pay a TCP + TLS handshake per request.
POOL_LIMITS = httpx.Limits(max_connections=32, max_keepalive_connections=32)


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


def _bounded_transport(proxy: str | None = None) -> httpx.BaseTransport:
    from .sockets import (
        BoundedTransport,
    )  # httpcore loads with the first client, not with `import fal_assets`

    return BoundedTransport(ssl_context=_shared_ssl_context(), limits=POOL_LIMITS, proxy=proxy)


@functools.cache
def _shared_ssl_context() -> ssl.SSLContext:
    # Building a default SSL context (loading the CA bundle) costs 0.1-0.2 s; clients share one.
    return httpx.create_ssl_context()


def _environment_proxies() -> tuple[str | None, list[str]]:
    """The proxy for https (HTTPS_PROXY, else ALL_PROXY, either case) and the NO_PROXY patterns, as httpx
    reads them, from the standard library's reading of the environment. HTTP_PROXY is ignored: plain http
    is only ever loopback, and a proxy would see the key."""
    from urllib.request import getproxies_environment

    found = getproxies_environment()
    proxy = found.get("https") or found.get("all")
    if proxy and "://" not in proxy:
        proxy = f"http://{proxy}"
    bypass: list[str] = []
    for host in (h.strip() for h in found.get("no", "").split(",")):
        if host == "*":
            return None, []
        if not host:
            continue
        if "://" in host:
            bypass.append(host)
        elif host.lower() == "localhost" or _is_ip(host.strip("[]").split("/")[0]):
            bypass.append(f"all://[{host.strip('[]')}]" if ":" in host else f"all://{host}")
        else:
            bypass.append(f"all://*{host}")
    return proxy, bypass


def _is_ip(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _client_settings(timeout: httpx.Timeout, user_agent: str) -> dict[str, Any]:
    return {
        "timeout": timeout,
        "headers": {"User-Agent": user_agent},
        # Proxies are mounted by us, not by httpx: plain http (loopback only) never goes through a proxy,
        # where the key would travel in clear text; https goes through HTTPS_PROXY when set, tunnelled.
        # (trust_env would also let ~/.netrc add credentials to requests.)
        "trust_env": False,
        "follow_redirects": False,
    }


def make_sync_client(timeout: httpx.Timeout, user_agent: str) -> httpx.Client:
    proxy, bypass = _environment_proxies()
    mounts: dict[str, httpx.BaseTransport | None] = {"http://": _bounded_transport()}
    if proxy:
        mounts["https://"] = _bounded_transport(proxy)
        mounts.update({pattern: _bounded_transport() for pattern in bypass})
    return httpx.Client(
        transport=_bounded_transport(), mounts=mounts, **_client_settings(timeout, user_agent)
    )


def _async_transport(proxy: str | None = None) -> httpx.AsyncHTTPTransport:
    return httpx.AsyncHTTPTransport(verify=_shared_ssl_context(), limits=POOL_LIMITS, proxy=proxy)


def make_async_client(timeout: httpx.Timeout, user_agent: str) -> httpx.AsyncClient:
    # Async attempts are bounded by asyncio.timeout around each attempt, not by the sockets.
    proxy, bypass = _environment_proxies()
    mounts: dict[str, httpx.AsyncBaseTransport | None] = {"http://": _async_transport()}
    if proxy:
        mounts["https://"] = _async_transport(proxy)
        mounts.update({pattern: _async_transport() for pattern in bypass})
    return httpx.AsyncClient(
        transport=_async_transport(), mounts=mounts, **_client_settings(timeout, user_agent)
    )


# -- bodies -----------------------------------------------------------------------------------------------


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
        scope = _scope.get()
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


# -- httpx's own log line ---------------------------------------------------------------------------------

_SIGNED: set[str] = set()
_SIGNED_LOCK = threading.Lock()


class _RedactSigned(logging.Filter):
    """httpx logs `HTTP Request: PUT <url> ...` at INFO; a presigned URL's query is its signature."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) > 1 and isinstance(args[1], httpx.URL):
            url = args[1]
            with _SIGNED_LOCK:
                signed = str(url) in _SIGNED
            if signed:
                record.args = (args[0], f"{url.copy_with(query=None)}?[redacted]", *args[2:])
        return True


_FILTER = _RedactSigned()


@contextlib.contextmanager
def redact_in_httpx_logs(url: str) -> Iterator[None]:
    logger = logging.getLogger("httpx")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    with _SIGNED_LOCK:
        _SIGNED.add(url)
    try:
        yield
    finally:
        with _SIGNED_LOCK:
            _SIGNED.discard(url)
