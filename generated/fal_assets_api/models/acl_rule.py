from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.acl_rule_decision import AclRuleDecision
from ..types import (
    MISSING,
    STRICT,
    Drift,
    no_identity,
    not_an_object,
    reply_to_dict,
    tolerated,
)

T = TypeVar("T", bound="AclRule")


_AclRuleDecision_VALUES = {member.value: member for member in AclRuleDecision}


@_attrs_define
class AclRule:
    """A per-user access control rule

    Read tolerantly from fal's replies (`from_reply`): a field fal leaves out or sends as null is None, and an
    enum value the spec does not list is kept as the plain string.

    Attributes:
        user (str): User nickname or user ID the rule applies to Example: some-user.
        decision (AclRuleDecision): Access decision applied to this user Example: allow.
    """

    user: str | None
    decision: AclRuleDecision | str | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return reply_to_dict(self, _FIELDS, self.additional_properties)

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Strict: any field missing, null or outside its enum where the spec says otherwise is refused
        (ReplyShapeError, a ValueError)."""
        return cls.from_reply(dict(src_dict), STRICT)

    @classmethod
    def from_reply(cls: type[T], src: Any, drift: Drift, path: str = "") -> T:
        """Read a JSON object of fal's reply. Each difference from the spec is reported to `drift` (which logs
        it, or raises in strict mode); a wrong JSON type, a missing identity or wrapper raise ReplyShapeError."""
        if src.__class__ is not dict:
            raise not_an_object(path, src)
        d = src.copy()
        pop = d.pop

        user = pop("user", MISSING)
        if user.__class__ is not str:
            user = tolerated(drift, path, "user", user, "a string", True, False)

        decision = pop("decision", MISSING)
        if decision.__class__ is str:
            decision = _AclRuleDecision_VALUES.get(decision, decision)
            if decision.__class__ is str:
                drift(path + ".decision", f"value {decision!r:.80} is not in the spec")
        else:
            decision = tolerated(drift, path, "decision", decision, "a string", True, False)

        # An object with none of its fields is not this object (`{"unexpected": ...}`), whatever else it has.
        if len(d) == len(src):
            raise no_identity(path, "none of its fields")
        # Positionally, in the order the fields are declared above (faster than keywords, per item).
        acl_rule = cls(
            user,
            decision,
        )
        acl_rule.additional_properties = d
        return acl_rule

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# (attribute, JSON key) of each field, for to_dict.
_FIELDS = (
    ("user", "user"),
    ("decision", "decision"),
)
