"""Below the engine: the pooled httpx clients this package creates, their proxies, and httpx's log line.

httpx's timeouts bound each socket operation, so a server trickling one byte a second keeps a request
alive forever. Clients we create therefore use a transport over sockets (`sockets.py`) that clamp every
connect, read and write to the end of the current attempt (`attempt.py`) and that the call's `Interrupt`
shuts down to stop a blocked read at once (Ctrl-C, `close()`). A caller's own `http_client` keeps its
transport untouched; its attempts are bounded between body chunks (`body.py`) and by per-operation
timeouts clamped to what the attempt has left.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import ssl
import threading
from collections.abc import Iterator
from typing import Any

import httpx

__all__ = ["make_async_client", "make_sync_client", "redact_in_httpx_logs"]

# Upload concurrency plus headroom for API calls made meanwhile from other threads. Keep-alive equals the
# maximum: with fewer, httpcore closes surplus idle connections whenever more than that many finish at once
# and then opens new ones, so a busy client would pay a TCP + TLS handshake per request.
POOL_LIMITS = httpx.Limits(max_connections=32, max_keepalive_connections=32)


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
