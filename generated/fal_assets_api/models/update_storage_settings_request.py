from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.storage_settings_acl_request_type_0 import StorageSettingsAclRequestType0


T = TypeVar("T", bound="UpdateStorageSettingsRequest")


@_attrs_define
class UpdateStorageSettingsRequest:
    """Account-level storage lifecycle settings

    Attributes:
        expiration_duration_seconds (int | None | Unset): Seconds after which newly uploaded files automatically expire
            and are deleted. Null disables auto-expiration. Example: 86400.
        initial_acl (None | StorageSettingsAclRequestType0 | Unset): Default ACL applied to newly uploaded files. Null
            uses the system default (public).
    """

    expiration_duration_seconds: int | None | Unset = UNSET
    initial_acl: None | StorageSettingsAclRequestType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.storage_settings_acl_request_type_0 import StorageSettingsAclRequestType0  # noqa: PLC0415

        expiration_duration_seconds: int | None | Unset
        if isinstance(self.expiration_duration_seconds, Unset):
            expiration_duration_seconds = UNSET
        else:
            expiration_duration_seconds = self.expiration_duration_seconds

        initial_acl: dict[str, Any] | None | Unset
        if isinstance(self.initial_acl, Unset):
            initial_acl = UNSET
        elif isinstance(self.initial_acl, StorageSettingsAclRequestType0):
            initial_acl = self.initial_acl.to_dict()
        else:
            initial_acl = self.initial_acl

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if expiration_duration_seconds is not UNSET:
            field_dict["expiration_duration_seconds"] = expiration_duration_seconds
        if initial_acl is not UNSET:
            field_dict["initial_acl"] = initial_acl

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.storage_settings_acl_request_type_0 import StorageSettingsAclRequestType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_expiration_duration_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        expiration_duration_seconds = _parse_expiration_duration_seconds(d.pop("expiration_duration_seconds", UNSET))

        def _parse_initial_acl(data: object) -> None | StorageSettingsAclRequestType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_storage_settings_acl_request_type_0 = StorageSettingsAclRequestType0.from_dict(data)

                return componentsschemas_storage_settings_acl_request_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StorageSettingsAclRequestType0 | Unset, data)

        initial_acl = _parse_initial_acl(d.pop("initial_acl", UNSET))

        update_storage_settings_request = cls(
            expiration_duration_seconds=expiration_duration_seconds,
            initial_acl=initial_acl,
        )

        return update_storage_settings_request
