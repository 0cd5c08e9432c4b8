"""Sockets that honour the current attempt: httpcore's network backend, wrapped so that every connect,
read and write is clamped to the attempt's end, and each socket in use is registered with the call's
`Interrupt` (which shuts it down to stop a blocked read at once)."""

from __future__ import annotations

import socket
import ssl
import time
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from ._transport import AttemptScope, current_scope

__all__ = ["bound"]


def bound(transport: httpx.HTTPTransport) -> httpx.HTTPTransport:
    """The transport, its connections now bounded by the attempt in progress (none: unchanged)."""
    # httpx takes no network backend; its pool (httpcore.ConnectionPool or a proxy subclass) holds one.
    pool = transport._pool
    pool._network_backend = _BoundedBackend(pool._network_backend)
    return transport


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
        timeout, _ = _clamp(timeout, httpcore.ConnectTimeout)
        return _BoundedStream(self._inner.start_tls(ssl_context, server_hostname, timeout))

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
        timeout, _ = _clamp(timeout, httpcore.ConnectTimeout)
        return _BoundedStream(self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

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
