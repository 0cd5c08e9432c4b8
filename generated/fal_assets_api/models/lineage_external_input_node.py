from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lineage_external_input_node_kind import LineageExternalInputNodeKind
from ..types import (
    MISSING,
    STRICT,
    Drift,
    firm,
    not_an_object,
    reply_to_dict,
    tolerated,
)

T = TypeVar("T", bound="LineageExternalInputNode")


_LineageExternalInputNodeKind_VALUES = {member.value: member for member in LineageExternalInputNodeKind}


@_attrs_define
class LineageExternalInputNode:
    """An input that is not (or no longer) in the asset library

    Read tolerantly from fal's replies (`from_reply`): a field fal leaves out or sends as null is None, and an
    enum value the spec does not list is kept as the plain string.

    Attributes:
        kind (LineageExternalInputNodeKind): Node kind
        id (str): Graph node ID Example: external:9e107d9d372bb6826bd81d3542a419d6.
        output_key (str): Content-addressed asset identity (md5 of the media URL) Example:
            9e107d9d372bb6826bd81d3542a419d6.
        url (None | str): Source media URL when known Example: https://fal.media/files/source.png.
    """

    kind: LineageExternalInputNodeKind | str | None
    id: str
    output_key: str | None
    url: str | None
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
            kind = _LineageExternalInputNodeKind_VALUES.get(kind, kind)
            if kind.__class__ is str:
                drift(path + ".kind", f"value {kind!r:.80} is not in the spec")
        else:
            kind = tolerated(drift, path, "kind", kind, "a string", True, False)

        id = pop("id", MISSING)
        if id.__class__ is not str:
            firm(path, "id", id, "a string")

        output_key = pop("output_key", MISSING)
        if output_key.__class__ is not str:
            output_key = tolerated(drift, path, "output_key", output_key, "a string", True, False)

        url = pop("url", MISSING)
        if url is not None:
            if url.__class__ is not str:
                url = tolerated(drift, path, "url", url, "a string", True, True)

        # Positionally, in the order the fields are declared above (faster than keywords, per item).
        lineage_external_input_node = cls(
            kind,
            id,
            output_key,
            url,
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


# (attribute, JSON key) of each field, for to_dict.
_FIELDS = (
    ("kind", "kind"),
    ("id", "id"),
    ("output_key", "output_key"),
    ("url", "url"),
)
