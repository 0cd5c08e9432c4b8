"""Masking credentials before anything is recorded: tests, logs and reprs must never hold a key in clear."""

from __future__ import annotations

import re
from collections.abc import Iterable

# A scrubbed secret this short would blank out ordinary text; the Authorization header is masked anyway.
_MIN_SCRUB_LEN = 4
_CREDENTIAL_RE = re.compile(r"(?i)\b(Key|Bearer|Basic|Token)\s+[^\s,;\"']+")
_AUTH_HEADERS = frozenset({"authorization", "proxy-authorization"})


def split_authorization(value: str | None) -> tuple[str | None, str]:
    if value is None:
        return None, ""
    scheme, _, credential = value.strip().partition(" ")
    return (scheme or None), credential.strip()


def secrets_to_mask(keys: Iterable[str]) -> list[str]:
    """The strings to blank out: each key, and the secret half of fal's "id:secret" keys, longest first
    so that a whole key is masked as one."""
    found = {part for key in keys for part in (key, key.partition(":")[2])}
    return sorted((s for s in found if len(s) >= _MIN_SCRUB_LEN), key=len, reverse=True)


def scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return _CREDENTIAL_RE.sub(lambda m: f"{m.group(1)} ***", text)


def scrub_bytes(data: bytes, secrets: list[str]) -> bytes:
    for secret in secrets:
        data = data.replace(secret.encode(), b"***")
    return data


def mask_headers(headers: dict[str, str], secrets: list[str]) -> dict[str, str]:
    masked: dict[str, str] = {}
    for name, value in headers.items():
        if name in _AUTH_HEADERS:
            scheme, credential = split_authorization(value)
            masked[name] = f"{scheme} ***" if scheme and credential else "***"
        else:
            masked[name] = scrub(value, secrets)
    return masked
