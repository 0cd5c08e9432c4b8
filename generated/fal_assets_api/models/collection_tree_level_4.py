from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.collection_tree_level_4_type import CollectionTreeLevel4Type

T = TypeVar("T", bound="CollectionTreeLevel4")


@_attrs_define
class CollectionTreeLevel4:
    """
    Attributes:
        id (str): Collection ID Example: d8b6elcregj72v34jr8g.
        name (str): Collection display name Example: Campaign concepts.
        type_ (CollectionTreeLevel4Type): Collection type
        children (list[Any]): Child collections (always empty at the maximum nesting depth)
    """

    id: str
    name: str
    type_: CollectionTreeLevel4Type
    children: list[Any]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        type_ = self.type_.value

        children = self.children

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "type": type_,
                "children": children,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        type_ = CollectionTreeLevel4Type(d.pop("type"))

        children = cast(list[Any], d.pop("children"))

        collection_tree_level_4 = cls(
            id=id,
            name=name,
            type_=type_,
            children=children,
        )

        collection_tree_level_4.additional_properties = d
        return collection_tree_level_4

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
