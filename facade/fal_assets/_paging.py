"""Lazy iteration over fal's pages: cursor pages (assets) and offset pages (characters, collections).
A cursor seen before ends the iteration, so a server repeating cursors cannot make it endless."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import TypeVar

from fal_assets_api.models.asset import Asset
from fal_assets_api.models.asset_list_response import AssetListResponse

__all__ = ["async_cursor_pages", "async_offset_pages", "cursor_pages", "offset_pages"]

T = TypeVar("T")


def _next(page: AssetListResponse, seen: set[str]) -> str | None:
    cursor = page.next_cursor
    if not page.has_more or not isinstance(cursor, str) or not cursor or cursor in seen:
        return None
    seen.add(cursor)
    return cursor


def cursor_pages(fetch: Callable[[str | None], AssetListResponse]) -> Iterator[Asset]:
    seen: set[str] = set()
    cursor: str | None = None
    while True:
        page = fetch(cursor)
        yield from page.assets
        cursor = _next(page, seen)
        if cursor is None:
            return


async def async_cursor_pages(
    fetch: Callable[[str | None], Awaitable[AssetListResponse]],
) -> AsyncIterator[Asset]:
    seen: set[str] = set()
    cursor: str | None = None
    while True:
        page = await fetch(cursor)
        for asset in page.assets:
            yield asset
        cursor = _next(page, seen)
        if cursor is None:
            return


def offset_pages(fetch: Callable[[int, int], Sequence[T]], page_size: int, offset: int) -> Iterator[T]:
    """Items of `fetch(limit, offset)` pages until a short page."""
    while True:
        page = fetch(page_size, offset)
        yield from page
        if len(page) < page_size:
            return
        offset += len(page)


async def async_offset_pages(
    fetch: Callable[[int, int], Awaitable[Sequence[T]]], page_size: int, offset: int
) -> AsyncIterator[T]:
    while True:
        page = await fetch(page_size, offset)
        for item in page:
            yield item
        if len(page) < page_size:
            return
        offset += len(page)
