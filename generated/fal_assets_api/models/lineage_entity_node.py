from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lineage_entity_node_entity_type import LineageEntityNodeEntityType
from ..models.lineage_entity_node_kind import LineageEntityNodeKind
from ..types import (
    MISSING,
    STRICT,
    Drift,
    firm,
    not_an_object,
    reply_to_dict,
    tolerated,
)

T = TypeVar("T", bound="LineageEntityNode")


_LineageEntityNodeKind_VALUES = {member.value: member for member in LineageEntityNodeKind}


_LineageEntityNodeEntityType_VALUES = {member.value: member for member in LineageEntityNodeEntityType}


@_attrs_define
class LineageEntityNode:
    """A smart entity (e.g. character) referenced by a request

    Read tolerantly from fal's replies (`from_reply`): a field fal leaves out or sends as null is None, and an
    enum value the spec does not list is kept as the plain string.

    Attributes:
        kind (LineageEntityNodeKind): Node kind
        id (str): Graph node ID Example: entity:43ce3411-1a25-4d14-875e-3562d341b090.
        entity_id (str): Smart entity ID Example: 43ce3411-1a25-4d14-875e-3562d341b090.
        entity_type (LineageEntityNodeEntityType): Smart entity type Example: character.
        name (None | str): Entity display name; null when the entity is deleted Example: Alice.
        handle (None | str): Entity @mention handle; null when the entity is deleted Example: alice.
        tombstone (bool): Whether the entity has been deleted Example: False.
    """

    kind: LineageEntityNodeKind | str | None
    id: str
    entity_id: str | None
    entity_type: LineageEntityNodeEntityType | str | None
    name: str | None
    handle: str | None
    tombstone: bool | None
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

        kind = pop("kind", MISSING)
        if kind.__class__ is str:
            kind = _LineageEntityNodeKind_VALUES.get(kind, kind)
            if kind.__class__ is str:
                drift(path + ".kind", f"value {kind!r:.80} is not in the spec")
        else:
            kind = tolerated(drift, path, "kind", kind, "a string", True, False)

        id = pop("id", MISSING)
        if id.__class__ is not str:
            firm(path, "id", id, "a string")

        entity_id = pop("entity_id", MISSING)
        if entity_id.__class__ is not str:
            entity_id = tolerated(drift, path, "entity_id", entity_id, "a string", True, False)

        entity_type = pop("entity_type", MISSING)
        if entity_type.__class__ is str:
            entity_type = _LineageEntityNodeEntityType_VALUES.get(entity_type, entity_type)
            if entity_type.__class__ is str:
                drift(path + ".entity_type", f"value {entity_type!r:.80} is not in the spec")
        else:
            entity_type = tolerated(drift, path, "entity_type", entity_type, "a string", True, False)

        name = pop("name", MISSING)
        if name is not None:
            if name.__class__ is not str:
                name = tolerated(drift, path, "name", name, "a string", True, True)

        handle = pop("handle", MISSING)
        if handle is not None:
            if handle.__class__ is not str:
                handle = tolerated(drift, path, "handle", handle, "a string", True, True)

        tombstone = pop("tombstone", MISSING)
        if tombstone.__class__ is not bool:
            tombstone = tolerated(drift, path, "tombstone", tombstone, "a boolean", True, False)

        # Positionally, in the order the fields are declared above (faster than keywords, per item).
        lineage_entity_node = cls(
            kind,
            id,
            entity_id,
            entity_type,
            name,
            handle,
            tombstone,
        )
        lineage_entity_node.additional_properties = d
        return lineage_entity_node

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
    ("kind", "kind"),
    ("id", "id"),
    ("entity_id", "entity_id"),
    ("entity_type", "entity_type"),
    ("name", "name"),
    ("handle", "handle"),
    ("tombstone", "tombstone"),
)
