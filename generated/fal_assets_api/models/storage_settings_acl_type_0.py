from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.storage_settings_acl_type_0_default import StorageSettingsAclType0Default
from ..types import (
    MISSING,
    STRICT,
    Drift,
    ReplyShapeError,
    no_identity,
    not_an_object,
    reply_to_dict,
    tolerated,
)

if TYPE_CHECKING:
    from ..models.acl_rule import AclRule


T = TypeVar("T", bound="StorageSettingsAclType0")


_StorageSettingsAclType0Default_VALUES = {member.value: member for member in StorageSettingsAclType0Default}


@_attrs_define
class StorageSettingsAclType0:
    """Default ACL applied to newly uploaded files, or null if the system default (public) is used

    Read tolerantly from fal's replies (`from_reply`): a field fal leaves out or sends as null is None, and an
    enum value the spec does not list is kept as the plain string.

    Attributes:
        default (StorageSettingsAclType0Default): Fallback decision when no user-specific rule matches Example: allow.
        rules (list[AclRule]): User-specific overrides to the default decision. Users are returned as nicknames where
            possible.
    """

    default: StorageSettingsAclType0Default | str | None
    rules: list[AclRule] | None
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

        default = pop("default", MISSING)
        if default.__class__ is str:
            default = _StorageSettingsAclType0Default_VALUES.get(default, default)
            if default.__class__ is str:
                drift(path + ".default", f"value {default!r:.80} is not in the spec")
        else:
            default = tolerated(drift, path, "default", default, "a string", True, False)

        rules = pop("rules", MISSING)

        if rules.__class__ is list:
            items_path = path + ".rules[]"
            rules_items: list[Any] = []
            read, append = AclRule.from_reply, rules_items.append
            # An error in an item names its index: the items read so far count them.
            try:
                for item in rules:
                    append(read(item, drift, items_path))
            except ReplyShapeError as exc:
                raise exc.in_item(items_path, len(rules_items)) from None
            rules = rules_items
        else:
            rules = tolerated(drift, path, "rules", rules, "an array", True, False)

        # An object with none of its fields is not this object (`{"unexpected": ...}`), whatever else it has.
        if len(d) == len(src):
            raise no_identity(path, "none of its fields")
        # Positionally, in the order the fields are declared above (faster than keywords, per item).
        storage_settings_acl_type_0 = cls(
            default,
            rules,
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


# (attribute, JSON key) of each field, for to_dict.
_FIELDS = (
    ("default", "default"),
    ("rules", "rules"),
)


# The models this one holds, imported once the class exists (the generator imports them inside each method,
# against import cycles; a reply of 100 items would pay that import 100 times). At the end of the module, a
# cycle finds this module's class already defined.
from ..models.acl_rule import AclRule  # noqa: E402
