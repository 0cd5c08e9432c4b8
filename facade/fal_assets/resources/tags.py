"""`client.tags`: fal's asset tags (names unique ignoring case), and assigning them; sync and async.
An asset's own tags are `client.assets.tags(asset_id)` / `client.assets.set_tags(tag_ids, **ref)`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Unpack

from fal_assets_api import operations as ops
from fal_assets_api.models.create_tag_request import CreateTagRequest
from fal_assets_api.models.tag import Tag
from fal_assets_api.models.update_tag_request import UpdateTagRequest

from .._core import spec as _spec
from .._core import validation as check
from .._core.attempt import RequestOptions, WriteOptions
from . import _params as params
from ._asset_args import AssetRef, split_ref

if TYPE_CHECKING:
    from .._client import AsyncApi, SyncApi

__all__ = ["AsyncTags", "Tags"]

NAME_LENGTH = _spec.bounds(_spec.property_schema("CreateTagRequest", "name"))


def _name(name: str) -> str:
    return check.text(name, field="name", bounds=NAME_LENGTH)


def _id_and_key(tag_id: str, options: WriteOptions) -> dict[str, Any]:
    return {"tag_id": params.tag_id(tag_id), "idempotency_key": params.write_key(options)}


def _ref_args(tag_id: str, ref: Mapping[str, Any]) -> tuple[dict[str, Any], WriteOptions]:
    fields, options = split_ref(ref)
    arguments = _id_and_key(tag_id, options)
    arguments["body"] = params.asset_ref(fields)
    return arguments, options


class Tags:
    """Tags of a `FalAssets` client."""

    def __init__(self, api: SyncApi) -> None:
        self._api = api

    def list(self, **options: Unpack[RequestOptions]) -> list[Tag]:
        """Every tag, oldest first."""
        return self._api.call(ops.LIST_ASSET_TAGS, self._api.budget(options))

    def create(self, name: str, **options: Unpack[WriteOptions]) -> Tag:
        """A new tag named `name`."""
        body, key = CreateTagRequest(name=_name(name)), params.write_key(options)
        return self._api.call(ops.CREATE_ASSET_TAG, self._api.budget(options), body=body, idempotency_key=key)

    def update(self, tag_id: str, name: str, **options: Unpack[WriteOptions]) -> Tag:
        """Rename a tag."""
        body = UpdateTagRequest(name=_name(name))
        arguments = _id_and_key(tag_id, options)
        return self._api.call(ops.UPDATE_ASSET_TAG, self._api.budget(options), body=body, **arguments)

    def delete(self, tag_id: str, **options: Unpack[WriteOptions]) -> None:
        """Delete a tag (it is taken off every asset it was on)."""
        arguments = _id_and_key(tag_id, options)
        self._api.call(ops.DELETE_ASSET_TAG, self._api.budget(options), **arguments)

    def assign(self, tag_id: str, **ref: Unpack[AssetRef]) -> None:
        """Tag an asset given by exactly one of `asset_id=`, `request_id=`, `vector_id=`."""
        arguments, options = _ref_args(tag_id, ref)
        self._api.call(ops.ASSIGN_ASSET_TAG, self._api.budget(options), **arguments)

    def unassign(self, tag_id: str, **ref: Unpack[AssetRef]) -> None:
        """Take a tag off an asset given by exactly one of `asset_id=`, `request_id=`, `vector_id=`."""
        arguments, options = _ref_args(tag_id, ref)
        self._api.call(ops.UNASSIGN_ASSET_TAG, self._api.budget(options), **arguments)


class AsyncTags:
    """Tags of an `AsyncFalAssets` client; see `Tags`."""

    def __init__(self, api: AsyncApi) -> None:
        self._api = api

    async def list(self, **options: Unpack[RequestOptions]) -> list[Tag]:
        """Every tag, oldest first."""
        return await self._api.call(ops.LIST_ASSET_TAGS, self._api.budget(options))

    async def create(self, name: str, **options: Unpack[WriteOptions]) -> Tag:
        """A new tag named `name`."""
        body, key = CreateTagRequest(name=_name(name)), params.write_key(options)
        return await self._api.call(
            ops.CREATE_ASSET_TAG, self._api.budget(options), body=body, idempotency_key=key
        )

    async def update(self, tag_id: str, name: str, **options: Unpack[WriteOptions]) -> Tag:
        """Rename a tag."""
        body = UpdateTagRequest(name=_name(name))
        arguments = _id_and_key(tag_id, options)
        return await self._api.call(ops.UPDATE_ASSET_TAG, self._api.budget(options), body=body, **arguments)

    async def delete(self, tag_id: str, **options: Unpack[WriteOptions]) -> None:
        """Delete a tag (it is taken off every asset it was on)."""
        arguments = _id_and_key(tag_id, options)
        await self._api.call(ops.DELETE_ASSET_TAG, self._api.budget(options), **arguments)

    async def assign(self, tag_id: str, **ref: Unpack[AssetRef]) -> None:
        """Tag an asset given by exactly one of `asset_id=`, `request_id=`, `vector_id=`."""
        arguments, options = _ref_args(tag_id, ref)
        await self._api.call(ops.ASSIGN_ASSET_TAG, self._api.budget(options), **arguments)

    async def unassign(self, tag_id: str, **ref: Unpack[AssetRef]) -> None:
        """Take a tag off an asset given by exactly one of `asset_id=`, `request_id=`, `vector_id=`."""
        arguments, options = _ref_args(tag_id, ref)
        await self._api.call(ops.UNASSIGN_ASSET_TAG, self._api.budget(options), **arguments)
