from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.character_type import CharacterType
from ..types import UNSET, Unset

T = TypeVar("T", bound="Character")


@_attrs_define
class Character:
    """Asset character

    Attributes:
        id (str): Character collection ID
        type_ (CharacterType): Asset type
        name (str): Character display name
        description (None | str): Text description used for character semantic matching
        icon (None | str): Icon name
        color (None | str): Color name
        cover_image_url (None | str): Cover image URL
        character_identifier (None | str): Short identifier of the character
        is_favorited (bool): Whether the character is a favorite
        created_at (datetime.datetime): Creation time
        updated_at (datetime.datetime): Last update time
        asset_count (float | None): Number of assets in the character collection
        reference_images (list[str]): Reference images, resolved to fal-hosted URLs
        parent_collection_id (None | str | Unset): Parent collection ID
    """

    id: str
    type_: CharacterType
    name: str
    description: None | str
    icon: None | str
    color: None | str
    cover_image_url: None | str
    character_identifier: None | str
    is_favorited: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    asset_count: float | None
    reference_images: list[str]
    parent_collection_id: None | str | Unset = UNSET
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

        is_favorited = self.is_favorited

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        asset_count: float | None
        asset_count = self.asset_count

        reference_images = self.reference_images

        parent_collection_id: None | str | Unset
        if isinstance(self.parent_collection_id, Unset):
            parent_collection_id = UNSET
        else:
            parent_collection_id = self.parent_collection_id

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
                "is_favorited": is_favorited,
                "created_at": created_at,
                "updated_at": updated_at,
                "asset_count": asset_count,
                "reference_images": reference_images,
            }
        )
        if parent_collection_id is not UNSET:
            field_dict["parent_collection_id"] = parent_collection_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        type_ = CharacterType(d.pop("type"))

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

        is_favorited = d.pop("is_favorited")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_asset_count(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        asset_count = _parse_asset_count(d.pop("asset_count"))

        reference_images = cast(list[str], d.pop("reference_images"))

        def _parse_parent_collection_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        parent_collection_id = _parse_parent_collection_id(d.pop("parent_collection_id", UNSET))

        character = cls(
            id=id,
            type_=type_,
            name=name,
            description=description,
            icon=icon,
            color=color,
            cover_image_url=cover_image_url,
            character_identifier=character_identifier,
            is_favorited=is_favorited,
            created_at=created_at,
            updated_at=updated_at,
            asset_count=asset_count,
            reference_images=reference_images,
            parent_collection_id=parent_collection_id,
        )

        character.additional_properties = d
        return character

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
