from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.storage_settings_acl_request_type_0_default import StorageSettingsAclRequestType0Default
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.acl_rule import AclRule


T = TypeVar("T", bound="StorageSettingsAclRequestType0")


@_attrs_define
class StorageSettingsAclRequestType0:
    """Default ACL applied to newly uploaded files. Null uses the system default (public).

    Attributes:
        default (StorageSettingsAclRequestType0Default): Fallback decision when no user-specific rule matches Example:
            allow.
        rules (list[AclRule] | Unset): User-specific overrides to the default decision
    """

    default: StorageSettingsAclRequestType0Default
    rules: list[AclRule] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        default = self.default.value

        rules: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.rules, Unset):
            rules = []
            for rules_item_data in self.rules:
                rules_item = rules_item_data.to_dict()
                rules.append(rules_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "default": default,
            }
        )
        if rules is not UNSET:
            field_dict["rules"] = rules

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.acl_rule import AclRule  # noqa: PLC0415

        d = dict(src_dict)
        default = StorageSettingsAclRequestType0Default(d.pop("default"))

        _rules = d.pop("rules", UNSET)
        rules: list[AclRule] | Unset = UNSET
        if _rules is not UNSET:
            rules = []
            for rules_item_data in _rules:
                rules_item = AclRule.from_dict(rules_item_data)

                rules.append(rules_item)

        storage_settings_acl_request_type_0 = cls(
            default=default,
            rules=rules,
        )

        return storage_settings_acl_request_type_0
