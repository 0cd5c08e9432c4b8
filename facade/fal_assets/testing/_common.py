"""Pieces every part of the fake shares: the wire-level request/reply, fal-shaped errors, time formatting."""

from __future__ import annotations

import json
import secrets
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from .._config import DEFAULT_FAL_HOSTS

JSON = dict[str, Any]

# The hosts fal itself serves files from (the client's list); URLs on them are accepted as references.
REAL_FAL_HOSTS = DEFAULT_FAL_HOSTS

_ID_ALPHABET = string.ascii_lowercase + string.digits

ERROR_TYPES_BY_STATUS = {
    400: "validation_error",
    401: "authorization_error",
    403: "authorization_error",
    404: "not_found",
    405: "not_implemented",
    409: "validation_error",
    422: "validation_error",
    429: "rate_limited",
    501: "not_implemented",
}


def error_type_for(status: int) -> str:
    if status in ERROR_TYPES_BY_STATUS:
        return ERROR_TYPES_BY_STATUS[status]
    return "server_error" if status >= 500 else "validation_error"


class ApiError(Exception):
    """Raised inside the fake to answer with a fal-shaped error body."""

    def __init__(self, status: int, message: str, *, error_type: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_type = error_type or error_type_for(status)


@dataclass
class RequestHead:
    """Everything about a request except its body, as either front end (server or transport) saw it."""

    method: str
    raw_path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    host: str

    def query_last(self) -> dict[str, str]:
        return {k: v[-1] for k, v in self.query.items() if v}


Action = Literal["respond", "drop", "truncate", "cut", "slow", "endless"]


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    # "drop": close the connection without answering; "truncate": announce the full length, send half.
    # Download faults (served mode): "cut" announces the full length, sends `amount` bytes and closes;
    # "slow" sends 16 bytes every `amount` seconds; "endless" sends bytes without a length until the
    # client hangs up (or 30 s pass).
    action: Action = "respond"
    amount: float = 0.0

    def header(self, name: str) -> str | None:
        lname = name.lower()
        for key, value in self.headers:
            if key.lower() == lname:
                return value
        return None


def dumps(obj: object) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def json_reply(status: int, obj: object, *, headers: list[tuple[str, str]] | None = None) -> Reply:
    return Reply(status, [("Content-Type", "application/json"), *(headers or [])], dumps(obj))


def error_body(status: int, message: str, request_id: str, *, error_type: str | None = None) -> JSON:
    return {
        "error": {"type": error_type or error_type_for(status), "message": message, "request_id": request_id}
    }


def error_reply(error: ApiError, request_id: str) -> Reply:
    return json_reply(
        error.status, error_body(error.status, error.message, request_id, error_type=error.error_type)
    )


def new_character_id() -> str:
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(20))


def format_ms(epoch_ms: int) -> str:
    """ISO-8601 with milliseconds and a Z, the way fal writes `created_at`."""
    moment = datetime.fromtimestamp(epoch_ms // 1000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{epoch_ms % 1000:03d}Z"


def format_offset(epoch_seconds: float) -> str:
    """ISO-8601 with milliseconds and an explicit ``+00:00``, which every Python's fromisoformat reads."""
    return datetime.fromtimestamp(epoch_seconds, UTC).isoformat(timespec="milliseconds")
