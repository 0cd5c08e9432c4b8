from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.acl_rule_decision import AclRuleDecision

T = TypeVar("T", bound="AclRule")


@_attrs_define
class AclRule:
    """A per-user access control rule

    Attributes:
        user (str): User nickname or user ID the rule applies to Example: some-user.
        decision (AclRuleDecision): Access decision applied to this user Example: allow.
    """

    user: str
    decision: AclRuleDecision

    def to_dict(self) -> dict[str, Any]:
        user = self.user

        decision = self.decision.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "user": user,
                "decision": decision,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        user = d.pop("user")

        decision = AclRuleDecision(d.pop("decision"))

        acl_rule = cls(
            user=user,
            decision=decision,
        )

        return acl_rule
