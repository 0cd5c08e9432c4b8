from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SetAssetTagsRequest")


@_attrs_define
class SetAssetTagsRequest:
    """
    Attributes:
        tag_ids (list[str]): Full replacement set of tag IDs
        asset_id (str | Unset): Asset ID (canonical catalog identity)
        request_id (str | Unset): Request ID to save as an asset before mutating
        vector_id (str | Unset): Vector ID to save as an asset before mutating. Prefer asset_id
    """

    tag_ids: list[str]
    asset_id: str | Unset = UNSET
    request_id: str | Unset = UNSET
    vector_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tag_ids = self.tag_ids

        asset_id = self.asset_id

        request_id = self.request_id

        vector_id = self.vector_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tag_ids": tag_ids,
            }
        )
        if asset_id is not UNSET:
            field_dict["asset_id"] = asset_id
        if request_id is not UNSET:
            field_dict["request_id"] = request_id
        if vector_id is not UNSET:
            field_dict["vector_id"] = vector_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        tag_ids = cast(list[str], d.pop("tag_ids"))

        asset_id = d.pop("asset_id", UNSET)

        request_id = d.pop("request_id", UNSET)

        vector_id = d.pop("vector_id", UNSET)

        set_asset_tags_request = cls(
            tag_ids=tag_ids,
            asset_id=asset_id,
            request_id=request_id,
            vector_id=vector_id,
        )

        set_asset_tags_request.additional_properties = d
        return set_asset_tags_request

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
