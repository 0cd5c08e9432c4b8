from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.upload_asset_request_type import UploadAssetRequestType
from ..types import UNSET, Unset

T = TypeVar("T", bound="UploadAssetRequest")


@_attrs_define
class UploadAssetRequest:
    """
    Attributes:
        url (str): fal-hosted media URL to ingest into the asset library
        type_ (UploadAssetRequestType): Media type for the uploaded asset
        prompt (None | str | Unset): Optional caller-provided caption or description to index with the uploaded asset
        collection_id (None | str | Unset): Optional manual collection ID to add the uploaded asset to
        favorite (bool | Unset): Whether to favorite the uploaded asset immediately Default: False.
        tag_ids (list[str] | Unset): Tag IDs to assign to the uploaded asset
    """

    url: str
    type_: UploadAssetRequestType
    prompt: None | str | Unset = UNSET
    collection_id: None | str | Unset = UNSET
    favorite: bool | Unset = False
    tag_ids: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        type_ = self.type_.value

        prompt: None | str | Unset
        if isinstance(self.prompt, Unset):
            prompt = UNSET
        else:
            prompt = self.prompt

        collection_id: None | str | Unset
        if isinstance(self.collection_id, Unset):
            collection_id = UNSET
        else:
            collection_id = self.collection_id

        favorite = self.favorite

        tag_ids: list[str] | Unset = UNSET
        if not isinstance(self.tag_ids, Unset):
            tag_ids = self.tag_ids

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "url": url,
                "type": type_,
            }
        )
        if prompt is not UNSET:
            field_dict["prompt"] = prompt
        if collection_id is not UNSET:
            field_dict["collection_id"] = collection_id
        if favorite is not UNSET:
            field_dict["favorite"] = favorite
        if tag_ids is not UNSET:
            field_dict["tag_ids"] = tag_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        type_ = UploadAssetRequestType(d.pop("type"))

        def _parse_prompt(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        prompt = _parse_prompt(d.pop("prompt", UNSET))

        def _parse_collection_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        collection_id = _parse_collection_id(d.pop("collection_id", UNSET))

        favorite = d.pop("favorite", UNSET)

        tag_ids = cast(list[str], d.pop("tag_ids", UNSET))

        upload_asset_request = cls(
            url=url,
            type_=type_,
            prompt=prompt,
            collection_id=collection_id,
            favorite=favorite,
            tag_ids=tag_ids,
        )

        upload_asset_request.additional_properties = d
        return upload_asset_request

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
