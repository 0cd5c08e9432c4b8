"""`client.characters`: every character operation, sync and async.

Each method checks its arguments locally (`_character_args`), resolves images through the uploader
under the call's budget, then makes one API call. Every method takes the per-call `RequestOptions`
(`timeout`, `max_retries`, `deadline`; writes also `idempotency_key`) as keyword arguments, and they govern
the call's uploads too. The sync and async classes differ only in `await`.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING, Unpack

from fal_assets_api import operations as ops
from fal_assets_api.models.character import Character
from fal_assets_api.types import UNSET, Unset

from .._core import validation as check
from .._core.attempt import RequestOptions, WriteOptions
from .._core.lifecycle import Lifecycle
from .._core.lifecycle import lifecycle as check_lifecycle
from .._uploads.references import ImageInput
from . import _character_args as args
from ._character_args import References
from ._paging import async_offset_pages, offset_pages
from ._params import write_key

if TYPE_CHECKING:
    from .._client import AsyncApi, AsyncFalAssets, FalAssets, SyncApi
    from .._uploads import ProgressCallback
    from ..cast.apply import ApplyResult, OnApplied
    from ..cast.plan import Plan
    from ..cast.pull import PullResult

__all__ = ["AsyncCharacters", "Characters"]

DEFAULT_PAGE_SIZE = 50


class Characters:
    """Character operations of a `FalAssets` client. `plan`/`apply` are built on the client's public
    operations, so they also get the client itself."""

    def __init__(self, api: SyncApi, client: FalAssets) -> None:
        self._api = api
        self._client = client

    def create(
        self,
        *,
        name: str,
        description: str,
        reference_images: References,
        identifier: str | None = None,
        cover_image: ImageInput | None = None,
        allow_external_urls: bool = False,
        on_progress: ProgressCallback | None = None,
        lifecycle: Lifecycle | None = args.KEEP_FOREVER,
        **options: Unpack[WriteOptions],
    ) -> Character:
        """Create a character. `reference_images` may mix IDs, library `Asset`s (their vector IDs), fal URLs,
        local paths, bytes, open files, or be one folder; local images are uploaded first (in parallel, once
        per content) under `lifecycle`: by default they never expire, whatever the account's storage setting
        (`lifecycle=Lifecycle()` leaves them to the account's default)."""
        prepared = args.prepare_create(
            self._api.config,
            options,
            name=name,
            description=description,
            reference_images=reference_images,
            identifier=identifier,
            cover_image=cover_image,
            allow_external_urls=allow_external_urls,
        )
        budget = self._api.budget(options)
        images = self._api.uploads.resolve(
            prepared.images, on_progress=on_progress, budget=budget, lifecycle=check_lifecycle(lifecycle)
        )
        return self._api.call(ops.CREATE_ASSET_CHARACTER, budget, **args.create_arguments(prepared, images))

    def update(
        self,
        character_id: str,
        *,
        name: str | Unset = UNSET,
        description: str | Unset = UNSET,
        reference_images: References | Unset = UNSET,
        cover_image: ImageInput | None | Unset = UNSET,
        allow_external_urls: bool = False,
        on_progress: ProgressCallback | None = None,
        lifecycle: Lifecycle | None = args.KEEP_FOREVER,
        **options: Unpack[WriteOptions],
    ) -> Character:
        """Change the fields given, and only those. `cover_image=None` clears the cover."""
        prepared = args.prepare_update(
            self._api.config,
            options,
            character_id,
            name=name,
            description=description,
            reference_images=reference_images,
            cover_image=cover_image,
            allow_external_urls=allow_external_urls,
        )
        budget = self._api.budget(options)
        lifecycle = check_lifecycle(lifecycle)
        images = None
        if prepared.images is not args.NO_IMAGES:
            images = self._api.uploads.resolve(
                prepared.images, on_progress=on_progress, budget=budget, lifecycle=lifecycle
            )
        return self._api.call(ops.UPDATE_ASSET_CHARACTER, budget, **args.update_arguments(prepared, images))

    def get(self, character_id: str, **options: Unpack[RequestOptions]) -> Character:
        """A character by its ID."""
        cid = check.character_id(character_id)
        return self._api.call(ops.GET_ASSET_CHARACTER, self._api.budget(options), character_id=cid)

    def delete(self, character_id: str, **options: Unpack[WriteOptions]) -> None:
        """Delete a character (its reference images stay in storage)."""
        cid, key = check.character_id(character_id), write_key(options)
        self._api.call(
            ops.DELETE_ASSET_CHARACTER, self._api.budget(options), character_id=cid, idempotency_key=key
        )

    def favorite(self, character_id: str, **options: Unpack[WriteOptions]) -> Character:
        """Favorite a character; returns it."""
        cid, key = check.character_id(character_id), write_key(options)
        budget = self._api.budget(options)
        return self._api.call(ops.FAVORITE_ASSET_CHARACTER, budget, character_id=cid, idempotency_key=key)

    def unfavorite(self, character_id: str, **options: Unpack[WriteOptions]) -> Character:
        """Unfavorite a character; returns it."""
        cid, key = check.character_id(character_id), write_key(options)
        budget = self._api.budget(options)
        return self._api.call(ops.UNFAVORITE_ASSET_CHARACTER, budget, character_id=cid, idempotency_key=key)

    def list(
        self, *, limit: int = DEFAULT_PAGE_SIZE, offset: int = 0, **options: Unpack[RequestOptions]
    ) -> list[Character]:
        """One page of characters."""
        return self._api.call(
            ops.LIST_ASSET_CHARACTERS, self._api.budget(options), **args.page(limit, offset)
        )

    def iter(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, offset: int = 0, **options: Unpack[RequestOptions]
    ) -> Iterator[Character]:
        """Every character from `offset` on, fetching pages lazily; the options apply to each page."""
        args.page(page_size, offset)  # validate now, not at the first next()
        self._api.budget(options)
        return offset_pages(lambda limit, at: self.list(limit=limit, offset=at, **options), page_size, offset)

    def plan(
        self,
        manifest_path: str | os.PathLike[str],
        *,
        prune: bool = False,
        allow_paths: Sequence[str | os.PathLike[str]] = (),
    ) -> Plan:
        """What `apply` would change to make fal match a `characters.toml` (and its `characters.lock`).
        Reads only: the manifest is checked and hashed locally, then fal is read with paged lists.
        `prune=True` also plans deleting managed characters no longer in the manifest. Local files must
        lie inside the manifest's folder, symlinks followed; `allow_paths` adds folders on purpose."""
        from ..cast.apply import plan_sync

        return plan_sync(self._client, manifest_path, prune=prune, allow_paths=tuple(allow_paths))

    def pull(
        self,
        manifest_path: str | os.PathLike[str] = "characters.toml",
        *,
        kinds: Sequence[str] | None = None,
        only: Sequence[str] | None = None,
        refs_dir: str | os.PathLike[str] = "refs",
        force: bool = False,
    ) -> PullResult:
        """Adopt what is on fal as code: a manifest and lock entry per character and entity (of `kinds`,
        default all; those in `only`, by identifier / handle), its images downloaded into
        `refs_dir/<handle>/`; see `fal_assets._pull`."""
        from ..cast.pull import pull

        return pull(self._client, manifest_path, kinds=kinds, only=only, refs_dir=refs_dir, force=force)

    def apply(
        self,
        plan: Plan,
        *,
        max_concurrency: int = 8,
        on_progress: ProgressCallback | None = None,
        on_applied: OnApplied | None = None,
    ) -> ApplyResult:
        """Execute a `plan`: upload new content once, one write per changed character (at most
        `max_concurrency` at a time), the lock rewritten after each. `on_applied` hears of each character."""
        from ..cast.apply import apply_sync

        concurrency = check.integer(max_concurrency, field="max_concurrency", bounds=check.Bounds(1, 64))
        return apply_sync(
            self._client, plan, max_concurrency=concurrency, on_progress=on_progress, on_applied=on_applied
        )


class AsyncCharacters:
    """Character operations of an `AsyncFalAssets` client; see `Characters`."""

    def __init__(self, api: AsyncApi, client: AsyncFalAssets) -> None:
        self._api = api
        self._client = client

    async def create(
        self,
        *,
        name: str,
        description: str,
        reference_images: References,
        identifier: str | None = None,
        cover_image: ImageInput | None = None,
        allow_external_urls: bool = False,
        on_progress: ProgressCallback | None = None,
        lifecycle: Lifecycle | None = args.KEEP_FOREVER,
        **options: Unpack[WriteOptions],
    ) -> Character:
        """Create a character. `reference_images` may mix IDs, library `Asset`s (their vector IDs), fal URLs,
        local paths, bytes, open files, or be one folder; local images are uploaded first (in parallel, once
        per content) under `lifecycle`: by default they never expire, whatever the account's storage setting
        (`lifecycle=Lifecycle()` leaves them to the account's default)."""
        prepared = args.prepare_create(
            self._api.config,
            options,
            name=name,
            description=description,
            reference_images=reference_images,
            identifier=identifier,
            cover_image=cover_image,
            allow_external_urls=allow_external_urls,
        )
        budget = self._api.budget(options)
        images = await self._api.uploads.resolve(
            prepared.images, on_progress=on_progress, budget=budget, lifecycle=check_lifecycle(lifecycle)
        )
        return await self._api.call(
            ops.CREATE_ASSET_CHARACTER, budget, **args.create_arguments(prepared, images)
        )

    async def update(
        self,
        character_id: str,
        *,
        name: str | Unset = UNSET,
        description: str | Unset = UNSET,
        reference_images: References | Unset = UNSET,
        cover_image: ImageInput | None | Unset = UNSET,
        allow_external_urls: bool = False,
        on_progress: ProgressCallback | None = None,
        lifecycle: Lifecycle | None = args.KEEP_FOREVER,
        **options: Unpack[WriteOptions],
    ) -> Character:
        """Change the fields given, and only those. `cover_image=None` clears the cover."""
        prepared = args.prepare_update(
            self._api.config,
            options,
            character_id,
            name=name,
            description=description,
            reference_images=reference_images,
            cover_image=cover_image,
            allow_external_urls=allow_external_urls,
        )
        budget = self._api.budget(options)
        lifecycle = check_lifecycle(lifecycle)
        images = None
        if prepared.images is not args.NO_IMAGES:
            images = await self._api.uploads.resolve(
                prepared.images, on_progress=on_progress, budget=budget, lifecycle=lifecycle
            )
        return await self._api.call(
            ops.UPDATE_ASSET_CHARACTER, budget, **args.update_arguments(prepared, images)
        )

    async def get(self, character_id: str, **options: Unpack[RequestOptions]) -> Character:
        """A character by its ID."""
        cid = check.character_id(character_id)
        return await self._api.call(ops.GET_ASSET_CHARACTER, self._api.budget(options), character_id=cid)

    async def delete(self, character_id: str, **options: Unpack[WriteOptions]) -> None:
        """Delete a character (its reference images stay in storage)."""
        cid, key = check.character_id(character_id), write_key(options)
        budget = self._api.budget(options)
        await self._api.call(ops.DELETE_ASSET_CHARACTER, budget, character_id=cid, idempotency_key=key)

    async def favorite(self, character_id: str, **options: Unpack[WriteOptions]) -> Character:
        """Favorite a character; returns it."""
        cid, key = check.character_id(character_id), write_key(options)
        budget = self._api.budget(options)
        return await self._api.call(
            ops.FAVORITE_ASSET_CHARACTER, budget, character_id=cid, idempotency_key=key
        )

    async def unfavorite(self, character_id: str, **options: Unpack[WriteOptions]) -> Character:
        """Unfavorite a character; returns it."""
        cid, key = check.character_id(character_id), write_key(options)
        budget = self._api.budget(options)
        return await self._api.call(
            ops.UNFAVORITE_ASSET_CHARACTER, budget, character_id=cid, idempotency_key=key
        )

    async def list(
        self, *, limit: int = DEFAULT_PAGE_SIZE, offset: int = 0, **options: Unpack[RequestOptions]
    ) -> list[Character]:
        """One page of characters."""
        return await self._api.call(
            ops.LIST_ASSET_CHARACTERS, self._api.budget(options), **args.page(limit, offset)
        )

    def iter(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, offset: int = 0, **options: Unpack[RequestOptions]
    ) -> AsyncIterator[Character]:
        """Every character from `offset` on, fetching pages lazily; the options apply to each page."""
        args.page(page_size, offset)
        self._api.budget(options)
        return async_offset_pages(
            lambda limit, at: self.list(limit=limit, offset=at, **options), page_size, offset
        )

    async def plan(
        self,
        manifest_path: str | os.PathLike[str],
        *,
        prune: bool = False,
        allow_paths: Sequence[str | os.PathLike[str]] = (),
    ) -> Plan:
        """What `apply` would change to make fal match a `characters.toml` (and its `characters.lock`).
        Reads only: the manifest is checked and hashed locally, then fal is read with paged lists.
        `prune=True` also plans deleting managed characters no longer in the manifest. Local files must
        lie inside the manifest's folder, symlinks followed; `allow_paths` adds folders on purpose."""
        from ..cast.apply import plan_async

        return await plan_async(self._client, manifest_path, prune=prune, allow_paths=tuple(allow_paths))

    async def pull(
        self,
        manifest_path: str | os.PathLike[str] = "characters.toml",
        *,
        kinds: Sequence[str] | None = None,
        only: Sequence[str] | None = None,
        refs_dir: str | os.PathLike[str] = "refs",
        force: bool = False,
    ) -> PullResult:
        """Adopt what is on fal as code: a manifest and lock entry per character and entity (of `kinds`,
        default all; those in `only`, by identifier / handle), its images downloaded into
        `refs_dir/<handle>/`; see `fal_assets._pull`."""
        from ..cast.pull import pull_async

        return await pull_async(
            self._client, manifest_path, kinds=kinds, only=only, refs_dir=refs_dir, force=force
        )

    async def apply(
        self,
        plan: Plan,
        *,
        max_concurrency: int = 8,
        on_progress: ProgressCallback | None = None,
        on_applied: OnApplied | None = None,
    ) -> ApplyResult:
        """Execute a `plan`: upload new content once, one write per changed character (at most
        `max_concurrency` at a time), the lock rewritten after each. `on_applied` hears of each character."""
        from ..cast.apply import apply_async

        concurrency = check.integer(max_concurrency, field="max_concurrency", bounds=check.Bounds(1, 64))
        return await apply_async(
            self._client, plan, max_concurrency=concurrency, on_progress=on_progress, on_applied=on_applied
        )
