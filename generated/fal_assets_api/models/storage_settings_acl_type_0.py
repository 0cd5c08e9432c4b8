from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.storage_settings_acl_type_0_default import StorageSettingsAclType0Default

if TYPE_CHECKING:
    from ..models.acl_rule import AclRule


T = TypeVar("T", bound="StorageSettingsAclType0")


@_attrs_define
class StorageSettingsAclType0:
    """Default ACL applied to newly uploaded files, or null if the system default (public) is used

    Attributes:
        default (StorageSettingsAclType0Default): Fallback decision when no user-specific rule matches Example: allow.
        rules (list[AclRule]): User-specific overrides to the default decision. Users are returned as nicknames where
            possible.
    """

    default: StorageSettingsAclType0Default
    rules: list[AclRule]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        default = self.default.value

        rules = []
        for rules_item_data in self.rules:
            rules_item = rules_item_data.to_dict()
            rules.append(rules_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "default": default,
                "rules": rules,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.acl_rule import AclRule  # noqa: PLC0415

        d = dict(src_dict)
        default = StorageSettingsAclType0Default(d.pop("default"))

        rules = []
        _rules = d.pop("rules")
        for rules_item_data in _rules:
            rules_item = AclRule.from_dict(rules_item_data)

            rules.append(rules_item)

        storage_settings_acl_type_0 = cls(
            default=default,
            rules=rules,
        )

        storage_settings_acl_type_0.additional_properties = d
        return storage_settings_acl_type_0

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
