from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateCharacterRequest")


@_attrs_define
class CreateCharacterRequest:
    """
    Attributes:
        name (str): Character display name
        description (str): Text description used for character semantic matching
        reference_images (list[str]): Reference images for the character. Prefer vector IDs or request IDs for existing
            fal-generated assets. Use fal-hosted image URLs only for standalone images.
        identifier (None | str | Unset): Optional @mention identifier for the character
        cover_image_url (None | str | Unset): Optional fal-hosted cover image URL for the character
    """

    name: str
    description: str
    reference_images: list[str]
    identifier: None | str | Unset = UNSET
    cover_image_url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        description = self.description

        reference_images = self.reference_images

        identifier: None | str | Unset
        if isinstance(self.identifier, Unset):
            identifier = UNSET
        else:
            identifier = self.identifier

        cover_image_url: None | str | Unset
        if isinstance(self.cover_image_url, Unset):
            cover_image_url = UNSET
        else:
            cover_image_url = self.cover_image_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "description": description,
                "reference_images": reference_images,
            }
        )
        if identifier is not UNSET:
            field_dict["identifier"] = identifier
        if cover_image_url is not UNSET:
            field_dict["cover_image_url"] = cover_image_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        description = d.pop("description")

        reference_images = cast(list[str], d.pop("reference_images"))

        def _parse_identifier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        identifier = _parse_identifier(d.pop("identifier", UNSET))

        def _parse_cover_image_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cover_image_url = _parse_cover_image_url(d.pop("cover_image_url", UNSET))

        create_character_request = cls(
            name=name,
            description=description,
            reference_images=reference_images,
            identifier=identifier,
            cover_image_url=cover_image_url,
        )

        create_character_request.additional_properties = d
        return create_character_request

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
