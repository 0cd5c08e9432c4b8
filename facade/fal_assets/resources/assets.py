"""`client.assets`: browse, search, register and organise the assets of fal's library, sync and async.

Every method checks its arguments locally first (`_asset_args`, `_params`); local media (an upload's
source, a search image or video) is then uploaded through the client's uploader under the call's budget,
and one API call follows. Per-call options (`timeout`, `max_retries`, `deadline`; writes also
`idempotency_key`) are keyword arguments, as for `client.characters`.
"""

from __future__ import annotations

import builtins
import functools
import os
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Unpack

from fal_assets_api import operations as ops
from fal_assets_api.models.asset import Asset
from fal_assets_api.models.asset_lineage import AssetLineage
from fal_assets_api.models.asset_list_response import AssetListResponse
from fal_assets_api.models.tag import Tag

from .._core import spec as _spec
from .._core import validation as check
from .._core.attempt import RequestOptions, WriteOptions
from .._core.lifecycle import Lifecycle
from .._core.lifecycle import lifecycle as check_lifecycle
from .._downloads.names import asset_downloads
from .._uploads.inputs import ImageInput, ImagePlan
from . import _params as params
from ._asset_args import (
    AssetRef,
    Search,
    list_args,
    passed_url,
    prepare_search,
    prepare_upload,
    set_tags_args,
    split_ref,
)
from ._paging import async_cursor_pages, cursor_pages
from ._params import AssetFilters

if TYPE_CHECKING:
    from .._client import AsyncApi, SyncApi
    from .._downloads.transfer import ProgressCallback as DownloadCallback
    from .._uploads import ProgressCallback
    from .files import AsyncFiles, Files

__all__ = ["Assets", "AsyncAssets"]

LINEAGE_DEPTH = _spec.bounds(_spec.parameter_schema("getAssetLineage", "depth"))


def _lineage_args(asset_id: str, depth: int | None) -> dict[str, object]:
    arguments: dict[str, object] = {"asset_id": params.asset_id(asset_id)}
    if depth is not None:
        arguments["depth"] = check.integer(depth, field="depth", bounds=LINEAGE_DEPTH)
    return arguments


class Assets:
    """The asset library of a `FalAssets` client."""

    def __init__(self, api: SyncApi) -> None:
        self._api = api

    def list(
        self, *, cursor: str | None = None, limit: int | None = None, **filters: Unpack[AssetFilters]
    ) -> AssetListResponse:
        """One page (`assets`, `next_cursor`, `has_more`, `total_count`, `scope_truncated`); pass its
        `next_cursor` as `cursor` for the next one."""
        query, options = list_args("listAssets", filters, cursor=cursor, limit=limit)
        return self._api.call(ops.LIST_ASSETS, self._api.budget(options), **query)

    def iter(self, *, page_size: int | None = None, **filters: Unpack[AssetFilters]) -> Iterator[Asset]:
        """Every asset matching the filters, fetching pages lazily; the options apply to each page."""
        query, options = list_args("listAssets", filters, cursor=None, limit=page_size)
        self._api.budget(options)
        return cursor_pages(lambda cursor: self._page(query, cursor, options))

    def search(
        self,
        q: str | None = None,
        *,
        image: ImageInput | None = None,
        video: ImageInput | None = None,
        page_size: int | None = None,
        **filters: Unpack[AssetFilters],
    ) -> Iterator[Asset]:
        """Semantic search, best match first, each asset with its `similarity`. `image`/`video`: a local
        path, bytes or file object (uploaded first, when iteration starts) or a fal-hosted URL."""
        search = prepare_search(self._api.config, q, image, video, page_size, filters)
        return self._search(search)

    def _search(self, search: Search) -> Iterator[Asset]:
        query = dict(search.query)
        for name in search.media:
            resolved = self._api.uploads.resolve(search.plan(name), budget=self._api.budget(search.options))
            query[name] = resolved.cover
        yield from cursor_pages(lambda cursor: self._page(query, cursor, search.options))

    def _page(
        self, query: dict[str, object], cursor: str | None, options: RequestOptions
    ) -> AssetListResponse:
        arguments = query if cursor is None else {**query, "cursor": cursor}
        return self._api.call(ops.LIST_ASSETS, self._api.budget(options), **arguments)

    def get(self, asset_id: str, **options: Unpack[RequestOptions]) -> Asset:
        """An asset by its asset ID (a vector ID is also accepted)."""
        aid = params.asset_id(asset_id)
        return self._api.call(ops.GET_ASSET, self._api.budget(options), asset_id=aid)

    def lineage(
        self, asset_id: str, depth: int | None = None, **options: Unpack[RequestOptions]
    ) -> AssetLineage:
        """What the asset was made from and what was made from it, `depth` levels of derivation deep."""
        arguments = _lineage_args(asset_id, depth)
        return self._api.call(ops.GET_ASSET_LINEAGE, self._api.budget(options), **arguments)

    def favorite(self, **ref: Unpack[AssetRef]) -> bool:
        """Favorite an asset given by exactly one of `asset_id=`, `request_id=`, `vector_id=`; returns
        whether it is now favorited."""
        fields, options = split_ref(ref)
        key = params.write_key(options)
        body = params.asset_ref(fields)
        return self._api.call(ops.FAVORITE_ASSET, self._api.budget(options), body=body, idempotency_key=key)

    def unfavorite(self, **ref: Unpack[AssetRef]) -> bool:
        """Unfavorite an asset given by exactly one of `asset_id=`, `request_id=`, `vector_id=`; returns
        whether it is still favorited."""
        fields, options = split_ref(ref)
        key = params.write_key(options)
        body = params.asset_ref(fields)
        return self._api.call(ops.UNFAVORITE_ASSET, self._api.budget(options), body=body, idempotency_key=key)

    def upload(
        self,
        source: ImageInput,
        *,
        type: str | None = None,
        prompt: str | None = None,
        collection_id: str | None = None,
        favorite: bool | None = None,
        tag_ids: Sequence[str] | None = None,
        lifecycle: Lifecycle | None = None,
        on_progress: ProgressCallback | None = None,
        **options: Unpack[WriteOptions],
    ) -> Asset:
        """Register media as a library asset. A local path, bytes or file object is uploaded to fal storage
        first (under `lifecycle`; `None`: the account's default); a fal-hosted URL is registered as is.
        `type` (image, video, audio, 3d) is read from the content when not given."""
        upload = prepare_upload(
            self._api.config,
            options,
            source,
            type=type,
            prompt=prompt,
            collection_id=collection_id,
            favorite=favorite,
            tag_ids=tag_ids,
        )
        chosen = check_lifecycle(lifecycle)
        budget = self._api.budget(options)
        url = passed_url(upload.source)
        if url is None:
            plan = ImagePlan(cover=upload.source)
            url = str(
                self._api.uploads.resolve(
                    plan, on_progress=on_progress, budget=budget, lifecycle=chosen
                ).cover
            )
        return self._api.call(ops.UPLOAD_ASSET, budget, body=upload.body(url), idempotency_key=upload.key)

    def tags(self, asset_id: str, **options: Unpack[RequestOptions]) -> builtins.list[Tag]:
        """The tags assigned to an asset (by its asset ID)."""
        aid = params.asset_id(asset_id)
        return self._api.call(ops.LIST_ASSET_TAGS_FOR_ASSET, self._api.budget(options), asset_id=aid)

    def set_tags(self, tag_ids: Sequence[str], **ref: Unpack[AssetRef]) -> builtins.list[Tag]:
        """Replace the asset's tags with `tag_ids` (`[]` removes them all); returns its tags."""
        arguments, options = set_tags_args(tag_ids, ref)
        return self._api.call(ops.SET_ASSET_TAGS_FOR_ASSET, self._api.budget(options), **arguments)

    def download(
        self,
        asset: Asset,
        dest_dir: str | os.PathLike[str],
        *,
        on_progress: DownloadCallback | None = None,
        **options: Unpack[RequestOptions],
    ) -> Path:
        """Download the asset's file into `dest_dir`, named from its URL (made safe); see
        `files.download` for what is checked, resumed and skipped."""
        [(url, path)] = asset_downloads([asset], dest_dir)
        return self._files.download(url, path, on_progress=on_progress, **options)

    def download_many(
        self,
        assets: Sequence[Asset],
        dest_dir: str | os.PathLike[str],
        *,
        on_progress: DownloadCallback | None = None,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[Path]:
        """Download the assets' files into `dest_dir` concurrently; names two assets share get the
        asset's id before the extension. `DownloadError` names each failed one."""
        return self._files.download_many(
            asset_downloads(assets, dest_dir), on_progress=on_progress, **options
        )

    @functools.cached_property
    def _files(self) -> Files:
        from .files import Files

        return Files(self._api)


class AsyncAssets:
    """The asset library of an `AsyncFalAssets` client; see `Assets`."""

    def __init__(self, api: AsyncApi) -> None:
        self._api = api

    async def list(
        self, *, cursor: str | None = None, limit: int | None = None, **filters: Unpack[AssetFilters]
    ) -> AssetListResponse:
        """One page (`assets`, `next_cursor`, `has_more`, `total_count`, `scope_truncated`); pass its
        `next_cursor` as `cursor` for the next one."""
        query, options = list_args("listAssets", filters, cursor=cursor, limit=limit)
        return await self._api.call(ops.LIST_ASSETS, self._api.budget(options), **query)

    def iter(self, *, page_size: int | None = None, **filters: Unpack[AssetFilters]) -> AsyncIterator[Asset]:
        """Every asset matching the filters, fetching pages lazily; the options apply to each page."""
        query, options = list_args("listAssets", filters, cursor=None, limit=page_size)
        self._api.budget(options)
        return async_cursor_pages(lambda cursor: self._page(query, cursor, options))

    def search(
        self,
        q: str | None = None,
        *,
        image: ImageInput | None = None,
        video: ImageInput | None = None,
        page_size: int | None = None,
        **filters: Unpack[AssetFilters],
    ) -> AsyncIterator[Asset]:
        """Semantic search, best match first, each asset with its `similarity`. `image`/`video`: a local
        path, bytes or file object (uploaded first, when iteration starts) or a fal-hosted URL."""
        search = prepare_search(self._api.config, q, image, video, page_size, filters)
        return self._search(search)

    async def _search(self, search: Search) -> AsyncIterator[Asset]:
        query = dict(search.query)
        for name in search.media:
            resolved = await self._api.uploads.resolve(
                search.plan(name), budget=self._api.budget(search.options)
            )
            query[name] = resolved.cover
        async for asset in async_cursor_pages(lambda cursor: self._page(query, cursor, search.options)):
            yield asset

    async def _page(
        self, query: dict[str, object], cursor: str | None, options: RequestOptions
    ) -> AssetListResponse:
        arguments = query if cursor is None else {**query, "cursor": cursor}
        return await self._api.call(ops.LIST_ASSETS, self._api.budget(options), **arguments)

    async def get(self, asset_id: str, **options: Unpack[RequestOptions]) -> Asset:
        """An asset by its asset ID (a vector ID is also accepted)."""
        aid = params.asset_id(asset_id)
        return await self._api.call(ops.GET_ASSET, self._api.budget(options), asset_id=aid)

    async def lineage(
        self, asset_id: str, depth: int | None = None, **options: Unpack[RequestOptions]
    ) -> AssetLineage:
        """What the asset was made from and what was made from it, `depth` levels of derivation deep."""
        arguments = _lineage_args(asset_id, depth)
        return await self._api.call(ops.GET_ASSET_LINEAGE, self._api.budget(options), **arguments)

    async def favorite(self, **ref: Unpack[AssetRef]) -> bool:
        """Favorite an asset given by exactly one of `asset_id=`, `request_id=`, `vector_id=`; returns
        whether it is now favorited."""
        fields, options = split_ref(ref)
        key = params.write_key(options)
        body = params.asset_ref(fields)
        return await self._api.call(
            ops.FAVORITE_ASSET, self._api.budget(options), body=body, idempotency_key=key
        )

    async def unfavorite(self, **ref: Unpack[AssetRef]) -> bool:
        """Unfavorite an asset given by exactly one of `asset_id=`, `request_id=`, `vector_id=`; returns
        whether it is still favorited."""
        fields, options = split_ref(ref)
        key = params.write_key(options)
        body = params.asset_ref(fields)
        return await self._api.call(
            ops.UNFAVORITE_ASSET, self._api.budget(options), body=body, idempotency_key=key
        )

    async def upload(
        self,
        source: ImageInput,
        *,
        type: str | None = None,
        prompt: str | None = None,
        collection_id: str | None = None,
        favorite: bool | None = None,
        tag_ids: Sequence[str] | None = None,
        lifecycle: Lifecycle | None = None,
        on_progress: ProgressCallback | None = None,
        **options: Unpack[WriteOptions],
    ) -> Asset:
        """Register media as a library asset. A local path, bytes or file object is uploaded to fal storage
        first (under `lifecycle`; `None`: the account's default); a fal-hosted URL is registered as is.
        `type` (image, video, audio, 3d) is read from the content when not given."""
        upload = prepare_upload(
            self._api.config,
            options,
            source,
            type=type,
            prompt=prompt,
            collection_id=collection_id,
            favorite=favorite,
            tag_ids=tag_ids,
        )
        chosen = check_lifecycle(lifecycle)
        budget = self._api.budget(options)
        url = passed_url(upload.source)
        if url is None:
            plan = ImagePlan(cover=upload.source)
            resolved = await self._api.uploads.resolve(
                plan, on_progress=on_progress, budget=budget, lifecycle=chosen
            )
            url = str(resolved.cover)
        return await self._api.call(
            ops.UPLOAD_ASSET, budget, body=upload.body(url), idempotency_key=upload.key
        )

    async def tags(self, asset_id: str, **options: Unpack[RequestOptions]) -> builtins.list[Tag]:
        """The tags assigned to an asset (by its asset ID)."""
        aid = params.asset_id(asset_id)
        return await self._api.call(ops.LIST_ASSET_TAGS_FOR_ASSET, self._api.budget(options), asset_id=aid)

    async def set_tags(self, tag_ids: Sequence[str], **ref: Unpack[AssetRef]) -> builtins.list[Tag]:
        """Replace the asset's tags with `tag_ids` (`[]` removes them all); returns its tags."""
        arguments, options = set_tags_args(tag_ids, ref)
        return await self._api.call(ops.SET_ASSET_TAGS_FOR_ASSET, self._api.budget(options), **arguments)

    async def download(
        self,
        asset: Asset,
        dest_dir: str | os.PathLike[str],
        *,
        on_progress: DownloadCallback | None = None,
        **options: Unpack[RequestOptions],
    ) -> Path:
        """Download the asset's file into `dest_dir`, named from its URL (made safe); see
        `files.download` for what is checked, resumed and skipped."""
        [(url, path)] = asset_downloads([asset], dest_dir)
        return await self._files.download(url, path, on_progress=on_progress, **options)

    async def download_many(
        self,
        assets: Sequence[Asset],
        dest_dir: str | os.PathLike[str],
        *,
        on_progress: DownloadCallback | None = None,
        **options: Unpack[RequestOptions],
    ) -> builtins.list[Path]:
        """Download the assets' files into `dest_dir` concurrently; names two assets share get the
        asset's id before the extension. `DownloadError` names each failed one."""
        pairs = asset_downloads(assets, dest_dir)
        return await self._files.download_many(pairs, on_progress=on_progress, **options)

    @functools.cached_property
    def _files(self) -> AsyncFiles:
        from .files import AsyncFiles

        return AsyncFiles(self._api)
