from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lineage_request_node_kind import LineageRequestNodeKind
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

T = TypeVar("T", bound="LineageRequestNode")


_LineageRequestNodeKind_VALUES = {member.value: member for member in LineageRequestNodeKind}


@_attrs_define
class LineageRequestNode:
    """A generation request in the lineage

    Read tolerantly from fal's replies (`from_reply`): a field fal leaves out or sends as null is None, and an
    enum value the spec does not list is kept as the plain string.

    Attributes:
        kind (LineageRequestNodeKind): Node kind
        id (str): Graph node ID Example: request:019e6d0a-e5be-7b82-b329-35ae64296902.
        request_id (str): Request ID Example: 019e6d0a-e5be-7b82-b329-35ae64296902.
        endpoint (None | str): Model endpoint that ran the request Example: fal-ai/flux/dev.
        prompt (None | str): Prompt used by the request when captured Example: cinematic portrait.
        created_at (datetime.datetime | None): Request time when captured Example: 2026-05-23T20:00:00.000Z.
    """

    kind: LineageRequestNodeKind | str | None
    id: str
    request_id: str | None
    endpoint: str | None
    prompt: str | None
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

        kind = pop("kind", MISSING)
        if kind.__class__ is str:
            kind = _LineageRequestNodeKind_VALUES.get(kind, kind)
            if kind.__class__ is str:
                drift(path + ".kind", f"value {kind!r:.80} is not in the spec")
        else:
            kind = tolerated(drift, path, "kind", kind, "a string", True, False)

        id = pop("id", MISSING)
        if id.__class__ is not str:
            firm(path, "id", id, "a string")

        request_id = pop("request_id", MISSING)
        if request_id.__class__ is not str:
            request_id = tolerated(drift, path, "request_id", request_id, "a string", True, False)

        endpoint = pop("endpoint", MISSING)
        if endpoint is not None:
            if endpoint.__class__ is not str:
                endpoint = tolerated(drift, path, "endpoint", endpoint, "a string", True, True)

        prompt = pop("prompt", MISSING)
        if prompt is not None:
            if prompt.__class__ is not str:
                prompt = tolerated(drift, path, "prompt", prompt, "a string", True, True)

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
        lineage_request_node = cls(
            kind,
            id,
            request_id,
            endpoint,
            prompt,
            created_at,
        )
        lineage_request_node.additional_properties = d
        return lineage_request_node

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
    ("kind", "kind"),
    ("id", "id"),
    ("request_id", "request_id"),
    ("endpoint", "endpoint"),
    ("prompt", "prompt"),
    ("created_at", "created_at"),
)
