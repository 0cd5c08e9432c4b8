from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lineage_asset_node_kind import LineageAssetNodeKind
from ..models.lineage_asset_node_type import LineageAssetNodeType
from ..types import (
    MISSING,
    STRICT,
    Drift,
    firm,
    not_an_object,
    reply_to_dict,
    tolerated,
)

T = TypeVar("T", bound="LineageAssetNode")


_LineageAssetNodeKind_VALUES = {member.value: member for member in LineageAssetNodeKind}


_LineageAssetNodeType_VALUES = {member.value: member for member in LineageAssetNodeType}


@_attrs_define
class LineageAssetNode:
    """An asset in the user's library

    Read tolerantly from fal's replies (`from_reply`): a field fal leaves out or sends as null is None, and an
    enum value the spec does not list is kept as the plain string.

    Attributes:
        kind (LineageAssetNodeKind): Node kind
        id (str): Graph node ID Example: asset:0f343b0931126a20f133d67c2b018a3b.
        output_key (str): Content-addressed asset identity (md5 of the media URL) Example:
            0f343b0931126a20f133d67c2b018a3b.
        url (None | str): Media URL; null when the asset is deleted or expired Example:
            https://v3b.fal.media/files/b/0a9b4900/portrait.png.
        type_ (LineageAssetNodeType): Asset media type
        request_id (str): Request that generated this asset Example: 019e6d0a-e5be-7b82-b329-35ae64296902.
        asset_id (None | str): Asset ID (navigable handle); null when the asset is deleted or expired Example:
            d8b6elcregj72v34jr8g.
        tombstone (bool): Whether the asset has been deleted or has expired Example: False.
    """

    kind: LineageAssetNodeKind | str | None
    id: str
    output_key: str | None
    url: str | None
    type_: LineageAssetNodeType | str | None
    request_id: str | None
    asset_id: str | None
    tombstone: bool | None
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
            kind = _LineageAssetNodeKind_VALUES.get(kind, kind)
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

        type_ = pop("type", MISSING)
        if type_.__class__ is str:
            type_ = _LineageAssetNodeType_VALUES.get(type_, type_)
            if type_.__class__ is str:
                drift(path + ".type", f"value {type_!r:.80} is not in the spec")
        else:
            type_ = tolerated(drift, path, "type", type_, "a string", True, False)

        request_id = pop("request_id", MISSING)
        if request_id.__class__ is not str:
            request_id = tolerated(drift, path, "request_id", request_id, "a string", True, False)

        asset_id = pop("asset_id", MISSING)
        if asset_id is not None:
            if asset_id.__class__ is not str:
                asset_id = tolerated(drift, path, "asset_id", asset_id, "a string", True, True)

        tombstone = pop("tombstone", MISSING)
        if tombstone.__class__ is not bool:
            tombstone = tolerated(drift, path, "tombstone", tombstone, "a boolean", True, False)

        # Positionally, in the order the fields are declared above (faster than keywords, per item).
        lineage_asset_node = cls(
            kind,
            id,
            output_key,
            url,
            type_,
            request_id,
            asset_id,
            tombstone,
        )
        lineage_asset_node.additional_properties = d
        return lineage_asset_node

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
    ("type_", "type"),
    ("request_id", "request_id"),
    ("asset_id", "asset_id"),
    ("tombstone", "tombstone"),
)
