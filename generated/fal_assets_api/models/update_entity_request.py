from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateEntityRequest")


@_attrs_define
class UpdateEntityRequest:
    """
    Attributes:
        name (str | Unset): Entity display name
        handle (str | Unset): Replacement @mention handle. Character handles cannot be changed.
        description (None | str | Unset): Replacement visual description; null clears it for non-character entities.
        reference_images (list[str] | Unset): Replace the defining references with these saved asset IDs, request IDs,
            vector IDs, or fal-hosted image URLs.
        cover_image_url (None | str | Unset): Replacement cover image URL from the entity's reference images; null
            clears the explicit cover.
    """

    name: str | Unset = UNSET
    handle: str | Unset = UNSET
    description: None | str | Unset = UNSET
    reference_images: list[str] | Unset = UNSET
    cover_image_url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        handle = self.handle

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        reference_images: list[str] | Unset = UNSET
        if not isinstance(self.reference_images, Unset):
            reference_images = self.reference_images

        cover_image_url: None | str | Unset
        if isinstance(self.cover_image_url, Unset):
            cover_image_url = UNSET
        else:
            cover_image_url = self.cover_image_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if handle is not UNSET:
            field_dict["handle"] = handle
        if description is not UNSET:
            field_dict["description"] = description
        if reference_images is not UNSET:
            field_dict["reference_images"] = reference_images
        if cover_image_url is not UNSET:
            field_dict["cover_image_url"] = cover_image_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        handle = d.pop("handle", UNSET)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        reference_images = cast(list[str], d.pop("reference_images", UNSET))

        def _parse_cover_image_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cover_image_url = _parse_cover_image_url(d.pop("cover_image_url", UNSET))

        update_entity_request = cls(
            name=name,
            handle=handle,
            description=description,
            reference_images=reference_images,
            cover_image_url=cover_image_url,
        )

        update_entity_request.additional_properties = d
        return update_entity_request

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
