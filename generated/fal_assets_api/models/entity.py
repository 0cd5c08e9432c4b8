from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.entity_type import EntityType

T = TypeVar("T", bound="Entity")


@_attrs_define
class Entity:
    """
    Attributes:
        id (str): Smart entity ID
        type_ (EntityType): Smart entity type Example: character.
        name (str): Entity display name
        handle (str): Resolved @mention handle, without the leading @
        description (None | str): Entity visual description
        cover_image_url (None | str): Entity cover image URL
        reference_images (list[str]): Defining reference image URLs
        is_favorited (bool): Whether the entity is favorited
        created_at (datetime.datetime): Creation time in UTC
        updated_at (datetime.datetime): Last update time in UTC
    """

    id: str
    type_: EntityType
    name: str
    handle: str
    description: None | str
    cover_image_url: None | str
    reference_images: list[str]
    is_favorited: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_.value

        name = self.name

        handle = self.handle

        description: None | str
        description = self.description

        cover_image_url: None | str
        cover_image_url = self.cover_image_url

        reference_images = self.reference_images

        is_favorited = self.is_favorited

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "name": name,
                "handle": handle,
                "description": description,
                "cover_image_url": cover_image_url,
                "reference_images": reference_images,
                "is_favorited": is_favorited,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        type_ = EntityType(d.pop("type"))

        name = d.pop("name")

        handle = d.pop("handle")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        def _parse_cover_image_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cover_image_url = _parse_cover_image_url(d.pop("cover_image_url"))

        reference_images = cast(list[str], d.pop("reference_images"))

        is_favorited = d.pop("is_favorited")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        entity = cls(
            id=id,
            type_=type_,
            name=name,
            handle=handle,
            description=description,
            cover_image_url=cover_image_url,
            reference_images=reference_images,
            is_favorited=is_favorited,
            created_at=created_at,
            updated_at=updated_at,
        )

        entity.additional_properties = d
        return entity

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
