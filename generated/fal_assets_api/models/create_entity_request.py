from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.create_entity_request_type import CreateEntityRequestType
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateEntityRequest")


@_attrs_define
class CreateEntityRequest:
    """
    Attributes:
        type_ (CreateEntityRequestType): Smart entity type Example: character.
        name (str): Entity display name
        reference_images (list[str]): Defining reference images. Use saved asset IDs, request IDs, vector IDs, or fal-
            hosted image URLs.
        handle (str | Unset): Optional @mention handle. Defaults from the name; must be unique across all entity types
            in the account.
        description (None | str | Unset): Visual description. Required and non-empty for characters; optional for other
            types.
        cover_image_url (None | str | Unset): Cover image URL. Must be one of the entity's reference images.
    """

    type_: CreateEntityRequestType
    name: str
    reference_images: list[str]
    handle: str | Unset = UNSET
    description: None | str | Unset = UNSET
    cover_image_url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        name = self.name

        reference_images = self.reference_images

        handle = self.handle

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        cover_image_url: None | str | Unset
        if isinstance(self.cover_image_url, Unset):
            cover_image_url = UNSET
        else:
            cover_image_url = self.cover_image_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "name": name,
                "reference_images": reference_images,
            }
        )
        if handle is not UNSET:
            field_dict["handle"] = handle
        if description is not UNSET:
            field_dict["description"] = description
        if cover_image_url is not UNSET:
            field_dict["cover_image_url"] = cover_image_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = CreateEntityRequestType(d.pop("type"))

        name = d.pop("name")

        reference_images = cast(list[str], d.pop("reference_images"))

        handle = d.pop("handle", UNSET)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_cover_image_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cover_image_url = _parse_cover_image_url(d.pop("cover_image_url", UNSET))

        create_entity_request = cls(
            type_=type_,
            name=name,
            reference_images=reference_images,
            handle=handle,
            description=description,
            cover_image_url=cover_image_url,
        )

        create_entity_request.additional_properties = d
        return create_entity_request

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
