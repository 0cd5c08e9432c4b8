"""Bounded, thread-safe fault injection: each rule fires for a fixed number of matching requests."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from ._common import Reply, dumps, error_body
from ._drift import drift_reply

FaultKind = Literal["fail", "drop", "corrupt", "body"]
BodyFault = Literal["cut", "slow", "endless"]
CorruptKind = Literal["truncated", "non_json", "html", "wrong_shape", "drifted"]
CORRUPT_KINDS: frozenset[str] = frozenset({"truncated", "non_json", "html", "wrong_shape", "drifted"})
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    b"<body><h1>502 Bad Gateway</h1><p>upstream connect error</p></body></html>"
)


@dataclass
class Rule:
    kind: FaultKind
    remaining: int
    path: re.Pattern[str] | None
    method: str | None
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | str | Mapping[str, object] | None = None
    corrupt: CorruptKind | None = None
    body_fault: BodyFault | None = None
    amount: float = 0.0

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None:
            if method != self.method:
                return False
        elif self.kind == "drop" and method not in _WRITE_METHODS:
            # drop_after_write is about writes; without an explicit method a read must not use it up.
            return False
        return self.path is None or self.path.search(path) is not None

    @property
    def label(self) -> str:
        if self.kind == "body":
            return f"body:{self.body_fault}"
        return f"corrupt:{self.corrupt}" if self.kind == "corrupt" else self.kind

    def failure_reply(self, request_id: str) -> Reply:
        headers = list(self.headers)
        names = {k.lower() for k, _ in headers}
        body = self.body
        if body is None:
            payload = dumps(error_body(self.status, f"injected fault: HTTP {self.status}", request_id))
            content_type = "application/json"
        elif isinstance(body, bytes):
            payload, content_type = body, "application/octet-stream"
        elif isinstance(body, str):
            payload, content_type = body.encode(), "text/plain; charset=utf-8"
        else:
            payload, content_type = dumps(dict(body)), "application/json"
        if "content-type" not in names:
            headers.insert(0, ("Content-Type", content_type))
        return Reply(self.status, headers, payload)

    def corrupt_reply(self, real: Reply, operation: str) -> Reply:
        if self.corrupt == "drifted":
            return _drifted(real, operation)
        if self.corrupt == "truncated":
            body = real.body if len(real.body) >= 2 else b'{"character": {"id": "truncated"}}'
            return Reply(self.status, [("Content-Type", "application/json")], body, action="truncate")
        if self.corrupt == "non_json":
            return Reply(self.status, [("Content-Type", "application/json")], b"this is not JSON {")
        if self.corrupt == "html":
            return Reply(self.status, [("Content-Type", "text/html; charset=utf-8")], _HTML_PAGE)
        return Reply(self.status, [("Content-Type", "application/json")], b'{"unexpected": ["shape"]}')


def _drifted(real: Reply, operation: str) -> Reply:
    """The real reply as fal might send it once its document is behind it (_drift.py); an error reply, or
    one without a JSON body, goes out unchanged."""
    if not 200 <= real.status < 300 or not real.body:
        return real
    try:
        body = json.loads(real.body)
    except ValueError:
        return real
    headers = [(k, v) for k, v in real.headers if k.lower() != "content-length"]
    return Reply(real.status, headers, dumps(drift_reply(operation, real.status, body)))


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[Rule] = []

    def add(self, rule: Rule) -> None:
        if isinstance(rule.remaining, bool) or not isinstance(rule.remaining, int) or rule.remaining < 1:
            raise ValueError(f"count must be a positive integer, got {rule.remaining!r}")
        if not 100 <= rule.status <= 599:
            raise ValueError(f"status must be an HTTP status (100-599), got {rule.status!r}")
        with self._lock:
            self._rules.append(rule)

    def take(self, method: str, path: str) -> Rule | None:
        """Use up one firing of the first rule (in the order added) that matches this request."""
        with self._lock:
            for rule in self._rules:
                if rule.remaining > 0 and rule.matches(method, path):
                    rule.remaining -= 1
                    if rule.remaining == 0:
                        self._rules.remove(rule)
                    return rule
        return None

    def pending(self) -> int:
        with self._lock:
            return sum(rule.remaining for rule in self._rules)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()


def compile_path(path: str | None) -> re.Pattern[str] | None:
    return None if path is None else re.compile(path)


def normalize_headers(headers: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), str(v)) for k, v in (headers or {}).items())
