from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import (
    MISSING,
    STRICT,
    Drift,
    no_identity,
    not_an_object,
    reply_to_dict,
    tolerated,
)

if TYPE_CHECKING:
    from ..models.storage_settings_acl_type_0 import StorageSettingsAclType0


T = TypeVar("T", bound="StorageSettings")


@_attrs_define
class StorageSettings:
    """Account-level storage lifecycle settings

    Read tolerantly from fal's replies (`from_reply`): a field fal leaves out or sends as null is None, and an
    enum value the spec does not list is kept as the plain string.

    Attributes:
        expiration_duration_seconds (int | None): Seconds after which newly uploaded files automatically expire, or null
            if auto-expiration is disabled Example: 86400.
        initial_acl (None | StorageSettingsAclType0): Default ACL applied to newly uploaded files, or null if the system
            default (public) is used
    """

    expiration_duration_seconds: int | None
    initial_acl: StorageSettingsAclType0 | None
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

        expiration_duration_seconds = pop("expiration_duration_seconds", MISSING)
        if expiration_duration_seconds is not None:
            if expiration_duration_seconds.__class__ is not int:
                expiration_duration_seconds = tolerated(
                    drift, path, "expiration_duration_seconds", expiration_duration_seconds, "an integer", True, True
                )

        initial_acl = pop("initial_acl", MISSING)
        if initial_acl is not None:
            if initial_acl.__class__ is dict:
                initial_acl = StorageSettingsAclType0.from_reply(initial_acl, drift, path + ".initial_acl")
            else:
                initial_acl = tolerated(drift, path, "initial_acl", initial_acl, "an object", True, True)

        # An object with none of its fields is not this object (`{"unexpected": ...}`), whatever else it has.
        if len(d) == len(src):
            raise no_identity(path, "none of its fields")
        # Positionally, in the order the fields are declared above (faster than keywords, per item).
        storage_settings = cls(
            expiration_duration_seconds,
            initial_acl,
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


# (attribute, JSON key) of each field, for to_dict.
_FIELDS = (
    ("expiration_duration_seconds", "expiration_duration_seconds"),
    ("initial_acl", "initial_acl"),
)


# The models this one holds, imported once the class exists (the generator imports them inside each method,
# against import cycles; a reply of 100 items would pay that import 100 times). At the end of the module, a
# cycle finds this module's class already defined.
from ..models.storage_settings_acl_type_0 import StorageSettingsAclType0  # noqa: E402
