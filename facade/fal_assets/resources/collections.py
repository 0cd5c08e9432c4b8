"""`client.collections`: fal's asset collections (manual, smart, and characters, which fal lists as
collections too), their nesting and their assets; sync and async. Per-call options as for characters."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Unpack

from fal_assets_api import operations as ops
from fal_assets_api.models.asset import Asset
from fal_assets_api.models.asset_list_response import AssetListResponse
from fal_assets_api.models.collection import Collection
from fal_assets_api.models.collection_hierarchy_response import CollectionHierarchyResponse
from fal_assets_api.types import UNSET, Unset

from .._core.attempt import RequestOptions, WriteOptions
from . import _params as params
from ._asset_args import AssetRef, list_args, split_ref
from ._collection_args import create_body, move_body, offset_page, update_body
from ._paging import async_cursor_pages, async_offset_pages, cursor_pages, offset_pages
from ._params import CollectionAssetFilters

if TYPE_CHECKING:
    from .._client import AsyncApi, SyncApi

__all__ = ["AsyncCollections", "Collections"]

DEFAULT_PAGE_SIZE = 50


def _id_and_key(collection_id: str, options: WriteOptions) -> dict[str, Any]:
    return {
        "collection_id": params.collection_id(collection_id),
        "idempotency_key": params.write_key(options),
    }


def _ref_args(collection_id: str, ref: Mapping[str, Any]) -> tuple[dict[str, Any], WriteOptions]:
    fields, options = split_ref(ref)
    arguments = _id_and_key(collection_id, options)
    arguments["body"] = params.asset_ref(fields)
    return arguments, options


def _assets_args(
    collection_id: str, page_size: int | None, filters: Mapping[str, Any]
) -> tuple[dict[str, Any], RequestOptions]:
    cid = params.collection_id(collection_id)
    query, options = list_args("listAssetCollectionAssets", filters, cursor=None, limit=page_size)
    return {"collection_id": cid, **query}, options


class Collections:
    """Collections of a `FalAssets` client."""

    def __init__(self, api: SyncApi) -> None:
        self._api = api

    def list(
        self, *, limit: int = DEFAULT_PAGE_SIZE, offset: int = 0, **options: Unpack[RequestOptions]
    ) -> list[Collection]:
        """One page of collections (characters among them, with type `character`)."""
        return self._api.call(
            ops.LIST_ASSET_COLLECTIONS, self._api.budget(options), **offset_page(limit, offset)
        )

    def iter(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, offset: int = 0, **options: Unpack[RequestOptions]
    ) -> Iterator[Collection]:
        """Every collection from `offset` on, fetching pages lazily."""
        offset_page(page_size, offset)
        self._api.budget(options)
        return offset_pages(lambda limit, at: self.list(limit=limit, offset=at, **options), page_size, offset)

    def create(
        self,
        name: str,
        *,
        description: str | None = None,
        parent_collection_id: str | None = None,
        icon: str | None = None,
        color: str | None = None,
        cover_image_url: str | None = None,
        filters: Mapping[str, Any] | None = None,
        **options: Unpack[WriteOptions],
    ) -> Collection:
        """A manual collection (top level, or nested under `parent_collection_id`); with `filters`, a smart
        one (fal's listAssets filters)."""
        optional = {
            "description": description,
            "icon": icon,
            "color": color,
            "cover_image_url": cover_image_url,
            "filters": filters,
        }
        body = create_body(name, parent_collection_id, {k: v for k, v in optional.items() if v is not None})
        key = params.write_key(options)
        return self._api.call(
            ops.CREATE_ASSET_COLLECTION, self._api.budget(options), body=body, idempotency_key=key
        )

    def get(self, collection_id: str, **options: Unpack[RequestOptions]) -> Collection:
        """A collection by its ID (characters too: fal treats them as collections)."""
        cid = params.collection_id(collection_id)
        return self._api.call(ops.GET_ASSET_COLLECTION, self._api.budget(options), collection_id=cid)

    def update(
        self,
        collection_id: str,
        *,
        name: str | Unset = UNSET,
        description: str | None | Unset = UNSET,
        icon: str | None | Unset = UNSET,
        color: str | None | Unset = UNSET,
        cover_image_url: str | None | Unset = UNSET,
        filters: Mapping[str, Any] | None | Unset = UNSET,
        **options: Unpack[WriteOptions],
    ) -> Collection:
        """Change the fields given, and only those; `None` clears a field."""
        optional = {
            "description": description,
            "icon": icon,
            "color": color,
            "cover_image_url": cover_image_url,
            "filters": filters,
        }
        body = update_body(name, optional)
        arguments = _id_and_key(collection_id, options)
        return self._api.call(ops.UPDATE_ASSET_COLLECTION, self._api.budget(options), body=body, **arguments)

    def delete(self, collection_id: str, **options: Unpack[WriteOptions]) -> None:
        """Delete a collection and those nested in it (never their assets)."""
        arguments = _id_and_key(collection_id, options)
        self._api.call(ops.DELETE_ASSET_COLLECTION, self._api.budget(options), **arguments)

    def hierarchy(self, collection_id: str, **options: Unpack[RequestOptions]) -> CollectionHierarchyResponse:
        """The collection's tree of nested collections and its ancestors (top level first)."""
        cid = params.collection_id(collection_id)
        return self._api.call(
            ops.GET_ASSET_COLLECTION_HIERARCHY, self._api.budget(options), collection_id=cid
        )

    def favorite(self, collection_id: str, **options: Unpack[WriteOptions]) -> Collection:
        """Favorite a collection; returns it."""
        arguments = _id_and_key(collection_id, options)
        return self._api.call(ops.FAVORITE_ASSET_COLLECTION, self._api.budget(options), **arguments)

    def unfavorite(self, collection_id: str, **options: Unpack[WriteOptions]) -> Collection:
        """Unfavorite a collection; returns it."""
        arguments = _id_and_key(collection_id, options)
        return self._api.call(ops.UNFAVORITE_ASSET_COLLECTION, self._api.budget(options), **arguments)

    def move(
        self, collection_id: str, parent_collection_id: str | None, **options: Unpack[WriteOptions]
    ) -> Collection:
        """Nest the collection under `parent_collection_id`; `None` moves it to the top level."""
        body = move_body(parent_collection_id)
        arguments = _id_and_key(collection_id, options)
        return self._api.call(ops.MOVE_ASSET_COLLECTION, self._api.budget(options), body=body, **arguments)

    def assets(
        self, collection_id: str, *, page_size: int | None = None, **filters: Unpack[CollectionAssetFilters]
    ) -> Iterator[Asset]:
        """Every asset of the collection matching the filters, fetching pages lazily."""
        query, options = _assets_args(collection_id, page_size, filters)
        self._api.budget(options)

        def page(cursor: str | None) -> AssetListResponse:
            arguments = query if cursor is None else {**query, "cursor": cursor}
            return self._api.call(ops.LIST_ASSET_COLLECTION_ASSETS, self._api.budget(options), **arguments)

        return cursor_pages(page)

    def add(self, collection_id: str, **ref: Unpack[AssetRef]) -> None:
        """Add an asset (exactly one of `asset_id=`, `request_id=`, `vector_id=`) to a manual collection."""
        arguments, options = _ref_args(collection_id, ref)
        self._api.call(ops.ADD_ASSET_TO_COLLECTION, self._api.budget(options), **arguments)

    def remove(self, collection_id: str, **ref: Unpack[AssetRef]) -> None:
        """Take an asset given by exactly one of `asset_id=`, `request_id=`, `vector_id=` out of the
        collection (the asset itself stays)."""
        arguments, options = _ref_args(collection_id, ref)
        self._api.call(ops.REMOVE_ASSET_FROM_COLLECTION, self._api.budget(options), **arguments)


class AsyncCollections:
    """Collections of an `AsyncFalAssets` client; see `Collections`."""

    def __init__(self, api: AsyncApi) -> None:
        self._api = api

    async def list(
        self, *, limit: int = DEFAULT_PAGE_SIZE, offset: int = 0, **options: Unpack[RequestOptions]
    ) -> list[Collection]:
        """One page of collections (characters among them, with type `character`)."""
        return await self._api.call(
            ops.LIST_ASSET_COLLECTIONS, self._api.budget(options), **offset_page(limit, offset)
        )

    def iter(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, offset: int = 0, **options: Unpack[RequestOptions]
    ) -> AsyncIterator[Collection]:
        """Every collection from `offset` on, fetching pages lazily."""
        offset_page(page_size, offset)
        self._api.budget(options)
        return async_offset_pages(
            lambda limit, at: self.list(limit=limit, offset=at, **options), page_size, offset
        )

    async def create(
        self,
        name: str,
        *,
        description: str | None = None,
        parent_collection_id: str | None = None,
        icon: str | None = None,
        color: str | None = None,
        cover_image_url: str | None = None,
        filters: Mapping[str, Any] | None = None,
        **options: Unpack[WriteOptions],
    ) -> Collection:
        """A manual collection (top level, or nested under `parent_collection_id`); with `filters`, a smart
        one (fal's listAssets filters)."""
        optional = {
            "description": description,
            "icon": icon,
            "color": color,
            "cover_image_url": cover_image_url,
            "filters": filters,
        }
        body = create_body(name, parent_collection_id, {k: v for k, v in optional.items() if v is not None})
        key = params.write_key(options)
        return await self._api.call(
            ops.CREATE_ASSET_COLLECTION, self._api.budget(options), body=body, idempotency_key=key
        )

    async def get(self, collection_id: str, **options: Unpack[RequestOptions]) -> Collection:
        """A collection by its ID (characters too: fal treats them as collections)."""
        cid = params.collection_id(collection_id)
        return await self._api.call(ops.GET_ASSET_COLLECTION, self._api.budget(options), collection_id=cid)

    async def update(
        self,
        collection_id: str,
        *,
        name: str | Unset = UNSET,
        description: str | None | Unset = UNSET,
        icon: str | None | Unset = UNSET,
        color: str | None | Unset = UNSET,
        cover_image_url: str | None | Unset = UNSET,
        filters: Mapping[str, Any] | None | Unset = UNSET,
        **options: Unpack[WriteOptions],
    ) -> Collection:
        """Change the fields given, and only those; `None` clears a field."""
        optional = {
            "description": description,
            "icon": icon,
            "color": color,
            "cover_image_url": cover_image_url,
            "filters": filters,
        }
        body = update_body(name, optional)
        arguments = _id_and_key(collection_id, options)
        return await self._api.call(
            ops.UPDATE_ASSET_COLLECTION, self._api.budget(options), body=body, **arguments
        )

    async def delete(self, collection_id: str, **options: Unpack[WriteOptions]) -> None:
        """Delete a collection and those nested in it (never their assets)."""
        arguments = _id_and_key(collection_id, options)
        await self._api.call(ops.DELETE_ASSET_COLLECTION, self._api.budget(options), **arguments)

    async def hierarchy(
        self, collection_id: str, **options: Unpack[RequestOptions]
    ) -> CollectionHierarchyResponse:
        """The collection's tree of nested collections and its ancestors (top level first)."""
        cid = params.collection_id(collection_id)
        return await self._api.call(
            ops.GET_ASSET_COLLECTION_HIERARCHY, self._api.budget(options), collection_id=cid
        )

    async def favorite(self, collection_id: str, **options: Unpack[WriteOptions]) -> Collection:
        """Favorite a collection; returns it."""
        arguments = _id_and_key(collection_id, options)
        return await self._api.call(ops.FAVORITE_ASSET_COLLECTION, self._api.budget(options), **arguments)

    async def unfavorite(self, collection_id: str, **options: Unpack[WriteOptions]) -> Collection:
        """Unfavorite a collection; returns it."""
        arguments = _id_and_key(collection_id, options)
        return await self._api.call(ops.UNFAVORITE_ASSET_COLLECTION, self._api.budget(options), **arguments)

    async def move(
        self, collection_id: str, parent_collection_id: str | None, **options: Unpack[WriteOptions]
    ) -> Collection:
        """Nest the collection under `parent_collection_id`; `None` moves it to the top level."""
        body = move_body(parent_collection_id)
        arguments = _id_and_key(collection_id, options)
        return await self._api.call(
            ops.MOVE_ASSET_COLLECTION, self._api.budget(options), body=body, **arguments
        )

    def assets(
        self, collection_id: str, *, page_size: int | None = None, **filters: Unpack[CollectionAssetFilters]
    ) -> AsyncIterator[Asset]:
        """Every asset of the collection matching the filters, fetching pages lazily."""
        query, options = _assets_args(collection_id, page_size, filters)
        self._api.budget(options)

        async def page(cursor: str | None) -> AssetListResponse:
            arguments = query if cursor is None else {**query, "cursor": cursor}
            return await self._api.call(
                ops.LIST_ASSET_COLLECTION_ASSETS, self._api.budget(options), **arguments
            )

        return async_cursor_pages(page)

    async def add(self, collection_id: str, **ref: Unpack[AssetRef]) -> None:
        """Add an asset (exactly one of `asset_id=`, `request_id=`, `vector_id=`) to a manual collection."""
        arguments, options = _ref_args(collection_id, ref)
        await self._api.call(ops.ADD_ASSET_TO_COLLECTION, self._api.budget(options), **arguments)

    async def remove(self, collection_id: str, **ref: Unpack[AssetRef]) -> None:
        """Take an asset given by exactly one of `asset_id=`, `request_id=`, `vector_id=` out of the
        collection (the asset itself stays)."""
        arguments, options = _ref_args(collection_id, ref)
        await self._api.call(ops.REMOVE_ASSET_FROM_COLLECTION, self._api.budget(options), **arguments)
