from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.collection_tree_type import CollectionTreeType
from ..types import (
    MISSING,
    STRICT,
    Drift,
    ReplyShapeError,
    firm,
    not_an_object,
    reply_to_dict,
    tolerated,
)

if TYPE_CHECKING:
    from ..models.collection_tree_level_1 import CollectionTreeLevel1


T = TypeVar("T", bound="CollectionTree")


_CollectionTreeType_VALUES = {member.value: member for member in CollectionTreeType}


@_attrs_define
class CollectionTree:
    """Subtree rooted at the requested collection

    Read tolerantly from fal's replies (`from_reply`): a field fal leaves out or sends as null is None, and an
    enum value the spec does not list is kept as the plain string.

    Attributes:
        id (str): Collection ID Example: d8b6elcregj72v34jr8g.
        name (str): Collection display name Example: Campaign concepts.
        type_ (CollectionTreeType): Collection type
        children (list[CollectionTreeLevel1]): Child collections
    """

    id: str
    name: str | None
    type_: CollectionTreeType | str | None
    children: list[CollectionTreeLevel1] | None
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

        type_ = pop("type", MISSING)
        if type_.__class__ is str:
            type_ = _CollectionTreeType_VALUES.get(type_, type_)
            if type_.__class__ is str:
                drift(path + ".type", f"value {type_!r:.80} is not in the spec")
        else:
            type_ = tolerated(drift, path, "type", type_, "a string", True, False)

        children = pop("children", MISSING)

        if children.__class__ is list:
            items_path = path + ".children[]"
            children_items: list[Any] = []
            read, append = CollectionTreeLevel1.from_reply, children_items.append
            # An error in an item names its index: the items read so far count them.
            try:
                for item in children:
                    append(read(item, drift, items_path))
            except ReplyShapeError as exc:
                raise exc.in_item(items_path, len(children_items)) from None
            children = children_items
        else:
            children = tolerated(drift, path, "children", children, "an array", True, False)

        # Positionally, in the order the fields are declared above (faster than keywords, per item).
        collection_tree = cls(
            id,
            name,
            type_,
            children,
        )
        collection_tree.additional_properties = d
        return collection_tree

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
    ("type_", "type"),
    ("children", "children"),
)


# The models this one holds, imported once the class exists (the generator imports them inside each method,
# against import cycles; a reply of 100 items would pay that import 100 times). At the end of the module, a
# cycle finds this module's class already defined.
from ..models.collection_tree_level_1 import CollectionTreeLevel1  # noqa: E402
