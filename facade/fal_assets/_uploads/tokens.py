"""Upload tokens: fetching one (a step of the protocol), parsing it, and the client's cache of it.

A token's credential is bound to its CDN's origin and to the fal hosts (https, port 443): multipart URLs on
any other origin (another port of the same host included) never receive it.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from .._config import DEFAULT_CDN_BASE_URL, ClientConfig, checked_base_url
from .._core.auth import Credential, origin
from .._core.body import Reply
from .._errors import APIResponseValidationError, ValidationError
from .protocol import Body, Step, json_object, str_field
from .readers import MemoryReader

__all__ = ["CdnToken", "TokenCache", "cdn_token", "parse_token", "token_step"]

# Refresh a token this long before it expires (or at 10% of its lifetime, when that is shorter).
TOKEN_REFRESH_MARGIN = 300.0
# When a token response has no usable expires_at, trust the token for this long.
TOKEN_FALLBACK_LIFETIME = 300.0


@dataclass(frozen=True)
class CdnToken:
    """An upload token: its credential is good for its CDN origin and the fal hosts (https, port 443)."""

    credential: Credential
    base_url: str
    refresh_at: float  # time.monotonic()


def cdn_token(authorization: str, base_url: str, refresh_at: float, fal_hosts: Iterable[str]) -> CdnToken:
    origins = {origin(base_url)} | {("https", host.lower(), 443) for host in fal_hosts}
    return CdnToken(Credential(authorization, frozenset(origins)), base_url, refresh_at)


def _parse_expiry(value: object, now: float) -> float | None:
    """Seconds until expiry, from an ISO-8601 date-time or a Unix time."""
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value) - now
        if isinstance(value, str):
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if when.tzinfo is None:
                return None
            return when.timestamp() - now
    except (ValueError, OverflowError):
        return None
    return None


def parse_token(reply: Reply, fal_hosts: Iterable[str] = ()) -> CdnToken:
    op = "storageToken"
    data = json_object(reply, op)
    token = str_field(data, "token", reply, op)
    token_type = data.get("token_type") if isinstance(data.get("token_type"), str) else "Bearer"
    base = data.get("base_url") or DEFAULT_CDN_BASE_URL
    try:
        base_url = checked_base_url(str(base), name="base_url")
    except ValidationError as exc:
        raise APIResponseValidationError(f"{op}: {exc}", response=reply.response) from None
    lifetime = _parse_expiry(data.get("expires_at"), time.time())
    if lifetime is None:
        lifetime = TOKEN_FALLBACK_LIFETIME
    margin = min(TOKEN_REFRESH_MARGIN, max(lifetime, 0.0) * 0.1)
    return cdn_token(f"{token_type} {token}", base_url, time.monotonic() + lifetime - margin, fal_hosts)


# The JSON body `{}`, streamed rather than encoded by httpx: an uploader can then tell when the request has
# left (its body is read once the connection is up and the headers are written).
_EMPTY_OBJECT = memoryview(b"{}")


def token_step(config: ClientConfig) -> Step:
    return Step(
        "storageToken",
        "POST",
        f"{config.storage_base_url}/storage/auth/token?storage_type=fal-cdn-v3",
        "key",
        functools.partial(parse_token, fal_hosts=config.fal_hosts),
        {"Content-Type": "application/json"},
        body=Body(MemoryReader(_EMPTY_OBJECT), 0, len(_EMPTY_OBJECT), "token"),
    )


class TokenCache:
    """The client's current upload token. The uploaders serialize fetching with their own lock."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._token: CdnToken | None = None

    def usable(self, stale: Credential | None = None) -> CdnToken | None:
        """The cached token, unless it is the `stale` one (refused with a 401) or near its expiry."""
        token = self._token
        if token is None or token.credential is stale or self._clock() >= token.refresh_at:
            return None
        return token

    def store(self, token: CdnToken) -> None:
        self._token = token
