from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lineage_edge_kind import LineageEdgeKind
from ..models.lineage_edge_role_type_0 import LineageEdgeRoleType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.lineage_edge_entity import LineageEdgeEntity


T = TypeVar("T", bound="LineageEdge")


@_attrs_define
class LineageEdge:
    """A directed edge in the lineage graph

    Attributes:
        from_ (str): Source node ID; edges point in generation-flow direction Example:
            external:9e107d9d372bb6826bd81d3542a419d6.
        to (str): Target node ID Example: request:019e6d0a-e5be-7b82-b329-35ae64296902.
        kind (LineageEdgeKind): How one lineage node relates to another
        role (LineageEdgeRoleType0 | None): Input role for input_to / referenced_entity edges; null for generated_by
        entities (list[LineageEdgeEntity] | Unset): input_to edges only: smart entities this input is the reference
            image of and that the request referenced
    """

    from_: str
    to: str
    kind: LineageEdgeKind
    role: LineageEdgeRoleType0 | None
    entities: list[LineageEdgeEntity] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_

        to = self.to

        kind = self.kind.value

        role: None | str
        if isinstance(self.role, LineageEdgeRoleType0):
            role = self.role.value
        else:
            role = self.role

        entities: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.entities, Unset):
            entities = []
            for entities_item_data in self.entities:
                entities_item = entities_item_data.to_dict()
                entities.append(entities_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "to": to,
                "kind": kind,
                "role": role,
            }
        )
        if entities is not UNSET:
            field_dict["entities"] = entities

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.lineage_edge_entity import LineageEdgeEntity  # noqa: PLC0415

        d = dict(src_dict)
        from_ = d.pop("from")

        to = d.pop("to")

        kind = LineageEdgeKind(d.pop("kind"))

        def _parse_role(data: object) -> LineageEdgeRoleType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                role_type_0 = LineageEdgeRoleType0(data)

                return role_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LineageEdgeRoleType0 | None, data)

        role = _parse_role(d.pop("role"))

        _entities = d.pop("entities", UNSET)
        entities: list[LineageEdgeEntity] | Unset = UNSET
        if _entities is not UNSET:
            entities = []
            for entities_item_data in _entities:
                entities_item = LineageEdgeEntity.from_dict(entities_item_data)

                entities.append(entities_item)

        lineage_edge = cls(
            from_=from_,
            to=to,
            kind=kind,
            role=role,
            entities=entities,
        )

        lineage_edge.additional_properties = d
        return lineage_edge

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
