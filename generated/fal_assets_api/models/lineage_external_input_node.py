from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lineage_external_input_node_kind import LineageExternalInputNodeKind

T = TypeVar("T", bound="LineageExternalInputNode")


@_attrs_define
class LineageExternalInputNode:
    """An input that is not (or no longer) in the asset library

    Attributes:
        kind (LineageExternalInputNodeKind): Node kind
        id (str): Graph node ID Example: external:9e107d9d372bb6826bd81d3542a419d6.
        output_key (str): Content-addressed asset identity (md5 of the media URL) Example:
            9e107d9d372bb6826bd81d3542a419d6.
        url (None | str): Source media URL when known Example: https://fal.media/files/source.png.
    """

    kind: LineageExternalInputNodeKind
    id: str
    output_key: str
    url: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        id = self.id

        output_key = self.output_key

        url: None | str
        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "id": id,
                "output_key": output_key,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = LineageExternalInputNodeKind(d.pop("kind"))

        id = d.pop("id")

        output_key = d.pop("output_key")

        def _parse_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        url = _parse_url(d.pop("url"))

        lineage_external_input_node = cls(
            kind=kind,
            id=id,
            output_key=output_key,
            url=url,
        )

        lineage_external_input_node.additional_properties = d
        return lineage_external_input_node

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
