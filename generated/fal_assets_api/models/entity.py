from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.entity_type import EntityType
from ..types import (
    MISSING,
    STRICT,
    Drift,
    firm,
    not_a_datetime,
    not_an_item,
    not_an_object,
    reply_to_dict,
    tolerated,
)

T = TypeVar("T", bound="Entity")


_EntityType_VALUES = {member.value: member for member in EntityType}


@_attrs_define
class Entity:
    """
    Read tolerantly from fal's replies (`from_reply`): a field fal leaves out or sends as null is None, and an
    enum value the spec does not list is kept as the plain string.

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
    type_: EntityType | str | None
    name: str | None
    handle: str | None
    description: str | None
    cover_image_url: str | None
    reference_images: list[str] | None
    is_favorited: bool | None
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return reply_to_dict(self, _FIELDS, self.additional_properties)

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Strict: any field missing, null or outside its enum where the spec says otherwise is refused
        (ReplyShapeError, a ValueError)."""
        return cls.from_reply(dict(src_dict), STRICT)

    @classmethod
    def from_reply(cls: type[T], src: Any, drift: Drift, path: str = "") -> T:
        """Read a JSON object of fal's reply. Each difference from the spec is reported to `drift` (which logs
        it, or raises in strict mode); a wrong JSON type, a missing identity or wrapper raise ReplyShapeError."""
        if src.__class__ is not dict:
            raise not_an_object(path, src)
        d = src.copy()
        pop = d.pop

        id = pop("id", MISSING)
        if id.__class__ is not str:
            firm(path, "id", id, "a string")

        type_ = pop("type", MISSING)
        if type_.__class__ is str:
            type_ = _EntityType_VALUES.get(type_, type_)
            if type_.__class__ is str:
                drift(path + ".type", f"value {type_!r:.80} is not in the spec")
        else:
            type_ = tolerated(drift, path, "type", type_, "a string", True, False)

        name = pop("name", MISSING)
        if name.__class__ is not str:
            name = tolerated(drift, path, "name", name, "a string", True, False)

        handle = pop("handle", MISSING)
        if handle.__class__ is not str:
            handle = tolerated(drift, path, "handle", handle, "a string", True, False)

        description = pop("description", MISSING)
        if description is not None:
            if description.__class__ is not str:
                description = tolerated(drift, path, "description", description, "a string", True, True)

        cover_image_url = pop("cover_image_url", MISSING)
        if cover_image_url is not None:
            if cover_image_url.__class__ is not str:
                cover_image_url = tolerated(drift, path, "cover_image_url", cover_image_url, "a string", True, True)

        reference_images = pop("reference_images", MISSING)

        if reference_images.__class__ is list:
            for item in reference_images:
                if item.__class__ is not str:
                    not_an_item(path, "reference_images", reference_images, item, "a string")

        else:
            reference_images = tolerated(drift, path, "reference_images", reference_images, "an array", True, False)

        is_favorited = pop("is_favorited", MISSING)
        if is_favorited.__class__ is not bool:
            is_favorited = tolerated(drift, path, "is_favorited", is_favorited, "a boolean", True, False)

        created_at = pop("created_at", MISSING)
        if created_at.__class__ is str:
            try:
                created_at = datetime.datetime.fromisoformat(created_at)
            except ValueError:
                raise not_a_datetime(path + ".created_at", created_at) from None
        else:
            created_at = tolerated(drift, path, "created_at", created_at, "an ISO 8601 date-time string", True, False)

        updated_at = pop("updated_at", MISSING)
        if updated_at.__class__ is str:
            try:
                updated_at = datetime.datetime.fromisoformat(updated_at)
            except ValueError:
                raise not_a_datetime(path + ".updated_at", updated_at) from None
        else:
            updated_at = tolerated(drift, path, "updated_at", updated_at, "an ISO 8601 date-time string", True, False)

        # Positionally, in the order the fields are declared above (faster than keywords, per item).
        entity = cls(
            id,
            type_,
            name,
            handle,
            description,
            cover_image_url,
            reference_images,
            is_favorited,
            created_at,
            updated_at,
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


# (attribute, JSON key) of each field, for to_dict.
_FIELDS = (
    ("id", "id"),
    ("type_", "type"),
    ("name", "name"),
    ("handle", "handle"),
    ("description", "description"),
    ("cover_image_url", "cover_image_url"),
    ("reference_images", "reference_images"),
    ("is_favorited", "is_favorited"),
    ("created_at", "created_at"),
    ("updated_at", "updated_at"),
)
