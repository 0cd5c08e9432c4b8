"""What fal's Storage API controls about stored files: lifecycle (expiry, initial ACL), ACLs, signed URLs,
and the account-level settings applied to later uploads. The CDN asks `check_cdn` before serving a file.

Choices where fal is silent:

* a lifecycle header's ``expiration_duration_seconds`` of ``null`` (or 0, which fal's backends treat the
  same) means "never expires", a missing key means "the account setting"; ``initial_acl`` likewise, and
  an ``initial_acl`` with rules but no ``default`` (as fal-client sends it) takes the account's default;
* the expiry counts from when the upload completes; an expired file answers 404 everywhere;
* the CDN cannot tell fal users apart: a request carrying the fake's API key is the owner and always
  passes, any other request gets the ACL's default decision (``forbid`` → 403, ``hide`` → 404);
* a signed URL (``?identity=...``) passes whatever the ACL until it expires, then answers 403;
* every user exists unless `known_users` (``FakeFal.storage_users``) says otherwise.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from .._core import spec as _spec
from ._common import JSON, ApiError
from ._models import StoredFile
from ._storage import Storage, path_key

DECISIONS = ("allow", "forbid", "hide")
SYSTEM_ACL: JSON = {"default": "allow", "rules": []}
MAX_SIGNED_SECONDS = _spec.bounds(_spec.property_schema("SignFileUrlRequest", "expiration_seconds")).max or 0
LIFECYCLE_HEADERS = ("x-fal-object-lifecycle-preference", "x-fal-object-lifecycle")
_UNSET: Any = object()


@dataclass
class FileState:
    expires_at: float | None
    acl: JSON


@dataclass
class Policy:
    """A lifecycle request; `_UNSET` fields fall back to the account settings."""

    expiration: Any = _UNSET
    acl: Any = _UNSET


def bad(message: str) -> ApiError:
    return ApiError(400, message, error_type="validation_error")


def check_acl(value: object, where: str) -> JSON:
    """fal's ACL object (``default`` required, ``rules`` optional, nothing else), with `rules` filled in."""
    if not isinstance(value, dict):
        raise bad(f"{where}: Input should be a valid object")
    extra = sorted(set(value) - {"default", "rules"})
    if extra:
        raise bad(f"{where}.{extra[0]}: Extra inputs are not permitted")
    if value.get("default") not in DECISIONS:
        raise bad(f"{where}.default: Input should be 'allow', 'forbid' or 'hide'")
    rules = value.get("rules", [])
    if not isinstance(rules, list):
        raise bad(f"{where}.rules: Input should be a valid list")
    checked = []
    for index, rule in enumerate(rules):
        at = f"{where}.rules[{index}]"
        if not isinstance(rule, dict) or set(rule) != {"user", "decision"}:
            raise bad(f"{at}: needs exactly 'user' and 'decision'")
        if not isinstance(rule["user"], str) or not rule["user"]:
            raise bad(f"{at}.user: String should have at least 1 character")
        if rule["decision"] not in DECISIONS:
            raise bad(f"{at}.decision: Input should be 'allow', 'forbid' or 'hide'")
        checked.append({"user": rule["user"], "decision": rule["decision"]})
    return {"default": value["default"], "rules": checked}


def check_seconds(value: object, where: str, *, high: int | None = None) -> int:
    # JSON Schema counts 60.0 as an integer; bools are not numbers there.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad(f"{where}: Input should be a valid integer")
    if value < 1:
        raise bad(f"{where}: Input should be greater than or equal to 1")
    if high is not None and value > high:
        raise bad(f"{where}: Input should be less than or equal to {high}")
    return value


class StorageControl:
    def __init__(self, clock: Callable[[], float], storage: Storage) -> None:
        self._clock = clock
        self._storage = storage
        self.settings: JSON = {"expiration_duration_seconds": None, "initial_acl": None}
        # The fal users that exist (None: every user does); ACL rules naming others are dropped, as fal does.
        self.known_users: frozenset[str] | None = None
        self._files: dict[str, FileState] = {}
        self._pending: dict[str, Policy] = {}
        self._signatures: dict[str, tuple[str, float]] = {}

    # -- lifecycle of uploads ----------------------------------------------------------------------

    def policy_from_headers(self, headers: Mapping[str, str]) -> Policy:
        name = next((h for h in LIFECYCLE_HEADERS if h in headers), None)
        if name is None:
            return Policy()
        try:
            value = json.loads(headers[name])
        except ValueError:
            raise bad(f"{name}: Invalid JSON") from None
        if not isinstance(value, dict):
            raise bad(f"{name}: Input should be a JSON object")
        policy = Policy()
        if "expiration_duration_seconds" in value:
            seconds = value["expiration_duration_seconds"]
            if seconds is None or (seconds == 0 and not isinstance(seconds, bool)):
                policy.expiration = None
            else:
                policy.expiration = check_seconds(seconds, f"{name}.expiration_duration_seconds")
        acl = value.get("initial_acl")
        if acl is not None:
            if isinstance(acl, dict) and "default" not in acl:
                # fal's clients send rules without a default (fal-client's StorageACL(rules=...)): the
                # default is then the account's, else fal's "allow".
                account = self.settings["initial_acl"] or SYSTEM_ACL
                acl = {"default": account["default"], **acl}
            policy.acl = check_acl(acl, f"{name}.initial_acl")
        return policy

    def remember(self, url: str, policy: Policy) -> None:
        """For uploads whose file appears later (multipart, presigned): the policy their start asked for."""
        self._pending[path_key(url)] = policy

    def uploaded(self, url: str, policy: Policy | None = None) -> None:
        key = path_key(url)
        chosen = policy or self._pending.pop(key, None) or Policy()
        seconds = chosen.expiration
        if seconds is _UNSET:
            seconds = self.settings["expiration_duration_seconds"]
        acl = chosen.acl if chosen.acl is not _UNSET else (self.settings["initial_acl"] or SYSTEM_ACL)
        expires_at = None if seconds is None else self._clock() + seconds
        self._files[key] = FileState(expires_at, json.loads(json.dumps(acl)))

    def expired(self, url_or_path: str) -> bool:
        state = self._files.get(path_key(url_or_path))
        return state is not None and state.expires_at is not None and self._clock() >= state.expires_at

    def expires_at(self, url_or_path: str) -> float | None:
        state = self._files.get(path_key(url_or_path))
        return None if state is None else state.expires_at

    # -- the Storage API ---------------------------------------------------------------------------

    def live_file(self, url: str | None) -> StoredFile:
        """The stored, unexpired file at `url` (fal's ``url`` query parameter), else 400 or 404."""
        if not url:
            raise bad("url: Field required")
        parts = urlsplit(url)
        if parts.query:
            raise bad("url: must not contain query parameters")
        stored = self._storage.lookup(url) if parts.scheme in ("http", "https") else None
        if stored is None or self.expired(url):
            raise ApiError(404, "File not found", error_type="not_found")
        return stored

    def existing_users_only(self, acl: JSON) -> JSON:
        known = self.known_users
        if known is None:
            return acl
        return {"default": acl["default"], "rules": [r for r in acl["rules"] if r["user"] in known]}

    def state(self, url: str) -> FileState:
        return self._files.setdefault(path_key(url), FileState(None, dict(SYSTEM_ACL)))

    def sign(self, url: str, seconds: int) -> str:
        token = secrets.token_urlsafe(24)
        self._signatures[token] = (path_key(url), self._clock() + seconds)
        return f"{url}?identity={quote(token, safe='')}"

    # -- the CDN -----------------------------------------------------------------------------------

    def check_cdn(self, path: str, query: Mapping[str, list[str]], *, owner: bool) -> None:
        key = path_key(path)
        if self.expired(path):
            raise ApiError(404, "file not found (expired)", error_type="not_found")
        identity = query.get("identity")
        if identity:
            signed = self._signatures.get(identity[-1])
            if signed is None or signed[0] != key or self._clock() >= signed[1]:
                raise ApiError(403, "signed URL is invalid or expired", error_type="authorization_error")
            return
        decision = self._files[key].acl["default"] if key in self._files else "allow"
        if decision == "allow" or owner:
            return
        if decision == "hide":
            raise ApiError(404, "file not found", error_type="not_found")
        raise ApiError(403, "access to this file is forbidden", error_type="authorization_error")
