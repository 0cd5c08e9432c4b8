"""Sockets that honour the current attempt: httpcore's network backend, wrapped so that every connect,
read and write is clamped to the attempt's end, and each socket in use is registered with the call's
`Interrupt` (which shuts it down to stop a blocked read at once).

httpx takes no network backend, so `BoundedTransport` owns the httpcore pool itself, built with httpcore's
public `network_backend=` argument, and speaks httpx's public `BaseTransport` interface, as
`httpx.HTTPTransport` does; no private attribute of either library is touched."""

from __future__ import annotations

import contextlib
import errno
import select
import socket
import ssl
import time
from collections.abc import Iterable, Iterator
from typing import Any

import httpcore
import httpx

from .attempt import AttemptScope, current_scope

__all__ = ["BoundedTransport"]


class BoundedTransport(httpx.BaseTransport):
    """An httpx transport over an httpcore pool whose sockets are bounded by the attempt in progress (none:
    plain sockets). `proxy`: an http(s) proxy URL, tunnelled for https."""

    def __init__(
        self, *, ssl_context: ssl.SSLContext, limits: httpx.Limits, proxy: str | None = None
    ) -> None:
        backend = _BoundedBackend(httpcore.SyncBackend())
        pool_limits: dict[str, Any] = {
            "max_connections": limits.max_connections,
            "max_keepalive_connections": limits.max_keepalive_connections,
            "keepalive_expiry": limits.keepalive_expiry,
        }
        self._pool: httpcore.ConnectionPool
        if proxy is None:
            self._pool = httpcore.ConnectionPool(
                ssl_context=ssl_context, network_backend=backend, **pool_limits
            )
            return
        url = httpx.Proxy(proxy)
        if url.url.scheme not in ("http", "https"):
            raise ValueError(f"only http(s) proxies are supported, got {url.url.scheme!r}")
        self._pool = httpcore.HTTPProxy(
            proxy_url=_core_url(url.url),
            proxy_auth=url.raw_auth,
            proxy_headers=url.headers.raw,
            ssl_context=ssl_context,
            proxy_ssl_context=url.ssl_context,
            network_backend=backend,
            **pool_limits,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        core_request = httpcore.Request(
            method=request.method,
            url=_core_url(request.url),
            headers=request.headers.raw,
            content=request.stream if isinstance(request.stream, httpx.SyncByteStream) else None,
            extensions=request.extensions,
        )
        with _httpx_errors():
            response = self._pool.handle_request(core_request)
        assert isinstance(response.stream, Iterable)  # a sync pool answers with a sync stream
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(response.stream),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


def _core_url(url: httpx.URL) -> httpcore.URL:
    return httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path)


class _ResponseStream(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _httpx_errors():
            yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


# httpcore's exceptions as httpx names them, most specific first (as httpx's own transport maps them).
_HTTPX_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextlib.contextmanager
def _httpx_errors() -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        for core_error, httpx_error in _HTTPX_ERRORS:
            if isinstance(exc, core_error):
                raise httpx_error(str(exc)) from exc
        raise


def _clamp(timeout: float | None, error: type[Exception]) -> tuple[float | None, AttemptScope | None]:
    scope = current_scope()
    if scope is None:
        return timeout, None
    scope.interrupt.check()
    remaining = scope.remaining()
    if remaining is None:
        return timeout, scope
    if remaining <= 0:
        raise error("the attempt ran out of time")
    return (remaining if timeout is None else min(timeout, remaining)), scope


class _BoundedStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner
        self._socket: socket.socket | None = inner.get_extra_info("socket")

    # The socket joins the attempt's sockets (registered with the interrupt) on its first use;
    # `AttemptScope.release` ends that.
    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._timeout(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._timeout(timeout, httpcore.WriteTimeout))

    def _timeout(self, timeout: float | None, error: type[Exception]) -> float | None:
        """httpcore's timeout for one read or write, clamped to the attempt's end."""
        scope = current_scope()
        sock = self._socket
        if scope is None or sock is None:
            return _clamp(timeout, error)[0]
        scope.interrupt.check()
        if sock not in scope.sockets:
            scope.interrupt.register(sock)
            scope.sockets.append(sock)
        if scope.end is None:
            return timeout
        remaining = scope.end - time.monotonic()
        if remaining <= 0:
            raise error("the attempt ran out of time")
        return remaining if timeout is None else min(timeout, remaining)

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        timeout, scope = _clamp(timeout, httpcore.ConnectTimeout)
        sock = self._socket
        if scope is None or sock is None:
            return _BoundedStream(self._inner.start_tls(ssl_context, server_hostname, timeout))
        # The handshake must hear the interrupt too (a stalled TLS server would hold close() for the whole
        # connect timeout). wrap_socket detaches `sock` before handshaking, so the interrupt is given a
        # duplicate descriptor: shutdown() acts on the connection, whichever descriptor names it.
        handle = sock.dup()
        try:
            scope.interrupt.register(handle)
            try:
                return _BoundedStream(self._inner.start_tls(ssl_context, server_hostname, timeout))
            finally:
                scope.interrupt.unregister(handle)
        finally:
            handle.close()

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _BoundedBackend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        timeout, scope = _clamp(timeout, httpcore.ConnectTimeout)
        sock = _connect(host, port, timeout, local_address, scope)
        for option in socket_options or ():
            sock.setsockopt(*option)
        return _BoundedStream(_SocketStream(sock))

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        timeout, _ = _clamp(timeout, httpcore.ConnectTimeout)
        return _BoundedStream(self._inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


# How often a connect in progress looks at the call's interrupt: a blocked connect() cannot be woken by
# shutting its socket down (close() from another thread would wait for the connect timeout).
_CONNECT_SLICE = 0.05


def _connect(
    host: str, port: int, timeout: float | None, local_address: str | None, scope: AttemptScope | None
) -> socket.socket:
    """`socket.create_connection`, non-blocking underneath: each address is tried in slices that watch the
    attempt's interrupt and its end."""
    deadline = None if timeout is None else time.monotonic() + timeout
    last: OSError | None = None
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise httpcore.ConnectError(str(exc)) from exc
    for family, kind, proto, _, address in addresses:
        sock = socket.socket(family, kind, proto)
        try:
            if local_address is not None:
                sock.bind((local_address, 0))
            sock.setblocking(False)
            code = sock.connect_ex(address)
            while code in (errno.EINPROGRESS, errno.EALREADY, errno.EWOULDBLOCK):
                if scope is not None:
                    scope.interrupt.check()
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise httpcore.ConnectTimeout("timed out while connecting")
                wait = _CONNECT_SLICE if left is None else min(_CONNECT_SLICE, left)
                if _ready(sock, write=True, timeout=wait):
                    code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if code not in (0, errno.EISCONN):
                raise OSError(code, errno.errorcode.get(code, str(code)))
            sock.setblocking(True)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock
        except OSError as exc:
            sock.close()
            last = exc
        except BaseException:
            sock.close()
            raise
    raise httpcore.ConnectError(str(last or f"no address for {host}"))


def _ready(sock: socket.socket, *, write: bool, timeout: float) -> bool:
    """Whether `sock` can be written (or read) within `timeout` seconds: poll where the platform has it
    (select() refuses descriptors past FD_SETSIZE, which a busy process reaches)."""
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(sock, select.POLLOUT if write else select.POLLIN)
        return bool(poller.poll(timeout * 1000))
    readable, writable, _ = select.select([] if write else [sock], [sock] if write else [], [], timeout)
    return bool(readable or writable)


class _SocketStream(httpcore.NetworkStream):
    """A blocking socket as httpcore's stream (what httpcore's own sync backend does, on a socket connected
    by `_connect`)."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            self._sock.settimeout(timeout)
            return self._sock.recv(max_bytes)
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ReadError(str(exc)) from exc

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        try:
            self._sock.settimeout(timeout)
            self._sock.sendall(buffer)
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.WriteError(str(exc)) from exc

    def close(self) -> None:
        self._sock.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        if isinstance(self._sock, ssl.SSLSocket):
            raise httpcore.ConnectError(
                "TLS inside TLS (an https:// proxy URL) is not supported; use http://"
            )
        try:
            self._sock.settimeout(timeout)
            return _SocketStream(ssl_context.wrap_socket(self._sock, server_hostname=server_hostname))
        except TimeoutError as exc:
            self.close()
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except OSError as exc:
            self.close()
            raise httpcore.ConnectError(str(exc)) from exc

    def get_extra_info(self, info: str) -> Any:
        sock = self._sock
        if info == "socket":
            return sock
        if info == "ssl_object":
            # The SSL socket answers what httpcore asks of it (selected_alpn_protocol).
            return sock if isinstance(sock, ssl.SSLSocket) else None
        if info == "client_addr":
            return sock.getsockname()
        if info == "server_addr":
            return sock.getpeername()
        if info == "is_readable":
            # A pooled connection the server closed (or wrote to unasked) is readable at once.
            try:
                return _ready(sock, write=False, timeout=0)
            except (OSError, ValueError):
                return True
        return None
