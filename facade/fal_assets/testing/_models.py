"""What a test can inspect: recorded requests and stored files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["RecordedRequest", "StoredFile"]


@dataclass(frozen=True)
class StoredFile:
    """A file the fake holds after a completed upload.

    `data` holds the bytes only when the fake was created with `keep_data=True` or the file is small
    (at most 1 MiB); big uploads are hashed while streaming so that gigabyte uploads cost no memory.
    `parts_sorted` tells, for multipart uploads, whether the completion listed its parts in ascending order.
    """

    url: str
    name: str
    content_type: str
    size: int
    sha256: str
    via: Literal["single", "multipart", "presigned"]
    parts_sorted: bool | None = None
    data: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the fake received it, with every credential masked.

    `headers` has lower-case names; `authorization` reads like ``"Key ***"``, and `auth_scheme` keeps the
    scheme that was sent (``"Key"``, ``"Bearer"``, ...; ``None`` when no Authorization header came), so a test
    can tell which credential went where without the secret ever being stored.
    `body` holds JSON request bodies (masked too); uploads record ``b""`` and only their `body_size`.
    `status` is the status the fake produced, even when a fault then dropped or mangled the reply;
    `fault` names that fault (``"fail"``, ``"drop"``, ``"corrupt:truncated"``...).
    """

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    body_size: int
    status: int
    operation: str
    auth_scheme: str | None
    request_id: str
    host: str = ""
    idempotency_key: str | None = None
    idempotent_replay: bool = False
    fault: str | None = None
