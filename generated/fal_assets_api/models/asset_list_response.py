from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.asset import Asset


T = TypeVar("T", bound="AssetListResponse")


@_attrs_define
class AssetListResponse:
    """Paginated asset browse response

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
    next_cursor: None | str
    has_more: bool
    total_count: float | None
    scope_truncated: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        assets = []
        for assets_item_data in self.assets:
            assets_item = assets_item_data.to_dict()
            assets.append(assets_item)

        next_cursor: None | str
        next_cursor = self.next_cursor

        has_more = self.has_more

        total_count: float | None
        total_count = self.total_count

        scope_truncated = self.scope_truncated

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "assets": assets,
                "next_cursor": next_cursor,
                "has_more": has_more,
                "total_count": total_count,
                "scope_truncated": scope_truncated,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.asset import Asset  # noqa: PLC0415

        d = dict(src_dict)
        assets = []
        _assets = d.pop("assets")
        for assets_item_data in _assets:
            assets_item = Asset.from_dict(assets_item_data)

            assets.append(assets_item)

        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))

        has_more = d.pop("has_more")

        def _parse_total_count(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        total_count = _parse_total_count(d.pop("total_count"))

        scope_truncated = d.pop("scope_truncated")

        asset_list_response = cls(
            assets=assets,
            next_cursor=next_cursor,
            has_more=has_more,
            total_count=total_count,
            scope_truncated=scope_truncated,
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
