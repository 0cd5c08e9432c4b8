"""`client.entities`: characters, props, environments, styles and scenes, sync and async.

fal's entities are named sets of reference images with an @mention handle, unique across every kind of an
account. A character is an entity of type `character` (the same record `client.characters` sees). Each
method checks its arguments locally (`_entity_args`), resolves images through the uploader under the
call's budget (the same rules and engine as `client.characters`), then makes one API call. The sync and
async classes differ only in `await`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING, Unpack

from fal_assets_api import operations as ops
from fal_assets_api.models.entity import Entity
from fal_assets_api.types import UNSET, Unset

from .._core.attempt import RequestOptions, WriteOptions
from .._core.lifecycle import Lifecycle
from .._core.lifecycle import lifecycle as check_lifecycle
from .._uploads.references import ImageInput
from . import _entity_args as args
from ._character_args import KEEP_FOREVER, NO_IMAGES, References
from ._paging import async_offset_pages, offset_pages
from ._params import write_key

if TYPE_CHECKING:
    from .._client import AsyncApi, SyncApi
    from .._uploads import ProgressCallback

__all__ = ["AsyncEntities", "Entities"]

DEFAULT_PAGE_SIZE = 50


class Entities:
    """Entity operations of a `FalAssets` client."""

    def __init__(self, api: SyncApi) -> None:
        self._api = api

    def list(
        self,
        *,
        types: str | Iterable[str] | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
        offset: int = 0,
        **options: Unpack[RequestOptions],
    ) -> list[Entity]:
        """One page of entities, newest first; `types` is one kind or several (None: every kind)."""
        arguments = {"types": args.kinds(types), **args.page(limit, offset)}
        return self._api.call(ops.LIST_ASSET_ENTITIES, self._api.budget(options), **arguments)

    def iter(
        self,
        *,
        types: str | Iterable[str] | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        **options: Unpack[RequestOptions],
    ) -> Iterator[Entity]:
        """Every entity (of `types`), fetching pages lazily; the options apply to each page."""
        args.kinds(types)  # validate now, not at the first next()
        args.page(page_size, 0)
        self._api.budget(options)
        return offset_pages(
            lambda limit, at: self.list(types=types, limit=limit, offset=at, **options), page_size, 0
        )

    def create(
        self,
        *,
        type: str,
        name: str,
        reference_images: References,
        handle: str | None = None,
        description: str | None = None,
        cover_image: ImageInput | None = None,
        allow_external_urls: bool = False,
        on_progress: ProgressCallback | None = None,
        lifecycle: Lifecycle | None = KEEP_FOREVER,
        **options: Unpack[WriteOptions],
    ) -> Entity:
        """Create an entity of `type` (character, prop, environment, style or scene). The handle defaults
        from the name on fal's side; a character needs a description; the cover, when given, must be one of
        `reference_images`. Local images are uploaded first, once per content, under `lifecycle` (by
        default they never expire)."""
        prepared = args.prepare_create(
            self._api.config,
            options,
            type=type,
            name=name,
            reference_images=reference_images,
            handle=handle,
            description=description,
            cover_image=cover_image,
            allow_external_urls=allow_external_urls,
        )
        budget = self._api.budget(options)
        images = self._api.uploads.resolve(
            prepared.images, on_progress=on_progress, budget=budget, lifecycle=check_lifecycle(lifecycle)
        )
        return self._api.call(ops.CREATE_ASSET_ENTITY, budget, **args.create_arguments(prepared, images))

    def get(self, entity_id: str, **options: Unpack[RequestOptions]) -> Entity:
        """An entity (of any kind) by its ID."""
        eid = args.entity_id(entity_id)
        return self._api.call(ops.GET_ASSET_ENTITY, self._api.budget(options), entity_id=eid)

    def update(
        self,
        entity_id: str,
        *,
        name: str | Unset = UNSET,
        handle: str | Unset = UNSET,
        description: str | None | Unset = UNSET,
        reference_images: References | Unset = UNSET,
        cover_image: ImageInput | None | Unset = UNSET,
        allow_external_urls: bool = False,
        on_progress: ProgressCallback | None = None,
        lifecycle: Lifecycle | None = KEEP_FOREVER,
        **options: Unpack[WriteOptions],
    ) -> Entity:
        """Change the fields given, and only those. `description=None` and `cover_image=None` clear them
        (fal refuses both a cleared description and a new handle for a character)."""
        prepared = args.prepare_update(
            self._api.config,
            options,
            entity_id,
            name=name,
            handle=handle,
            description=description,
            reference_images=reference_images,
            cover_image=cover_image,
            allow_external_urls=allow_external_urls,
        )
        budget = self._api.budget(options)
        lifecycle = check_lifecycle(lifecycle)
        images = None
        if prepared.images is not NO_IMAGES:
            images = self._api.uploads.resolve(
                prepared.images, on_progress=on_progress, budget=budget, lifecycle=lifecycle
            )
        return self._api.call(ops.UPDATE_ASSET_ENTITY, budget, **args.update_arguments(prepared, images))

    def delete(self, entity_id: str, **options: Unpack[WriteOptions]) -> None:
        """Delete an entity (its reference images stay in storage)."""
        eid, key = args.entity_id(entity_id), write_key(options)
        self._api.call(ops.DELETE_ASSET_ENTITY, self._api.budget(options), entity_id=eid, idempotency_key=key)


class AsyncEntities:
    """Entity operations of an `AsyncFalAssets` client; see `Entities`."""

    def __init__(self, api: AsyncApi) -> None:
        self._api = api

    async def list(
        self,
        *,
        types: str | Iterable[str] | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
        offset: int = 0,
        **options: Unpack[RequestOptions],
    ) -> list[Entity]:
        """One page of entities, newest first; `types` is one kind or several (None: every kind)."""
        arguments = {"types": args.kinds(types), **args.page(limit, offset)}
        return await self._api.call(ops.LIST_ASSET_ENTITIES, self._api.budget(options), **arguments)

    def iter(
        self,
        *,
        types: str | Iterable[str] | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        **options: Unpack[RequestOptions],
    ) -> AsyncIterator[Entity]:
        """Every entity (of `types`), fetching pages lazily; the options apply to each page."""
        args.kinds(types)
        args.page(page_size, 0)
        self._api.budget(options)
        return async_offset_pages(
            lambda limit, at: self.list(types=types, limit=limit, offset=at, **options), page_size, 0
        )

    async def create(
        self,
        *,
        type: str,
        name: str,
        reference_images: References,
        handle: str | None = None,
        description: str | None = None,
        cover_image: ImageInput | None = None,
        allow_external_urls: bool = False,
        on_progress: ProgressCallback | None = None,
        lifecycle: Lifecycle | None = KEEP_FOREVER,
        **options: Unpack[WriteOptions],
    ) -> Entity:
        """Create an entity of `type` (character, prop, environment, style or scene). The handle defaults
        from the name on fal's side; a character needs a description; the cover, when given, must be one of
        `reference_images`. Local images are uploaded first, once per content, under `lifecycle` (by
        default they never expire)."""
        prepared = args.prepare_create(
            self._api.config,
            options,
            type=type,
            name=name,
            reference_images=reference_images,
            handle=handle,
            description=description,
            cover_image=cover_image,
            allow_external_urls=allow_external_urls,
        )
        budget = self._api.budget(options)
        images = await self._api.uploads.resolve(
            prepared.images, on_progress=on_progress, budget=budget, lifecycle=check_lifecycle(lifecycle)
        )
        return await self._api.call(
            ops.CREATE_ASSET_ENTITY, budget, **args.create_arguments(prepared, images)
        )

    async def get(self, entity_id: str, **options: Unpack[RequestOptions]) -> Entity:
        """An entity (of any kind) by its ID."""
        eid = args.entity_id(entity_id)
        return await self._api.call(ops.GET_ASSET_ENTITY, self._api.budget(options), entity_id=eid)

    async def update(
        self,
        entity_id: str,
        *,
        name: str | Unset = UNSET,
        handle: str | Unset = UNSET,
        description: str | None | Unset = UNSET,
        reference_images: References | Unset = UNSET,
        cover_image: ImageInput | None | Unset = UNSET,
        allow_external_urls: bool = False,
        on_progress: ProgressCallback | None = None,
        lifecycle: Lifecycle | None = KEEP_FOREVER,
        **options: Unpack[WriteOptions],
    ) -> Entity:
        """Change the fields given, and only those. `description=None` and `cover_image=None` clear them
        (fal refuses both a cleared description and a new handle for a character)."""
        prepared = args.prepare_update(
            self._api.config,
            options,
            entity_id,
            name=name,
            handle=handle,
            description=description,
            reference_images=reference_images,
            cover_image=cover_image,
            allow_external_urls=allow_external_urls,
        )
        budget = self._api.budget(options)
        lifecycle = check_lifecycle(lifecycle)
        images = None
        if prepared.images is not NO_IMAGES:
            images = await self._api.uploads.resolve(
                prepared.images, on_progress=on_progress, budget=budget, lifecycle=lifecycle
            )
        return await self._api.call(
            ops.UPDATE_ASSET_ENTITY, budget, **args.update_arguments(prepared, images)
        )

    async def delete(self, entity_id: str, **options: Unpack[WriteOptions]) -> None:
        """Delete an entity (its reference images stay in storage)."""
        eid, key = args.entity_id(entity_id), write_key(options)
        budget = self._api.budget(options)
        await self._api.call(ops.DELETE_ASSET_ENTITY, budget, entity_id=eid, idempotency_key=key)
