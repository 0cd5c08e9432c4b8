from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MoveCollectionRequest")


@_attrs_define
class MoveCollectionRequest:
    """
    Attributes:
        parent_collection_id (None | str): Parent collection ID to move this collection under, or null to move it to the
            top level. Must be a manual collection; nesting is limited to 5 levels and cannot create a cycle.
    """

    parent_collection_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        parent_collection_id: None | str
        parent_collection_id = self.parent_collection_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "parent_collection_id": parent_collection_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_parent_collection_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        parent_collection_id = _parse_parent_collection_id(d.pop("parent_collection_id"))

        move_collection_request = cls(
            parent_collection_id=parent_collection_id,
        )

        move_collection_request.additional_properties = d
        return move_collection_request

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
