"""What fal's storage keeps about a file: its lifecycle (expiry, initial ACL) and access-control lists.

`Lifecycle` is what an upload asks for; it travels as fal's clients send it: the `X-Fal-Object-Lifecycle`
and `X-Fal-Object-Lifecycle-Preference` headers, holding
`{"expiration_duration_seconds": …, "initial_acl": …}`.
A key left out means "the account's storage setting" (`client.storage.get_settings()`); an expiry of
`null` means "never expires".
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

from .._errors import ValidationError
from . import spec as _spec
from . import validation as check

__all__ = [
    "EXPIRY_PRESETS",
    "AclInput",
    "AclRuleInput",
    "ExpiryPreset",
    "Lifecycle",
    "acl_json",
    "rules_json",
]

DECISIONS: tuple[str, ...] = tuple(_spec.property_schema("AclRule", "decision")["enum"])
USER_LENGTH = _spec.bounds(_spec.property_schema("AclRule", "user"))
EXPIRY_SECONDS = _spec.bounds(
    _spec.property_schema("UpdateStorageSettingsRequest", "expiration_duration_seconds")
)

# fal's clients' presets (fal-client and @fal-ai/client alike). "immediate" is 60 s, not 0: fal reads 0 as
# "never expires".
EXPIRY_PRESETS: dict[str, int] = {
    "immediate": 60,
    "1h": 3600,
    "1d": 86400,
    "7d": 7 * 86400,
    "30d": 30 * 86400,
    "1y": 365 * 86400,
}
ExpiryPreset: TypeAlias = Literal["immediate", "1h", "1d", "7d", "30d", "1y"]

AclRuleInput: TypeAlias = tuple[str, str] | Mapping[str, str]
# An ACL: a decision ("allow", "forbid", "hide": the default for everyone) or {"default": …, "rules": […]}.
AclInput: TypeAlias = str | Mapping[str, Any]


def decision(value: object, *, field: str) -> str:
    if not isinstance(value, str) or value not in DECISIONS:
        raise ValidationError(
            f"{field} must be one of {', '.join(DECISIONS)}, got {value!r:.60}", field=field
        )
    return value


def rules_json(rules: Iterable[AclRuleInput], *, field: str) -> list[dict[str, str]]:
    """ACL rules as fal takes them; each given as a `(user, decision)` pair or a `{"user", "decision"}`
    dict."""
    if isinstance(rules, str | bytes | Mapping) or not isinstance(rules, Iterable):
        raise ValidationError(f"{field} must be a list of (user, decision) pairs or dicts", field=field)
    checked = []
    for index, rule in enumerate(rules):
        at = f"{field}[{index}]"
        if isinstance(rule, Mapping):
            if set(rule) != {"user", "decision"}:
                raise ValidationError(f"{at} needs exactly the keys 'user' and 'decision'", field=at)
            user, choice = rule["user"], rule["decision"]
        elif isinstance(rule, tuple | list) and len(rule) == 2:
            user, choice = rule
        else:
            raise ValidationError(f"{at} must be a (user, decision) pair or a dict", field=at)
        checked.append(
            {
                "user": check.text(user, field=f"{at}.user", bounds=USER_LENGTH),
                "decision": decision(choice, field=f"{at}.decision"),
            }
        )
    return checked


def acl_json(value: AclInput, *, field: str) -> dict[str, Any]:
    """An ACL as fal takes it: a decision alone is the default for everyone, with no rules."""
    if isinstance(value, str):
        return {"default": decision(value, field=field)}
    if not isinstance(value, Mapping) or "default" not in value or set(value) - {"default", "rules"}:
        raise ValidationError(
            f"{field} must be a decision ({', '.join(DECISIONS)}) or a dict with 'default' and optional "
            "'rules'",
            field=field,
        )
    acl: dict[str, Any] = {"default": decision(value["default"], field=f"{field}.default")}
    if "rules" in value:
        acl["rules"] = rules_json(value["rules"], field=f"{field}.rules")
    return acl


@dataclass(frozen=True)
class Lifecycle:
    """How long an upload lives and who may read it, for `files.upload*`, `assets.upload` and character
    references (`lifecycle=`).

    - `expires_in`: seconds until fal deletes the file, or one of fal's clients' presets `"immediate"`
      (60 s: fal reads 0 as "never"), `"1h"`, `"1d"`, `"7d"`, `"30d"`, `"1y"`; `"never"` for no expiry
      (sent as `null`, fal's "no expiration"); `None` for the account's default
      (`client.storage.get_settings()`).
    - `initial_acl`: the file's first ACL, a decision (`"allow"`, `"forbid"`, `"hide"`) or
      `{"default": …, "rules": [(user, decision), …]}`; `None` for the account's default.

    `Lifecycle()` asks for nothing: no header is sent. Invalid values raise `ValidationError` at once.
    """

    expires_in: int | ExpiryPreset | Literal["never"] | None = None
    initial_acl: AclInput | None = None
    header: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        value: dict[str, Any] = {}
        if self.expires_in == "never":
            value["expiration_duration_seconds"] = None
        elif isinstance(self.expires_in, str):
            if self.expires_in not in EXPIRY_PRESETS:
                presets = ", ".join(f'"{name}"' for name in EXPIRY_PRESETS)
                raise ValidationError(
                    f'lifecycle.expires_in must be seconds, one of {presets}, "never" or None, '
                    f"got {self.expires_in!r:.40}",
                    field="lifecycle.expires_in",
                )
            value["expiration_duration_seconds"] = EXPIRY_PRESETS[self.expires_in]
        elif self.expires_in is not None:
            value["expiration_duration_seconds"] = check.integer(
                self.expires_in, field="lifecycle.expires_in", bounds=EXPIRY_SECONDS
            )
        if self.initial_acl is not None:
            value["initial_acl"] = acl_json(self.initial_acl, field="lifecycle.initial_acl")
        # The header value, also the uploads' cache key: equal lifecycles share uploaded URLs.
        object.__setattr__(self, "header", json.dumps(value, separators=(",", ":")) if value else "")

    def headers(self) -> dict[str, str]:
        """The upload request headers (none when nothing is asked for)."""
        if not self.header:
            return {}
        return {"X-Fal-Object-Lifecycle": self.header, "X-Fal-Object-Lifecycle-Preference": self.header}


def lifecycle(value: object, *, field: str = "lifecycle") -> Lifecycle | None:
    """A `lifecycle=` argument, checked before anything is sent."""
    if value is not None and not isinstance(value, Lifecycle):
        raise ValidationError(
            f"{field} must be a fal_assets.Lifecycle or None, got {type(value).__name__}", field=field
        )
    return value
