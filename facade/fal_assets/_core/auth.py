"""Credentials: the API key (where it comes from, kept out of reprs and logs), and `Credential`, an
Authorization value bound to the origins (scheme, host, port) it may be sent to."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from .._errors import MissingApiKeyError, StorageProtocolError

__all__ = ["ApiKey", "Credential", "MissingApiKeyError", "origin", "safe_url"]


class ApiKey:
    """A fal API key. Its repr and str never show the secret."""

    __slots__ = ("_secret",)

    def __init__(self, secret: str) -> None:
        secret = secret.strip()
        if not secret:
            raise MissingApiKeyError("the API key is empty")
        if any(ch in secret for ch in "\r\n\x00"):
            raise MissingApiKeyError("the API key contains a line break or NUL; check how it was read")
        self._secret = secret

    @classmethod
    def resolve(cls, explicit: str | None, environ: Mapping[str, str] | None = None) -> ApiKey:
        """The explicit key, else FAL_KEY, else FAL_KEY_ID + FAL_KEY_SECRET joined as `id:secret`."""
        env = os.environ if environ is None else environ
        if explicit is not None:
            return cls(explicit)
        if env.get("FAL_KEY", "").strip():
            return cls(env["FAL_KEY"])
        key_id, key_secret = env.get("FAL_KEY_ID", "").strip(), env.get("FAL_KEY_SECRET", "").strip()
        if key_id and key_secret:
            return cls(f"{key_id}:{key_secret}")
        raise MissingApiKeyError(
            "no fal API key: pass api_key=..., or set FAL_KEY (or FAL_KEY_ID and FAL_KEY_SECRET) "
            "in the environment"
        )

    def header(self) -> dict[str, str]:
        """The Authorization header fal's API and REST storage endpoints expect."""
        return {"Authorization": f"Key {self._secret}"}

    def reveal(self) -> str:
        return self._secret

    def __repr__(self) -> str:
        return "ApiKey('***')"

    __str__ = __repr__

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("ApiKey cannot be pickled")


Origin = tuple[str, str, int]


_DEFAULT_PORTS = {"https": 443, "http": 80}


def origin(url: str | httpx.URL) -> Origin:
    parts = urlsplit(str(url))
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    return (scheme, (parts.hostname or "").lower(), port)


def safe_url(url: str | httpx.URL) -> str:
    """Host and path only: presigned URLs carry their signature in the query."""
    parts = urlsplit(str(url))
    return f"{parts.netloc.rpartition('@')[2]}{parts.path}"


@dataclass(frozen=True)
class Credential:
    """An Authorization header value and the origins it may be sent to; it never shows in a repr."""

    authorization: str = field(repr=False)
    origins: frozenset[Origin]

    def attach(self, headers: dict[str, str], url: str) -> None:
        # Most URLs start with one of the origins spelled out: one startswith, where parsing costs 1.5 us.
        if not url.startswith(self._prefixes) and origin(url) not in self.origins:
            raise StorageProtocolError(f"refusing to send credentials to {safe_url(url)}")
        headers["Authorization"] = self.authorization

    @functools.cached_property
    def _prefixes(self) -> tuple[str, ...]:
        """`scheme://host:port/` of each origin (and `scheme://host/` on the default port): a URL starting
        with one has that origin, since its authority ends at that "/". Others are parsed."""
        prefixes: list[str] = []
        for scheme, host, port in self.origins:
            authority = f"[{host}]" if ":" in host else host
            prefixes.append(f"{scheme}://{authority}:{port}/")
            if port == _DEFAULT_PORTS.get(scheme):
                prefixes.append(f"{scheme}://{authority}/")
        return tuple(prefixes)

    def __reduce__(self) -> tuple[Any, ...]:
        raise TypeError("credentials cannot be pickled")
