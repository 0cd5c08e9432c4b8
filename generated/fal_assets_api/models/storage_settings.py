from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.storage_settings_acl_type_0 import StorageSettingsAclType0


T = TypeVar("T", bound="StorageSettings")


@_attrs_define
class StorageSettings:
    """Account-level storage lifecycle settings

    Attributes:
        expiration_duration_seconds (int | None): Seconds after which newly uploaded files automatically expire, or null
            if auto-expiration is disabled Example: 86400.
        initial_acl (None | StorageSettingsAclType0): Default ACL applied to newly uploaded files, or null if the system
            default (public) is used
    """

    expiration_duration_seconds: int | None
    initial_acl: None | StorageSettingsAclType0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.storage_settings_acl_type_0 import StorageSettingsAclType0  # noqa: PLC0415

        expiration_duration_seconds: int | None
        expiration_duration_seconds = self.expiration_duration_seconds

        initial_acl: dict[str, Any] | None
        if isinstance(self.initial_acl, StorageSettingsAclType0):
            initial_acl = self.initial_acl.to_dict()
        else:
            initial_acl = self.initial_acl

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "expiration_duration_seconds": expiration_duration_seconds,
                "initial_acl": initial_acl,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.storage_settings_acl_type_0 import StorageSettingsAclType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_expiration_duration_seconds(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        expiration_duration_seconds = _parse_expiration_duration_seconds(d.pop("expiration_duration_seconds"))

        def _parse_initial_acl(data: object) -> None | StorageSettingsAclType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_storage_settings_acl_type_0 = StorageSettingsAclType0.from_dict(data)

                return componentsschemas_storage_settings_acl_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StorageSettingsAclType0, data)

        initial_acl = _parse_initial_acl(d.pop("initial_acl"))

        storage_settings = cls(
            expiration_duration_seconds=expiration_duration_seconds,
            initial_acl=initial_acl,
        )

        storage_settings.additional_properties = d
        return storage_settings

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
