"""A network guard for benchmark children: any connection or name lookup off loopback is refused.

fal-client has fal's production hosts hard-coded; if an override were missed it would quietly reach the
internet and the benchmark would measure the wrong server. Refusing at the socket layer catches every path
(httpx sync via ``socket.create_connection``, asyncio via ``sock.connect``, DNS via ``getaddrinfo``), and the
refusals are also recorded, because a library may swallow the exception and fall back to another route.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from typing import Any

blocked: list[str] = []
# perf_counter() of the first connection this process opened: when a client's first request really left,
# measured the same way for every library without touching its internals.
first_connect: list[float] = []


class NetworkGuardError(RuntimeError):
    """Deliberately not an OSError, so that HTTP libraries do not turn it into a retryable connect error."""


def _is_loopback(host: object) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _refuse(what: str) -> None:
    blocked.append(what)
    raise NetworkGuardError(f"benchmark network guard: refused {what} (only loopback is allowed)")


def install() -> None:
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            if not _is_loopback(address[0]):
                _refuse(f"connect to {address!r}")
            if not first_connect:
                first_connect.append(time.perf_counter())

    def connect(self: socket.socket, address: Any) -> None:
        check(self, address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        check(self, address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_loopback(host):
            _refuse(f"name lookup of {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign,assignment]
    socket.getaddrinfo = getaddrinfo
