from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.character_type import CharacterType
from ..types import (
    MISSING,
    STRICT,
    UNSET,
    Drift,
    Unset,
    firm,
    not_a_datetime,
    not_an_item,
    not_an_object,
    reply_to_dict,
    tolerated,
)

T = TypeVar("T", bound="Character")


_CharacterType_VALUES = {member.value: member for member in CharacterType}


@_attrs_define
class Character:
    """Asset character

    Read tolerantly from fal's replies (`from_reply`): a field fal leaves out or sends as null is None, and an
    enum value the spec does not list is kept as the plain string.

    Attributes:
        id (str): Collection ID
        type_ (CharacterType): Collection type
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
        reference_images (list[str]): Reference images used for character matching
        asset_count (float | None | Unset): Exact asset count when available; null for smart/character collections
    """

    id: str
    type_: CharacterType | str | None
    name: str | None
    description: str | None
    icon: str | None
    color: str | None
    cover_image_url: str | None
    character_identifier: str | None
    parent_collection_id: str | None
    is_favorited: bool | None
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None
    reference_images: list[str] | None
    asset_count: float | None | Unset = UNSET
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
            type_ = _CharacterType_VALUES.get(type_, type_)
            if type_.__class__ is str:
                drift(path + ".type", f"value {type_!r:.80} is not in the spec")
        else:
            type_ = tolerated(drift, path, "type", type_, "a string", True, False)

        name = pop("name", MISSING)
        if name.__class__ is not str:
            name = tolerated(drift, path, "name", name, "a string", True, False)

        description = pop("description", MISSING)
        if description is not None:
            if description.__class__ is not str:
                description = tolerated(drift, path, "description", description, "a string", True, True)

        icon = pop("icon", MISSING)
        if icon is not None:
            if icon.__class__ is not str:
                icon = tolerated(drift, path, "icon", icon, "a string", True, True)

        color = pop("color", MISSING)
        if color is not None:
            if color.__class__ is not str:
                color = tolerated(drift, path, "color", color, "a string", True, True)

        cover_image_url = pop("cover_image_url", MISSING)
        if cover_image_url is not None:
            if cover_image_url.__class__ is not str:
                cover_image_url = tolerated(drift, path, "cover_image_url", cover_image_url, "a string", True, True)

        character_identifier = pop("character_identifier", MISSING)
        if character_identifier is not None:
            if character_identifier.__class__ is not str:
                character_identifier = tolerated(
                    drift, path, "character_identifier", character_identifier, "a string", True, True
                )

        parent_collection_id = pop("parent_collection_id", MISSING)
        if parent_collection_id is not None:
            if parent_collection_id.__class__ is not str:
                parent_collection_id = tolerated(
                    drift, path, "parent_collection_id", parent_collection_id, "a string", True, True
                )

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

        reference_images = pop("reference_images", MISSING)

        if reference_images.__class__ is list:
            for item in reference_images:
                if item.__class__ is not str:
                    not_an_item(path, "reference_images", reference_images, item, "a string")

        else:
            reference_images = tolerated(drift, path, "reference_images", reference_images, "an array", True, False)

        asset_count = pop("asset_count", MISSING)
        if asset_count is not None:
            if asset_count.__class__ is not float and asset_count.__class__ is not int:
                asset_count = tolerated(drift, path, "asset_count", asset_count, "a number", False, True)

        # Positionally, in the order the fields are declared above (faster than keywords, per item).
        character = cls(
            id,
            type_,
            name,
            description,
            icon,
            color,
            cover_image_url,
            character_identifier,
            parent_collection_id,
            is_favorited,
            created_at,
            updated_at,
            reference_images,
            asset_count,
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


# (attribute, JSON key) of each field, for to_dict.
_FIELDS = (
    ("id", "id"),
    ("type_", "type"),
    ("name", "name"),
    ("description", "description"),
    ("icon", "icon"),
    ("color", "color"),
    ("cover_image_url", "cover_image_url"),
    ("character_identifier", "character_identifier"),
    ("parent_collection_id", "parent_collection_id"),
    ("is_favorited", "is_favorited"),
    ("created_at", "created_at"),
    ("updated_at", "updated_at"),
    ("reference_images", "reference_images"),
    ("asset_count", "asset_count"),
)
