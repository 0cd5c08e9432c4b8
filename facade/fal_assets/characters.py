"""`client.characters`: every character operation, sync and async.

Each method validates and plans locally (shared functions below), resolves images through the client's
uploader, then runs one `Call` of the generated client. The sync and async classes differ only in `await`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
from fal_assets_api.api.assets import (
    create_asset_character,
    delete_asset_character,
    favorite_asset_character,
    get_asset_character,
    list_asset_characters,
    unfavorite_asset_character,
    update_asset_character,
)
from fal_assets_api.models.character import Character
from fal_assets_api.models.character_list_response import CharacterListResponse
from fal_assets_api.models.character_response import CharacterResponse
from fal_assets_api.models.create_character_request import CreateCharacterRequest
from fal_assets_api.models.update_character_request import UpdateCharacterRequest
from fal_assets_api.types import UNSET, Unset

from . import _validation as check
from ._calls import Call
from ._config import ClientConfig
from ._errors import ValidationError
from ._references import ImageInput, ImagePlan, ReferenceInput, plan_images

if TYPE_CHECKING:
    from ._apply import ApplyResult, OnApplied
    from ._client import AsyncFalAssets, FalAssets
    from ._plan import Plan
    from ._uploads import ProgressCallback, ResolvedImages

__all__ = ["AsyncCharacters", "Characters"]

DEFAULT_PAGE_SIZE = 50


@dataclass(frozen=True)
class _Prepared:
    """A write checked locally, waiting for its images to be resolved."""

    character_id: str | None
    fields: dict[str, Any]
    images: ImagePlan


def _new_key(idempotency_key: str | None) -> str:
    if idempotency_key is None:
        return str(uuid.uuid4())
    return check.text(idempotency_key, field="idempotency_key", bounds=check.Bounds(1, 255))


def _character(parsed: CharacterResponse) -> Character:
    return parsed.character


def _characters(parsed: CharacterListResponse) -> list[Character]:
    return parsed.characters


def _nothing(parsed: object) -> None:
    return None


def _prepare_create(
    config: ClientConfig,
    *,
    name: str,
    description: str,
    reference_images: ReferenceInput,
    identifier: str | None,
    cover_image: ImageInput | None,
    allow_external_urls: bool,
) -> _Prepared:
    fields: dict[str, Any] = {
        "name": check.text(name, field="name", bounds=check.NAME_LENGTH),
        "description": check.text(description, field="description", bounds=check.DESCRIPTION_LENGTH),
    }
    if identifier is not None:
        fields["identifier"] = check.text(identifier, field="identifier", bounds=check.IDENTIFIER_LENGTH)
    images = plan_images(
        reference_images=reference_images,
        cover_image=UNSET if cover_image is None else cover_image,
        fal_hosts=config.fal_hosts,
        allow_external_urls=allow_external_urls,
    )
    return _Prepared(None, fields, images)


def _prepare_update(
    config: ClientConfig,
    character_id: str,
    *,
    name: str | Unset,
    description: str | Unset,
    reference_images: ReferenceInput | Unset,
    cover_image: ImageInput | None | Unset,
    allow_external_urls: bool,
) -> _Prepared:
    cid = check.character_id(character_id)
    fields: dict[str, Any] = {}
    if not isinstance(name, Unset):
        fields["name"] = check.text(name, field="name", bounds=check.NAME_LENGTH)
    if not isinstance(description, Unset):
        fields["description"] = check.text(description, field="description", bounds=check.DESCRIPTION_LENGTH)
    if not fields and isinstance(reference_images, Unset) and isinstance(cover_image, Unset):
        raise ValidationError(
            "update() needs at least one of name, description, reference_images or cover_image "
            "(cover_image=None clears the cover)"
        )
    images = plan_images(
        reference_images=reference_images,
        cover_image=cover_image,
        fal_hosts=config.fal_hosts,
        allow_external_urls=allow_external_urls,
    )
    return _Prepared(cid, fields, images)


def _create_call(prepared: _Prepared, images: ResolvedImages, idempotency_key: str | None) -> Call[Character]:
    assert not isinstance(images.references, Unset)
    key = _new_key(idempotency_key)
    body = CreateCharacterRequest(
        name=prepared.fields["name"],
        description=prepared.fields["description"],
        reference_images=images.references,
        identifier=prepared.fields.get("identifier", UNSET),
        cover_image_url=images.cover,
    )
    return Call(
        "createAssetCharacter",
        create_asset_character.sync_detailed,
        create_asset_character.asyncio_detailed,
        {"body": body, "idempotency_key": key},
        201,
        _character,
        key,
    )


def _update_call(prepared: _Prepared, images: ResolvedImages, idempotency_key: str | None) -> Call[Character]:
    key = _new_key(idempotency_key)
    body = UpdateCharacterRequest(
        name=prepared.fields.get("name", UNSET),
        description=prepared.fields.get("description", UNSET),
        reference_images=images.references,
        cover_image_url=images.cover,
    )
    return Call(
        "updateAssetCharacter",
        update_asset_character.sync_detailed,
        update_asset_character.asyncio_detailed,
        {"character_id": prepared.character_id, "body": body, "idempotency_key": key},
        200,
        _character,
        key,
    )


def _get_call(character_id: str) -> Call[Character]:
    return Call(
        "getAssetCharacter",
        get_asset_character.sync_detailed,
        get_asset_character.asyncio_detailed,
        {"character_id": check.character_id(character_id)},
        200,
        _character,
    )


def _delete_call(character_id: str, idempotency_key: str | None) -> Call[None]:
    cid = check.character_id(character_id)
    key = _new_key(idempotency_key)
    return Call(
        "deleteAssetCharacter",
        delete_asset_character.sync_detailed,
        delete_asset_character.asyncio_detailed,
        {"character_id": cid, "idempotency_key": key},
        204,
        _nothing,
        key,
    )


def _favorite_call(character_id: str, idempotency_key: str | None, *, favorite: bool) -> Call[Character]:
    cid = check.character_id(character_id)
    key = _new_key(idempotency_key)
    module = favorite_asset_character if favorite else unfavorite_asset_character
    return Call(
        "favoriteAssetCharacter" if favorite else "unfavoriteAssetCharacter",
        module.sync_detailed,
        module.asyncio_detailed,
        {"character_id": cid, "idempotency_key": key},
        200,
        _character,
        key,
    )


def _list_call(limit: int, offset: int) -> Call[list[Character]]:
    return Call(
        "listAssetCharacters",
        list_asset_characters.sync_detailed,
        list_asset_characters.asyncio_detailed,
        {
            "limit": check.integer(limit, field="limit", bounds=check.LIST_LIMIT),
            "offset": check.integer(offset, field="offset", bounds=check.LIST_OFFSET),
        },
        200,
        _characters,
    )


class Characters:
    """Character operations of a `FalAssets` client. Every method also takes `timeout` (seconds or an
    `httpx.Timeout`, per attempt), `max_retries`, and `deadline` (seconds for all attempts and waits)."""

    def __init__(self, client: FalAssets) -> None:
        self._client = client

    def create(
        self,
        *,
        name: str,
        description: str,
        reference_images: ReferenceInput,
        identifier: str | None = None,
        cover_image: ImageInput | None = None,
        allow_external_urls: bool = False,
        on_progress: ProgressCallback | None = None,
        idempotency_key: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> Character:
        """Create a character. `reference_images` may mix IDs, fal URLs, local paths, bytes, open files,
        or be one folder; local images are uploaded first (in parallel, once per content)."""
        prepared = _prepare_create(
            self._client.config,
            name=name,
            description=description,
            reference_images=reference_images,
            identifier=identifier,
            cover_image=cover_image,
            allow_external_urls=allow_external_urls,
        )
        images = self._client._uploader.resolve(prepared.images, on_progress=on_progress)
        call = _create_call(prepared, images, idempotency_key)
        return self._client._run(call, timeout=timeout, max_retries=max_retries, deadline=deadline)

    def update(
        self,
        character_id: str,
        *,
        name: str | Unset = UNSET,
        description: str | Unset = UNSET,
        reference_images: ReferenceInput | Unset = UNSET,
        cover_image: ImageInput | None | Unset = UNSET,
        allow_external_urls: bool = False,
        on_progress: ProgressCallback | None = None,
        idempotency_key: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> Character:
        """Change the fields given, and only those. `cover_image=None` clears the cover."""
        prepared = _prepare_update(
            self._client.config,
            character_id,
            name=name,
            description=description,
            reference_images=reference_images,
            cover_image=cover_image,
            allow_external_urls=allow_external_urls,
        )
        images = self._client._uploader.resolve(prepared.images, on_progress=on_progress)
        call = _update_call(prepared, images, idempotency_key)
        return self._client._run(call, timeout=timeout, max_retries=max_retries, deadline=deadline)

    def get(
        self,
        character_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> Character:
        call = _get_call(character_id)
        return self._client._run(call, timeout=timeout, max_retries=max_retries, deadline=deadline)

    def delete(
        self,
        character_id: str,
        *,
        idempotency_key: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> None:
        call = _delete_call(character_id, idempotency_key)
        self._client._run(call, timeout=timeout, max_retries=max_retries, deadline=deadline)

    def favorite(
        self,
        character_id: str,
        *,
        idempotency_key: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> Character:
        call = _favorite_call(character_id, idempotency_key, favorite=True)
        return self._client._run(call, timeout=timeout, max_retries=max_retries, deadline=deadline)

    def unfavorite(
        self,
        character_id: str,
        *,
        idempotency_key: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> Character:
        call = _favorite_call(character_id, idempotency_key, favorite=False)
        return self._client._run(call, timeout=timeout, max_retries=max_retries, deadline=deadline)

    def list(
        self,
        *,
        limit: int = DEFAULT_PAGE_SIZE,
        offset: int = 0,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> list[Character]:
        """One page of characters."""
        call = _list_call(limit, offset)
        return self._client._run(call, timeout=timeout, max_retries=max_retries, deadline=deadline)

    def iter(
        self,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        offset: int = 0,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> Iterator[Character]:
        """Every character from `offset` on, fetching pages lazily; `deadline` applies per page."""
        _list_call(page_size, offset)  # validate now, not at the first next()
        return self._pages(page_size, offset, timeout, max_retries, deadline)

    def _pages(
        self,
        page_size: int,
        offset: int,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        deadline: float | None,
    ) -> Iterator[Character]:
        while True:
            page = self.list(
                limit=page_size, offset=offset, timeout=timeout, max_retries=max_retries, deadline=deadline
            )
            yield from page
            if len(page) < page_size:
                return
            offset += len(page)

    def plan(self, manifest_path: str | os.PathLike[str], *, prune: bool = False) -> Plan:
        """What `apply` would change to make fal match a `characters.toml` (and its `characters.lock`).
        Reads only: the manifest is checked and hashed locally, then fal is read with paged lists.
        `prune=True` also plans deleting managed characters no longer in the manifest."""
        from ._apply import plan_sync

        return plan_sync(self._client, manifest_path, prune=prune)

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
        from ._apply import apply_sync

        concurrency = check.integer(max_concurrency, field="max_concurrency", bounds=check.Bounds(1, 64))
        return apply_sync(
            self._client, plan, max_concurrency=concurrency, on_progress=on_progress, on_applied=on_applied
        )


class AsyncCharacters:
    """Character operations of an `AsyncFalAssets` client; see `Characters`."""

    def __init__(self, client: AsyncFalAssets) -> None:
        self._client = client

    async def create(
        self,
        *,
        name: str,
        description: str,
        reference_images: ReferenceInput,
        identifier: str | None = None,
        cover_image: ImageInput | None = None,
        allow_external_urls: bool = False,
        on_progress: ProgressCallback | None = None,
        idempotency_key: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> Character:
        prepared = _prepare_create(
            self._client.config,
            name=name,
            description=description,
            reference_images=reference_images,
            identifier=identifier,
            cover_image=cover_image,
            allow_external_urls=allow_external_urls,
        )
        images = await self._client._uploader.resolve(prepared.images, on_progress=on_progress)
        call = _create_call(prepared, images, idempotency_key)
        return await self._client._run(call, timeout=timeout, max_retries=max_retries, deadline=deadline)

    async def update(
        self,
        character_id: str,
        *,
        name: str | Unset = UNSET,
        description: str | Unset = UNSET,
        reference_images: ReferenceInput | Unset = UNSET,
        cover_image: ImageInput | None | Unset = UNSET,
        allow_external_urls: bool = False,
        on_progress: ProgressCallback | None = None,
        idempotency_key: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> Character:
        prepared = _prepare_update(
            self._client.config,
            character_id,
            name=name,
            description=description,
            reference_images=reference_images,
            cover_image=cover_image,
            allow_external_urls=allow_external_urls,
        )
        images = await self._client._uploader.resolve(prepared.images, on_progress=on_progress)
        call = _update_call(prepared, images, idempotency_key)
        return await self._client._run(call, timeout=timeout, max_retries=max_retries, deadline=deadline)

    async def get(
        self,
        character_id: str,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> Character:
        call = _get_call(character_id)
        return await self._client._run(call, timeout=timeout, max_retries=max_retries, deadline=deadline)

    async def delete(
        self,
        character_id: str,
        *,
        idempotency_key: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> None:
        call = _delete_call(character_id, idempotency_key)
        await self._client._run(call, timeout=timeout, max_retries=max_retries, deadline=deadline)

    async def favorite(
        self,
        character_id: str,
        *,
        idempotency_key: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> Character:
        call = _favorite_call(character_id, idempotency_key, favorite=True)
        return await self._client._run(call, timeout=timeout, max_retries=max_retries, deadline=deadline)

    async def unfavorite(
        self,
        character_id: str,
        *,
        idempotency_key: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> Character:
        call = _favorite_call(character_id, idempotency_key, favorite=False)
        return await self._client._run(call, timeout=timeout, max_retries=max_retries, deadline=deadline)

    async def list(
        self,
        *,
        limit: int = DEFAULT_PAGE_SIZE,
        offset: int = 0,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> list[Character]:
        call = _list_call(limit, offset)
        return await self._client._run(call, timeout=timeout, max_retries=max_retries, deadline=deadline)

    def iter(
        self,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        offset: int = 0,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> AsyncIterator[Character]:
        """`async for character in client.characters.iter(): ...`"""
        _list_call(page_size, offset)
        return self._pages(page_size, offset, timeout, max_retries, deadline)

    async def _pages(
        self,
        page_size: int,
        offset: int,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        deadline: float | None,
    ) -> AsyncIterator[Character]:
        while True:
            page = await self.list(
                limit=page_size, offset=offset, timeout=timeout, max_retries=max_retries, deadline=deadline
            )
            for character in page:
                yield character
            if len(page) < page_size:
                return
            offset += len(page)

    async def plan(self, manifest_path: str | os.PathLike[str], *, prune: bool = False) -> Plan:
        """See `Characters.plan`."""
        from ._apply import plan_async

        return await plan_async(self._client, manifest_path, prune=prune)

    async def apply(
        self,
        plan: Plan,
        *,
        max_concurrency: int = 8,
        on_progress: ProgressCallback | None = None,
        on_applied: OnApplied | None = None,
    ) -> ApplyResult:
        """See `Characters.apply`."""
        from ._apply import apply_async

        concurrency = check.integer(max_concurrency, field="max_concurrency", bounds=check.Bounds(1, 64))
        return await apply_async(
            self._client, plan, max_concurrency=concurrency, on_progress=on_progress, on_applied=on_applied
        )
