from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import (
    MISSING,
    STRICT,
    Drift,
    ReplyShapeError,
    no_identity,
    not_an_item,
    not_an_object,
    reply_to_dict,
    tolerated,
)

if TYPE_CHECKING:
    from ..models.lineage_asset_node import LineageAssetNode
    from ..models.lineage_edge import LineageEdge
    from ..models.lineage_entity_node import LineageEntityNode
    from ..models.lineage_external_input_node import LineageExternalInputNode
    from ..models.lineage_request_node import LineageRequestNode


T = TypeVar("T", bound="AssetLineage")


@_attrs_define
class AssetLineage:
    """Derivation lineage graph of the asset

    Read tolerantly from fal's replies (`from_reply`): a field fal leaves out or sends as null is None, and an
    enum value the spec does not list is kept as the plain string.

    Attributes:
        focus (str): Node ID of the queried asset Example: asset:0f343b0931126a20f133d67c2b018a3b.
        nodes (list[LineageAssetNode | LineageEntityNode | LineageExternalInputNode | LineageRequestNode]): Lineage
            graph nodes
        edges (list[LineageEdge]): Lineage graph edges
    """

    focus: str | None
    nodes: (
        list[LineageAssetNode | LineageExternalInputNode | LineageRequestNode | LineageEntityNode | dict[str, Any]]
        | None
    )
    edges: list[LineageEdge] | None
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

        focus = pop("focus", MISSING)
        if focus.__class__ is not str:
            focus = tolerated(drift, path, "focus", focus, "a string", True, False)

        nodes = pop("nodes", MISSING)

        if nodes.__class__ is list:
            items_path = path + ".nodes[]"
            nodes_items: list[Any] = []
            # An error in an item names its index: the items read so far count them.
            try:
                for item in nodes:
                    if item.__class__ is dict:
                        item = _nodes_item_from_reply(item, drift, items_path)
                    else:
                        not_an_item(path, "nodes", nodes, item, "an object")

                    nodes_items.append(item)
            except ReplyShapeError as exc:
                raise exc.in_item(items_path, len(nodes_items)) from None
            nodes = nodes_items
        else:
            nodes = tolerated(drift, path, "nodes", nodes, "an array", True, False)

        edges = pop("edges", MISSING)

        if edges.__class__ is list:
            items_path = path + ".edges[]"
            edges_items: list[Any] = []
            read, append = LineageEdge.from_reply, edges_items.append
            # An error in an item names its index: the items read so far count them.
            try:
                for item in edges:
                    append(read(item, drift, items_path))
            except ReplyShapeError as exc:
                raise exc.in_item(items_path, len(edges_items)) from None
            edges = edges_items
        else:
            edges = tolerated(drift, path, "edges", edges, "an array", True, False)

        # An object with none of its fields is not this object (`{"unexpected": ...}`), whatever else it has.
        if len(d) == len(src):
            raise no_identity(path, "none of its fields")
        # Positionally, in the order the fields are declared above (faster than keywords, per item).
        asset_lineage = cls(
            focus,
            nodes,
            edges,
        )
        asset_lineage.additional_properties = d
        return asset_lineage

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
    ("focus", "focus"),
    ("nodes", "nodes"),
    ("edges", "edges"),
)


def _nodes_item_from_reply(
    data: dict[str, Any], drift: Drift, path: str
) -> LineageAssetNode | LineageExternalInputNode | LineageRequestNode | LineageEntityNode | dict[str, Any]:
    """One of LineageAssetNode, LineageExternalInputNode, LineageRequestNode, LineageEntityNode, told apart by its one-valued field; a value
    the spec does not list is kept as the plain object."""
    if data.get("kind") == "asset":
        return LineageAssetNode.from_reply(data, drift, path)
    if data.get("kind") == "external_input":
        return LineageExternalInputNode.from_reply(data, drift, path)
    if data.get("kind") == "request":
        return LineageRequestNode.from_reply(data, drift, path)
    if data.get("kind") == "entity":
        return LineageEntityNode.from_reply(data, drift, path)
    drift(path + ".kind", f"value {data.get('kind')!r:.80} is not in the spec")
    return data


# The models this one holds, imported once the class exists (the generator imports them inside each method,
# against import cycles; a reply of 100 items would pay that import 100 times). At the end of the module, a
# cycle finds this module's class already defined.
from ..models.lineage_asset_node import LineageAssetNode  # noqa: E402
from ..models.lineage_edge import LineageEdge  # noqa: E402
from ..models.lineage_entity_node import LineageEntityNode  # noqa: E402
from ..models.lineage_external_input_node import LineageExternalInputNode  # noqa: E402
from ..models.lineage_request_node import LineageRequestNode  # noqa: E402
