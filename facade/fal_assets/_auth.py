"""The API key: where it comes from, and how it is kept out of reprs, logs and foreign hosts."""

from __future__ import annotations

import os
from collections.abc import Mapping

from ._errors import MissingApiKeyError

__all__ = ["ApiKey", "MissingApiKeyError"]


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
