from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lineage_request_node_kind import LineageRequestNodeKind

T = TypeVar("T", bound="LineageRequestNode")


@_attrs_define
class LineageRequestNode:
    """A generation request in the lineage

    Attributes:
        kind (LineageRequestNodeKind): Node kind
        id (str): Graph node ID Example: request:019e6d0a-e5be-7b82-b329-35ae64296902.
        request_id (str): Request ID Example: 019e6d0a-e5be-7b82-b329-35ae64296902.
        endpoint (None | str): Model endpoint that ran the request Example: fal-ai/flux/dev.
        prompt (None | str): Prompt used by the request when captured Example: cinematic portrait.
        created_at (datetime.datetime | None): Request time when captured Example: 2026-05-23T20:00:00.000Z.
    """

    kind: LineageRequestNodeKind
    id: str
    request_id: str
    endpoint: None | str
    prompt: None | str
    created_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        id = self.id

        request_id = self.request_id

        endpoint: None | str
        endpoint = self.endpoint

        prompt: None | str
        prompt = self.prompt

        created_at: None | str
        if isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "id": id,
                "request_id": request_id,
                "endpoint": endpoint,
                "prompt": prompt,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = LineageRequestNodeKind(d.pop("kind"))

        id = d.pop("id")

        request_id = d.pop("request_id")

        def _parse_endpoint(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        endpoint = _parse_endpoint(d.pop("endpoint"))

        def _parse_prompt(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        prompt = _parse_prompt(d.pop("prompt"))

        def _parse_created_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_at_type_0 = datetime.datetime.fromisoformat(data)

                return created_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        created_at = _parse_created_at(d.pop("created_at"))

        lineage_request_node = cls(
            kind=kind,
            id=id,
            request_id=request_id,
            endpoint=endpoint,
            prompt=prompt,
            created_at=created_at,
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
