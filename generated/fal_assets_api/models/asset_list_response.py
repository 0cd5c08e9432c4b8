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
    firm,
    not_an_object,
    reply_to_dict,
    tolerated,
)

if TYPE_CHECKING:
    from ..models.asset import Asset


T = TypeVar("T", bound="AssetListResponse")


@_attrs_define
class AssetListResponse:
    """Paginated asset browse response

    Read tolerantly from fal's replies (`from_reply`): a field fal leaves out or sends as null is None, and an
    enum value the spec does not list is kept as the plain string.

    Attributes:
        assets (list[Asset]): Asset results
        next_cursor (None | str): Cursor for the next page
        has_more (bool): Whether more results are available
        total_count (float | None): Exact total when available; null when unavailable
        scope_truncated (bool): True when the requested scope (favorites, tags, or collection membership) exceeded the
            maximum number of assets a single search can cover, so results were drawn from a partial slice of it and some
            matches are missing. Narrow the scope for complete results. `total_count` remains accurate for the results that
            were returned.
    """

    assets: list[Asset]
    next_cursor: str | None
    has_more: bool | None
    total_count: float | None
    scope_truncated: bool | None
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

        assets = pop("assets", MISSING)

        if assets.__class__ is list:
            items_path = path + ".assets[]"
            assets_items: list[Any] = []
            read, append = Asset.from_reply, assets_items.append
            # An error in an item names its index: the items read so far count them.
            try:
                for item in assets:
                    append(read(item, drift, items_path))
            except ReplyShapeError as exc:
                raise exc.in_item(items_path, len(assets_items)) from None
            assets = assets_items
        else:
            firm(path, "assets", assets, "an array")

        next_cursor = pop("next_cursor", MISSING)
        if next_cursor is not None:
            if next_cursor.__class__ is not str:
                next_cursor = tolerated(drift, path, "next_cursor", next_cursor, "a string", True, True)

        has_more = pop("has_more", MISSING)
        if has_more.__class__ is not bool:
            has_more = tolerated(drift, path, "has_more", has_more, "a boolean", True, False)

        total_count = pop("total_count", MISSING)
        if total_count is not None:
            if total_count.__class__ is not float and total_count.__class__ is not int:
                total_count = tolerated(drift, path, "total_count", total_count, "a number", True, True)

        scope_truncated = pop("scope_truncated", MISSING)
        if scope_truncated.__class__ is not bool:
            scope_truncated = tolerated(drift, path, "scope_truncated", scope_truncated, "a boolean", True, False)

        # Positionally, in the order the fields are declared above (faster than keywords, per item).
        asset_list_response = cls(
            assets,
            next_cursor,
            has_more,
            total_count,
            scope_truncated,
        )
        asset_list_response.additional_properties = d
        return asset_list_response

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
    ("assets", "assets"),
    ("next_cursor", "next_cursor"),
    ("has_more", "has_more"),
    ("total_count", "total_count"),
    ("scope_truncated", "scope_truncated"),
)


# The models this one holds, imported once the class exists (the generator imports them inside each method,
# against import cycles; a reply of 100 items would pay that import 100 times). At the end of the module, a
# cycle finds this module's class already defined.
from ..models.asset import Asset  # noqa: E402
