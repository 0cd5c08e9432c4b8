"""Lazy iteration over fal's pages: cursor pages (assets) and offset pages (characters, collections).

A server that repeats itself cannot make an iteration endless: a cursor seen before ends it, and so does an
offset page with nothing new. Offset pages also skip items already yielded, which happens when something is
created at the front of the list between two pages and shifts the rest by one."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import Protocol, TypeVar

from fal_assets_api.models.asset import Asset
from fal_assets_api.models.asset_list_response import AssetListResponse

__all__ = ["async_cursor_pages", "async_offset_pages", "cursor_pages", "offset_pages"]


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_Identified)


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


def _fresh(page: Sequence[T], seen: set[str]) -> list[T]:
    fresh = [item for item in page if item.id not in seen]
    seen.update(item.id for item in fresh)
    return fresh


def offset_pages(fetch: Callable[[int, int], Sequence[T]], page_size: int, offset: int) -> Iterator[T]:
    """Items of `fetch(limit, offset)` pages until a short page or one with nothing new."""
    seen: set[str] = set()
    while True:
        page = fetch(page_size, offset)
        fresh = _fresh(page, seen)
        yield from fresh
        if len(page) < page_size or not fresh:
            return
        offset += len(page)


async def async_offset_pages(
    fetch: Callable[[int, int], Awaitable[Sequence[T]]], page_size: int, offset: int
) -> AsyncIterator[T]:
    seen: set[str] = set()
    while True:
        page = await fetch(page_size, offset)
        fresh = _fresh(page, seen)
        for item in fresh:
            yield item
        if len(page) < page_size or not fresh:
            return
        offset += len(page)
