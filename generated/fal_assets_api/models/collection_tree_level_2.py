from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.collection_tree_level_2_type import CollectionTreeLevel2Type

if TYPE_CHECKING:
    from ..models.collection_tree_level_3 import CollectionTreeLevel3


T = TypeVar("T", bound="CollectionTreeLevel2")


@_attrs_define
class CollectionTreeLevel2:
    """
    Attributes:
        id (str): Collection ID Example: d8b6elcregj72v34jr8g.
        name (str): Collection display name Example: Campaign concepts.
        type_ (CollectionTreeLevel2Type): Collection type
        children (list[CollectionTreeLevel3]): Child collections
    """

    id: str
    name: str
    type_: CollectionTreeLevel2Type
    children: list[CollectionTreeLevel3]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        type_ = self.type_.value

        children = []
        for children_item_data in self.children:
            children_item = children_item_data.to_dict()
            children.append(children_item)

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
        from ..models.collection_tree_level_3 import CollectionTreeLevel3  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        type_ = CollectionTreeLevel2Type(d.pop("type"))

        children = []
        _children = d.pop("children")
        for children_item_data in _children:
            children_item = CollectionTreeLevel3.from_dict(children_item_data)

            children.append(children_item)

        collection_tree_level_2 = cls(
            id=id,
            name=name,
            type_=type_,
            children=children,
        )

        collection_tree_level_2.additional_properties = d
        return collection_tree_level_2

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
