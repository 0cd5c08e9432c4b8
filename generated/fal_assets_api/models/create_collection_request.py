from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateCollectionRequest")


@_attrs_define
class CreateCollectionRequest:
    """
    Attributes:
        name (str): Collection display name
        description (None | str | Unset): Optional collection description
        icon (None | str | Unset): Optional collection icon
        color (None | str | Unset): Optional collection color
        cover_image_url (None | str | Unset): Optional fal-hosted cover image URL for the collection
        parent_collection_id (None | str | Unset): Optional parent collection ID to nest this collection under (manual
            collections only). Omit or null to create a top-level collection.
        filters (Any | Unset): Assets filter DSL
    """

    name: str
    description: None | str | Unset = UNSET
    icon: None | str | Unset = UNSET
    color: None | str | Unset = UNSET
    cover_image_url: None | str | Unset = UNSET
    parent_collection_id: None | str | Unset = UNSET
    filters: Any | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        icon: None | str | Unset
        if isinstance(self.icon, Unset):
            icon = UNSET
        else:
            icon = self.icon

        color: None | str | Unset
        if isinstance(self.color, Unset):
            color = UNSET
        else:
            color = self.color

        cover_image_url: None | str | Unset
        if isinstance(self.cover_image_url, Unset):
            cover_image_url = UNSET
        else:
            cover_image_url = self.cover_image_url

        parent_collection_id: None | str | Unset
        if isinstance(self.parent_collection_id, Unset):
            parent_collection_id = UNSET
        else:
            parent_collection_id = self.parent_collection_id

        filters = self.filters

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if icon is not UNSET:
            field_dict["icon"] = icon
        if color is not UNSET:
            field_dict["color"] = color
        if cover_image_url is not UNSET:
            field_dict["cover_image_url"] = cover_image_url
        if parent_collection_id is not UNSET:
            field_dict["parent_collection_id"] = parent_collection_id
        if filters is not UNSET:
            field_dict["filters"] = filters

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_icon(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        icon = _parse_icon(d.pop("icon", UNSET))

        def _parse_color(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        color = _parse_color(d.pop("color", UNSET))

        def _parse_cover_image_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cover_image_url = _parse_cover_image_url(d.pop("cover_image_url", UNSET))

        def _parse_parent_collection_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        parent_collection_id = _parse_parent_collection_id(d.pop("parent_collection_id", UNSET))

        filters = d.pop("filters", UNSET)

        create_collection_request = cls(
            name=name,
            description=description,
            icon=icon,
            color=color,
            cover_image_url=cover_image_url,
            parent_collection_id=parent_collection_id,
            filters=filters,
        )

        create_collection_request.additional_properties = d
        return create_collection_request

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
