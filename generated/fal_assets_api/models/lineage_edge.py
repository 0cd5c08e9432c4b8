from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lineage_edge_kind import LineageEdgeKind
from ..models.lineage_edge_role_type_0 import LineageEdgeRoleType0
from ..types import (
    MISSING,
    STRICT,
    UNSET,
    Drift,
    ReplyShapeError,
    Unset,
    no_identity,
    not_an_object,
    reply_to_dict,
    tolerated,
)

if TYPE_CHECKING:
    from ..models.lineage_edge_entity import LineageEdgeEntity


T = TypeVar("T", bound="LineageEdge")


_LineageEdgeKind_VALUES = {member.value: member for member in LineageEdgeKind}

_LineageEdgeRoleType0_VALUES = {member.value: member for member in LineageEdgeRoleType0}


@_attrs_define
class LineageEdge:
    """A directed edge in the lineage graph

    Read tolerantly from fal's replies (`from_reply`): a field fal leaves out or sends as null is None, and an
    enum value the spec does not list is kept as the plain string.

    Attributes:
        from_ (str): Source node ID; edges point in generation-flow direction Example:
            external:9e107d9d372bb6826bd81d3542a419d6.
        to (str): Target node ID Example: request:019e6d0a-e5be-7b82-b329-35ae64296902.
        kind (LineageEdgeKind): How one lineage node relates to another
        role (LineageEdgeRoleType0 | None): Input role for input_to / referenced_entity edges; null for generated_by
        entities (list[LineageEdgeEntity] | Unset): input_to edges only: smart entities this input is the reference
            image of and that the request referenced
    """

    from_: str | None
    to: str | None
    kind: LineageEdgeKind | str | None
    role: LineageEdgeRoleType0 | str | None
    entities: list[LineageEdgeEntity] | None | Unset = UNSET
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

        from_ = pop("from", MISSING)
        if from_.__class__ is not str:
            from_ = tolerated(drift, path, "from", from_, "a string", True, False)

        to = pop("to", MISSING)
        if to.__class__ is not str:
            to = tolerated(drift, path, "to", to, "a string", True, False)

        kind = pop("kind", MISSING)
        if kind.__class__ is str:
            kind = _LineageEdgeKind_VALUES.get(kind, kind)
            if kind.__class__ is str:
                drift(path + ".kind", f"value {kind!r:.80} is not in the spec")
        else:
            kind = tolerated(drift, path, "kind", kind, "a string", True, False)

        role = pop("role", MISSING)
        if role is not None:
            if role.__class__ is str:
                role = _LineageEdgeRoleType0_VALUES.get(role, role)
                if role.__class__ is str:
                    drift(path + ".role", f"value {role!r:.80} is not in the spec")
            else:
                role = tolerated(drift, path, "role", role, "a string", True, True)

        entities = pop("entities", MISSING)

        if entities.__class__ is list:
            items_path = path + ".entities[]"
            entities_items: list[Any] = []
            read, append = LineageEdgeEntity.from_reply, entities_items.append
            # An error in an item names its index: the items read so far count them.
            try:
                for item in entities:
                    append(read(item, drift, items_path))
            except ReplyShapeError as exc:
                raise exc.in_item(items_path, len(entities_items)) from None
            entities = entities_items
        else:
            entities = tolerated(drift, path, "entities", entities, "an array", False, False)

        # An object with none of its fields is not this object (`{"unexpected": ...}`), whatever else it has.
        if len(d) == len(src):
            raise no_identity(path, "none of its fields")
        # Positionally, in the order the fields are declared above (faster than keywords, per item).
        lineage_edge = cls(
            from_,
            to,
            kind,
            role,
            entities,
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


# (attribute, JSON key) of each field, for to_dict.
_FIELDS = (
    ("from_", "from"),
    ("to", "to"),
    ("kind", "kind"),
    ("role", "role"),
    ("entities", "entities"),
)


# The models this one holds, imported once the class exists (the generator imports them inside each method,
# against import cycles; a reply of 100 items would pay that import 100 times). At the end of the module, a
# cycle finds this module's class already defined.
from ..models.lineage_edge_entity import LineageEdgeEntity  # noqa: E402
