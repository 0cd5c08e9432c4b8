from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lineage_edge_entity_entity_type import LineageEdgeEntityEntityType

T = TypeVar("T", bound="LineageEdgeEntity")


@_attrs_define
class LineageEdgeEntity:
    """
    Attributes:
        entity_id (str): Smart entity ID Example: 43ce3411-1a25-4d14-875e-3562d341b090.
        entity_type (LineageEdgeEntityEntityType): Smart entity type Example: character.
        name (None | str): Entity display name; null when the entity is deleted Example: Alice.
        handle (None | str): Entity @mention handle; null when the entity is deleted Example: alice.
    """

    entity_id: str
    entity_type: LineageEdgeEntityEntityType
    name: None | str
    handle: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        entity_id = self.entity_id

        entity_type = self.entity_type.value

        name: None | str
        name = self.name

        handle: None | str
        handle = self.handle

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "entity_id": entity_id,
                "entity_type": entity_type,
                "name": name,
                "handle": handle,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        entity_id = d.pop("entity_id")

        entity_type = LineageEdgeEntityEntityType(d.pop("entity_type"))

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        def _parse_handle(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        handle = _parse_handle(d.pop("handle"))

        lineage_edge_entity = cls(
            entity_id=entity_id,
            entity_type=entity_type,
            name=name,
            handle=handle,
        )

        lineage_edge_entity.additional_properties = d
        return lineage_edge_entity

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
