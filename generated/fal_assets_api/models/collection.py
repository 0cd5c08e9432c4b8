from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.collection_type import CollectionType
from ..types import UNSET, Unset

T = TypeVar("T", bound="Collection")


@_attrs_define
class Collection:
    """
    Attributes:
        id (str): Collection ID
        type_ (CollectionType): Collection type
        name (str): Collection display name
        description (None | str): Collection description
        icon (None | str): Optional collection icon
        color (None | str): Optional collection color
        cover_image_url (None | str): Optional cover image URL for the collection
        character_identifier (None | str): Character @mention identifier for character collections
        parent_collection_id (None | str): Parent collection ID for a nested (manual) collection; null when top-level
        is_favorited (bool): Whether the collection is favorited
        created_at (datetime.datetime): Collection creation time
        updated_at (datetime.datetime): Collection update time
        filters (Any | Unset): Filter DSL backing smart and character collections
        asset_count (float | None | Unset): Exact asset count when available; null for smart/character collections
    """

    id: str
    type_: CollectionType
    name: str
    description: None | str
    icon: None | str
    color: None | str
    cover_image_url: None | str
    character_identifier: None | str
    parent_collection_id: None | str
    is_favorited: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    filters: Any | Unset = UNSET
    asset_count: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_.value

        name = self.name

        description: None | str
        description = self.description

        icon: None | str
        icon = self.icon

        color: None | str
        color = self.color

        cover_image_url: None | str
        cover_image_url = self.cover_image_url

        character_identifier: None | str
        character_identifier = self.character_identifier

        parent_collection_id: None | str
        parent_collection_id = self.parent_collection_id

        is_favorited = self.is_favorited

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        filters = self.filters

        asset_count: float | None | Unset
        if isinstance(self.asset_count, Unset):
            asset_count = UNSET
        else:
            asset_count = self.asset_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "name": name,
                "description": description,
                "icon": icon,
                "color": color,
                "cover_image_url": cover_image_url,
                "character_identifier": character_identifier,
                "parent_collection_id": parent_collection_id,
                "is_favorited": is_favorited,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if filters is not UNSET:
            field_dict["filters"] = filters
        if asset_count is not UNSET:
            field_dict["asset_count"] = asset_count

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        type_ = CollectionType(d.pop("type"))

        name = d.pop("name")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        def _parse_icon(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        icon = _parse_icon(d.pop("icon"))

        def _parse_color(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        color = _parse_color(d.pop("color"))

        def _parse_cover_image_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cover_image_url = _parse_cover_image_url(d.pop("cover_image_url"))

        def _parse_character_identifier(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        character_identifier = _parse_character_identifier(d.pop("character_identifier"))

        def _parse_parent_collection_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        parent_collection_id = _parse_parent_collection_id(d.pop("parent_collection_id"))

        is_favorited = d.pop("is_favorited")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        filters = d.pop("filters", UNSET)

        def _parse_asset_count(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        asset_count = _parse_asset_count(d.pop("asset_count", UNSET))

        collection = cls(
            id=id,
            type_=type_,
            name=name,
            description=description,
            icon=icon,
            color=color,
            cover_image_url=cover_image_url,
            character_identifier=character_identifier,
            parent_collection_id=parent_collection_id,
            is_favorited=is_favorited,
            created_at=created_at,
            updated_at=updated_at,
            filters=filters,
            asset_count=asset_count,
        )

        collection.additional_properties = d
        return collection

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
