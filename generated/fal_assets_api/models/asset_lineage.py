from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

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

    Attributes:
        focus (str): Node ID of the queried asset Example: asset:0f343b0931126a20f133d67c2b018a3b.
        nodes (list[LineageAssetNode | LineageEntityNode | LineageExternalInputNode | LineageRequestNode]): Lineage
            graph nodes
        edges (list[LineageEdge]): Lineage graph edges
    """

    focus: str
    nodes: list[LineageAssetNode | LineageEntityNode | LineageExternalInputNode | LineageRequestNode]
    edges: list[LineageEdge]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.lineage_asset_node import LineageAssetNode  # noqa: PLC0415
        from ..models.lineage_external_input_node import LineageExternalInputNode  # noqa: PLC0415
        from ..models.lineage_request_node import LineageRequestNode  # noqa: PLC0415

        focus = self.focus

        nodes = []
        for nodes_item_data in self.nodes:
            nodes_item: dict[str, Any]
            if isinstance(nodes_item_data, LineageAssetNode):
                nodes_item = nodes_item_data.to_dict()
            elif isinstance(nodes_item_data, LineageExternalInputNode):
                nodes_item = nodes_item_data.to_dict()
            elif isinstance(nodes_item_data, LineageRequestNode):
                nodes_item = nodes_item_data.to_dict()
            else:
                nodes_item = nodes_item_data.to_dict()

            nodes.append(nodes_item)

        edges = []
        for edges_item_data in self.edges:
            edges_item = edges_item_data.to_dict()
            edges.append(edges_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "focus": focus,
                "nodes": nodes,
                "edges": edges,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.lineage_asset_node import LineageAssetNode  # noqa: PLC0415
        from ..models.lineage_edge import LineageEdge  # noqa: PLC0415
        from ..models.lineage_entity_node import LineageEntityNode  # noqa: PLC0415
        from ..models.lineage_external_input_node import LineageExternalInputNode  # noqa: PLC0415
        from ..models.lineage_request_node import LineageRequestNode  # noqa: PLC0415

        d = dict(src_dict)
        focus = d.pop("focus")

        nodes = []
        _nodes = d.pop("nodes")
        for nodes_item_data in _nodes:

            def _parse_nodes_item(
                data: object,
            ) -> LineageAssetNode | LineageEntityNode | LineageExternalInputNode | LineageRequestNode:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    nodes_item_type_0 = LineageAssetNode.from_dict(data)

                    return nodes_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    nodes_item_type_1 = LineageExternalInputNode.from_dict(data)

                    return nodes_item_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    nodes_item_type_2 = LineageRequestNode.from_dict(data)

                    return nodes_item_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                nodes_item_type_3 = LineageEntityNode.from_dict(data)

                return nodes_item_type_3

            nodes_item = _parse_nodes_item(nodes_item_data)

            nodes.append(nodes_item)

        edges = []
        _edges = d.pop("edges")
        for edges_item_data in _edges:
            edges_item = LineageEdge.from_dict(edges_item_data)

            edges.append(edges_item)

        asset_lineage = cls(
            focus=focus,
            nodes=nodes,
            edges=edges,
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
