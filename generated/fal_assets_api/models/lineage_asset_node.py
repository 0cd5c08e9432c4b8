from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lineage_asset_node_kind import LineageAssetNodeKind
from ..models.lineage_asset_node_type import LineageAssetNodeType

T = TypeVar("T", bound="LineageAssetNode")


@_attrs_define
class LineageAssetNode:
    """An asset in the user's library

    Attributes:
        kind (LineageAssetNodeKind): Node kind
        id (str): Graph node ID Example: asset:0f343b0931126a20f133d67c2b018a3b.
        output_key (str): Content-addressed asset identity (md5 of the media URL) Example:
            0f343b0931126a20f133d67c2b018a3b.
        url (None | str): Media URL; null when the asset is deleted or expired Example:
            https://v3b.fal.media/files/b/0a9b4900/portrait.png.
        type_ (LineageAssetNodeType): Asset media type
        request_id (str): Request that generated this asset Example: 019e6d0a-e5be-7b82-b329-35ae64296902.
        asset_id (None | str): Asset ID (navigable handle); null when the asset is deleted or expired Example:
            d8b6elcregj72v34jr8g.
        tombstone (bool): Whether the asset has been deleted or has expired Example: False.
    """

    kind: LineageAssetNodeKind
    id: str
    output_key: str
    url: None | str
    type_: LineageAssetNodeType
    request_id: str
    asset_id: None | str
    tombstone: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        id = self.id

        output_key = self.output_key

        url: None | str
        url = self.url

        type_ = self.type_.value

        request_id = self.request_id

        asset_id: None | str
        asset_id = self.asset_id

        tombstone = self.tombstone

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "id": id,
                "output_key": output_key,
                "url": url,
                "type": type_,
                "request_id": request_id,
                "asset_id": asset_id,
                "tombstone": tombstone,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = LineageAssetNodeKind(d.pop("kind"))

        id = d.pop("id")

        output_key = d.pop("output_key")

        def _parse_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        url = _parse_url(d.pop("url"))

        type_ = LineageAssetNodeType(d.pop("type"))

        request_id = d.pop("request_id")

        def _parse_asset_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        asset_id = _parse_asset_id(d.pop("asset_id"))

        tombstone = d.pop("tombstone")

        lineage_asset_node = cls(
            kind=kind,
            id=id,
            output_key=output_key,
            url=url,
            type_=type_,
            request_id=request_id,
            asset_id=asset_id,
            tombstone=tombstone,
        )

        lineage_asset_node.additional_properties = d
        return lineage_asset_node

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
