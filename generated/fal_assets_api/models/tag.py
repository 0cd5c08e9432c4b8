from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import (
    MISSING,
    STRICT,
    Drift,
    firm,
    not_a_datetime,
    not_an_object,
    reply_to_dict,
    tolerated,
)

T = TypeVar("T", bound="Tag")


@_attrs_define
class Tag:
    """Asset tag

    Read tolerantly from fal's replies (`from_reply`): a field fal leaves out or sends as null is None, and an
    enum value the spec does not list is kept as the plain string.

    Attributes:
        id (str): Tag ID Example: d9k7q2m4n6p8r1s3t5uv.
        name (str): Tag name Example: moodboard.
        created_at (datetime.datetime | None): Tag creation time Example: 2026-05-23T20:00:00.000Z.
    """

    id: str
    name: str | None
    created_at: datetime.datetime | None
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

        name = pop("name", MISSING)
        if name.__class__ is not str:
            name = tolerated(drift, path, "name", name, "a string", True, False)

        created_at = pop("created_at", MISSING)
        if created_at is not None:
            if created_at.__class__ is str:
                try:
                    created_at = datetime.datetime.fromisoformat(created_at)
                except ValueError:
                    raise not_a_datetime(path + ".created_at", created_at) from None
            else:
                created_at = tolerated(
                    drift, path, "created_at", created_at, "an ISO 8601 date-time string", True, True
                )

        # Positionally, in the order the fields are declared above (faster than keywords, per item).
        tag = cls(
            id,
            name,
            created_at,
        )
        tag.additional_properties = d
        return tag

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
    ("name", "name"),
    ("created_at", "created_at"),
)
