from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.collection_ancestor import CollectionAncestor
    from ..models.collection_tree import CollectionTree


T = TypeVar("T", bound="CollectionHierarchyResponse")


@_attrs_define
class CollectionHierarchyResponse:
    """
    Attributes:
        hierarchy (CollectionTree): Subtree rooted at the requested collection
        ancestors (list[CollectionAncestor]): Ancestor collections ordered from the top level down to the direct parent
    """

    hierarchy: CollectionTree
    ancestors: list[CollectionAncestor]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        hierarchy = self.hierarchy.to_dict()

        ancestors = []
        for ancestors_item_data in self.ancestors:
            ancestors_item = ancestors_item_data.to_dict()
            ancestors.append(ancestors_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "hierarchy": hierarchy,
                "ancestors": ancestors,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.collection_ancestor import CollectionAncestor  # noqa: PLC0415
        from ..models.collection_tree import CollectionTree  # noqa: PLC0415

        d = dict(src_dict)
        hierarchy = CollectionTree.from_dict(d.pop("hierarchy"))

        ancestors = []
        _ancestors = d.pop("ancestors")
        for ancestors_item_data in _ancestors:
            ancestors_item = CollectionAncestor.from_dict(ancestors_item_data)

            ancestors.append(ancestors_item)

        collection_hierarchy_response = cls(
            hierarchy=hierarchy,
            ancestors=ancestors,
        )

        collection_hierarchy_response.additional_properties = d
        return collection_hierarchy_response

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
