from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.asset_type import AssetType

if TYPE_CHECKING:
    from ..models.tag import Tag


T = TypeVar("T", bound="Asset")


@_attrs_define
class Asset:
    """Asset item

    Attributes:
        asset_id (None | str): Asset ID (canonical catalog identity) Example: d8b6elcregj72v34jr8g.
        vector_id (str): Vector ID. Prefer asset_id for addressing Example: b1a2b4a5-cb89-51dc-a108-6dbfd8e742fc.
        request_id (None | str): Request ID Example: 019e6d0a-e5be-7b82-b329-35ae64296902.
        url (None | str): Media URL Example:
            https://v3b.fal.media/files/b/0a9b4900/PDbTGyzqRh1aijW2WQiY9_opengraph-1%20%281%29.png.
        type_ (AssetType): Asset media type
        title (str): Display title Example: Portrait.
        endpoint (None | str): Model endpoint that produced the asset Example: fal-ai/flux/dev.
        created_at (datetime.datetime | None): Asset creation time Example: 2026-05-23T20:00:00.000Z.
        source (None | str): Asset source Example: upload.
        prompt (None | str): Saved prompt or description Example: cinematic portrait.
        width (float | None): Width in pixels Example: 1024.
        height (float | None): Height in pixels Example: 1024.
        content_type (None | str): Media content type Example: image/png.
        is_favorited (bool): Whether the asset is favorited Example: False.
        collection_ids (list[str]): Collections containing this asset Example: ['d8b6elcregj72v34jr8g'].
        tags (list[Tag]): Assigned tags
        similarity (float | None): Semantic similarity score when applicable Example: 0.92.
    """

    asset_id: None | str
    vector_id: str
    request_id: None | str
    url: None | str
    type_: AssetType
    title: str
    endpoint: None | str
    created_at: datetime.datetime | None
    source: None | str
    prompt: None | str
    width: float | None
    height: float | None
    content_type: None | str
    is_favorited: bool
    collection_ids: list[str]
    tags: list[Tag]
    similarity: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asset_id: None | str
        asset_id = self.asset_id

        vector_id = self.vector_id

        request_id: None | str
        request_id = self.request_id

        url: None | str
        url = self.url

        type_ = self.type_.value

        title = self.title

        endpoint: None | str
        endpoint = self.endpoint

        created_at: None | str
        if isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        source: None | str
        source = self.source

        prompt: None | str
        prompt = self.prompt

        width: float | None
        width = self.width

        height: float | None
        height = self.height

        content_type: None | str
        content_type = self.content_type

        is_favorited = self.is_favorited

        collection_ids = self.collection_ids

        tags = []
        for tags_item_data in self.tags:
            tags_item = tags_item_data.to_dict()
            tags.append(tags_item)

        similarity: float | None
        similarity = self.similarity

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "asset_id": asset_id,
                "vector_id": vector_id,
                "request_id": request_id,
                "url": url,
                "type": type_,
                "title": title,
                "endpoint": endpoint,
                "created_at": created_at,
                "source": source,
                "prompt": prompt,
                "width": width,
                "height": height,
                "content_type": content_type,
                "is_favorited": is_favorited,
                "collection_ids": collection_ids,
                "tags": tags,
                "similarity": similarity,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tag import Tag  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_asset_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        asset_id = _parse_asset_id(d.pop("asset_id"))

        vector_id = d.pop("vector_id")

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        def _parse_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        url = _parse_url(d.pop("url"))

        type_ = AssetType(d.pop("type"))

        title = d.pop("title")

        def _parse_endpoint(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        endpoint = _parse_endpoint(d.pop("endpoint"))

        def _parse_created_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_at_type_0 = datetime.datetime.fromisoformat(data)

                return created_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        created_at = _parse_created_at(d.pop("created_at"))

        def _parse_source(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        source = _parse_source(d.pop("source"))

        def _parse_prompt(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        prompt = _parse_prompt(d.pop("prompt"))

        def _parse_width(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        width = _parse_width(d.pop("width"))

        def _parse_height(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        height = _parse_height(d.pop("height"))

        def _parse_content_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        content_type = _parse_content_type(d.pop("content_type"))

        is_favorited = d.pop("is_favorited")

        collection_ids = cast(list[str], d.pop("collection_ids"))

        tags = []
        _tags = d.pop("tags")
        for tags_item_data in _tags:
            tags_item = Tag.from_dict(tags_item_data)

            tags.append(tags_item)

        def _parse_similarity(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        similarity = _parse_similarity(d.pop("similarity"))

        asset = cls(
            asset_id=asset_id,
            vector_id=vector_id,
            request_id=request_id,
            url=url,
            type_=type_,
            title=title,
            endpoint=endpoint,
            created_at=created_at,
            source=source,
            prompt=prompt,
            width=width,
            height=height,
            content_type=content_type,
            is_favorited=is_favorited,
            collection_ids=collection_ids,
            tags=tags,
            similarity=similarity,
        )

        asset.additional_properties = d
        return asset

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
