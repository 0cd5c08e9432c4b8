"""fal's API operations as the facade uses them: one declaration each, over the generated client.

The generated package builds each request (`_get_kwargs`: method, path, query, JSON body, headers) and
provides the models; the engine sends it. A reply is read by the operation's model (`from_reply`): by
default tolerantly (a missing field or a null is None, an unknown enum value stays a string, each logged
once: _replies.py), strictly with `strict_response_validation`. What cannot be read either way (not JSON,
not an object, a wrong JSON type, no identity or wrapper) is an `APIResponseValidationError`, never a
wrongly typed object.

This table is the only place that names generated API functions.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx
from fal_assets_api.api.assets import (
    add_asset_to_collection,
    assign_asset_tag,
    create_asset_character,
    create_asset_collection,
    create_asset_entity,
    create_asset_tag,
    delete_asset_character,
    delete_asset_collection,
    delete_asset_entity,
    delete_asset_tag,
    favorite_asset,
    favorite_asset_character,
    favorite_asset_collection,
    get_asset,
    get_asset_character,
    get_asset_collection,
    get_asset_collection_hierarchy,
    get_asset_entity,
    get_asset_lineage,
    list_asset_characters,
    list_asset_collection_assets,
    list_asset_collections,
    list_asset_entities,
    list_asset_tags,
    list_asset_tags_for_asset,
    list_assets,
    move_asset_collection,
    remove_asset_from_collection,
    set_asset_tags_for_asset,
    unassign_asset_tag,
    unfavorite_asset,
    unfavorite_asset_character,
    unfavorite_asset_collection,
    update_asset_character,
    update_asset_collection,
    update_asset_entity,
    update_asset_tag,
    upload_asset,
)
from fal_assets_api.api.storage import (
    get_storage_file_acl,
    get_storage_settings,
    set_storage_file_acl,
    sign_storage_file_url,
    update_storage_settings,
)
from fal_assets_api.models.asset import Asset
from fal_assets_api.models.asset_lineage import AssetLineage
from fal_assets_api.models.asset_lineage_response import AssetLineageResponse
from fal_assets_api.models.asset_list_response import AssetListResponse
from fal_assets_api.models.asset_response import AssetResponse
from fal_assets_api.models.character import Character
from fal_assets_api.models.character_list_response import CharacterListResponse
from fal_assets_api.models.character_response import CharacterResponse
from fal_assets_api.models.collection import Collection
from fal_assets_api.models.collection_hierarchy_response import CollectionHierarchyResponse
from fal_assets_api.models.collection_list_response import CollectionListResponse
from fal_assets_api.models.collection_response import CollectionResponse
from fal_assets_api.models.entity import Entity
from fal_assets_api.models.entity_list_response import EntityListResponse
from fal_assets_api.models.entity_response import EntityResponse
from fal_assets_api.models.favorite_asset_response import FavoriteAssetResponse
from fal_assets_api.models.file_acl import FileAcl
from fal_assets_api.models.signed_url_response import SignedUrlResponse
from fal_assets_api.models.storage_settings import StorageSettings
from fal_assets_api.models.success_response import SuccessResponse
from fal_assets_api.models.tag import Tag
from fal_assets_api.models.tag_list_response import TagListResponse
from fal_assets_api.models.tag_response import TagResponse
from fal_assets_api.types import STRICT, Drift

from .._config import ClientConfig
from .._errors import APIResponseValidationError, ValidationError
from .body import Reply
from .engine import Spec
from .replies import LoggedDrift

__all__ = ["Operation", "api_spec"]

T = TypeVar("T")


@dataclass(frozen=True)
class Operation(Generic[T]):
    """One API operation: fal's operationId, the generated request builder, the documented success status,
    the reply's model (None: no body), and what the caller gets from it."""

    name: str
    build: Callable[..., dict[str, Any]]
    success: int
    model: type[Any] | None
    result: Callable[[Any], T]
    drift: Drift = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "drift", LoggedDrift(self.name))

    def parse(self, reply: Reply) -> T:
        """The caller's result from a reply with the documented status, read tolerantly."""
        return self._read(reply, self.drift)

    def parse_strict(self, reply: Reply) -> T:
        """The same, refusing any difference from the spec."""
        return self._read(reply, STRICT)

    def _read(self, reply: Reply, drift: Drift) -> T:
        if self.model is None:
            return self.result(None)
        try:
            data = json.loads(reply.content)
            if data.__class__ is not dict:
                raise TypeError(f"expected a JSON object, got {type(data).__name__}")
            return self.result(self.model.from_reply(data, drift))
        # RecursionError: a reply nested thousands of levels deep, from the JSON decoder or the models.
        except (AttributeError, KeyError, TypeError, ValueError, RecursionError) as exc:
            raise APIResponseValidationError(
                f"{self.name}: the {reply.status_code} reply does not match the API schema "
                f"({type(exc).__name__}: {exc})",
                response=reply.response,
            ) from None


def _character(parsed: CharacterResponse) -> Character:
    return parsed.character


def _characters(parsed: CharacterListResponse) -> list[Character]:
    return parsed.characters


def _entity(parsed: EntityResponse) -> Entity:
    return parsed.entity


def _entities(parsed: EntityListResponse) -> list[Entity]:
    return parsed.entities


def _nothing(parsed: object) -> None:
    return None


def _same(parsed: T) -> T:
    return parsed


def _asset(parsed: AssetResponse) -> Asset:
    return parsed.asset


def _lineage(parsed: AssetLineageResponse) -> AssetLineage:
    return parsed.lineage


def _favorited(parsed: FavoriteAssetResponse) -> bool:
    return parsed.is_favorited


def _collection(parsed: CollectionResponse) -> Collection:
    return parsed.collection


def _collections(parsed: CollectionListResponse) -> list[Collection]:
    return parsed.collections


def _tag(parsed: TagResponse) -> Tag:
    return parsed.tag


def _tags(parsed: TagListResponse) -> list[Tag]:
    return parsed.tags


def _signed_url(parsed: SignedUrlResponse) -> str:
    return parsed.signed_url


# fal's operationId, the generated request builder, the success status, the reply's model, the result.
CREATE_CHARACTER = Operation(
    "createAssetCharacter", create_asset_character._get_kwargs, 201, CharacterResponse, _character
)
UPDATE_CHARACTER = Operation(
    "updateAssetCharacter", update_asset_character._get_kwargs, 200, CharacterResponse, _character
)
GET_CHARACTER = Operation(
    "getAssetCharacter", get_asset_character._get_kwargs, 200, CharacterResponse, _character
)
DELETE_CHARACTER = Operation("deleteAssetCharacter", delete_asset_character._get_kwargs, 204, None, _nothing)
FAVORITE_CHARACTER = Operation(
    "favoriteAssetCharacter", favorite_asset_character._get_kwargs, 200, CharacterResponse, _character
)
UNFAVORITE_CHARACTER = Operation(
    "unfavoriteAssetCharacter", unfavorite_asset_character._get_kwargs, 200, CharacterResponse, _character
)
LIST_CHARACTERS = Operation(
    "listAssetCharacters", list_asset_characters._get_kwargs, 200, CharacterListResponse, _characters
)


# Entities: characters, props, environments, styles and scenes.
LIST_ENTITIES = Operation(
    "listAssetEntities", list_asset_entities._get_kwargs, 200, EntityListResponse, _entities
)
CREATE_ENTITY = Operation("createAssetEntity", create_asset_entity._get_kwargs, 201, EntityResponse, _entity)
GET_ENTITY = Operation("getAssetEntity", get_asset_entity._get_kwargs, 200, EntityResponse, _entity)
UPDATE_ENTITY = Operation("updateAssetEntity", update_asset_entity._get_kwargs, 200, EntityResponse, _entity)
DELETE_ENTITY = Operation("deleteAssetEntity", delete_asset_entity._get_kwargs, 204, None, _nothing)


# Assets.
LIST_ASSETS: Operation[AssetListResponse] = Operation(
    "listAssets", list_assets._get_kwargs, 200, AssetListResponse, _same
)
GET_ASSET = Operation("getAsset", get_asset._get_kwargs, 200, AssetResponse, _asset)
GET_ASSET_LINEAGE = Operation(
    "getAssetLineage", get_asset_lineage._get_kwargs, 200, AssetLineageResponse, _lineage
)
FAVORITE_ASSET = Operation(
    "favoriteAsset", favorite_asset._get_kwargs, 200, FavoriteAssetResponse, _favorited
)
UNFAVORITE_ASSET = Operation(
    "unfavoriteAsset", unfavorite_asset._get_kwargs, 200, FavoriteAssetResponse, _favorited
)
UPLOAD_ASSET = Operation("uploadAsset", upload_asset._get_kwargs, 201, AssetResponse, _asset)
LIST_ASSET_TAGS_FOR_ASSET = Operation(
    "listAssetTagsForAsset", list_asset_tags_for_asset._get_kwargs, 200, TagListResponse, _tags
)
SET_ASSET_TAGS_FOR_ASSET = Operation(
    "setAssetTagsForAsset", set_asset_tags_for_asset._get_kwargs, 200, TagListResponse, _tags
)

# Collections.
LIST_COLLECTIONS = Operation(
    "listAssetCollections", list_asset_collections._get_kwargs, 200, CollectionListResponse, _collections
)
CREATE_COLLECTION = Operation(
    "createAssetCollection", create_asset_collection._get_kwargs, 201, CollectionResponse, _collection
)
GET_COLLECTION = Operation(
    "getAssetCollection", get_asset_collection._get_kwargs, 200, CollectionResponse, _collection
)
UPDATE_COLLECTION = Operation(
    "updateAssetCollection", update_asset_collection._get_kwargs, 200, CollectionResponse, _collection
)
DELETE_COLLECTION = Operation(
    "deleteAssetCollection", delete_asset_collection._get_kwargs, 204, None, _nothing
)
COLLECTION_HIERARCHY: Operation[CollectionHierarchyResponse] = Operation(
    "getAssetCollectionHierarchy",
    get_asset_collection_hierarchy._get_kwargs,
    200,
    CollectionHierarchyResponse,
    _same,
)
FAVORITE_COLLECTION = Operation(
    "favoriteAssetCollection", favorite_asset_collection._get_kwargs, 200, CollectionResponse, _collection
)
UNFAVORITE_COLLECTION = Operation(
    "unfavoriteAssetCollection", unfavorite_asset_collection._get_kwargs, 200, CollectionResponse, _collection
)
MOVE_COLLECTION = Operation(
    "moveAssetCollection", move_asset_collection._get_kwargs, 200, CollectionResponse, _collection
)
LIST_COLLECTION_ASSETS: Operation[AssetListResponse] = Operation(
    "listAssetCollectionAssets", list_asset_collection_assets._get_kwargs, 200, AssetListResponse, _same
)
ADD_TO_COLLECTION = Operation(
    "addAssetToCollection", add_asset_to_collection._get_kwargs, 200, SuccessResponse, _nothing
)
REMOVE_FROM_COLLECTION = Operation(
    "removeAssetFromCollection", remove_asset_from_collection._get_kwargs, 204, None, _nothing
)

# Tags.
LIST_TAGS = Operation("listAssetTags", list_asset_tags._get_kwargs, 200, TagListResponse, _tags)
CREATE_TAG = Operation("createAssetTag", create_asset_tag._get_kwargs, 201, TagResponse, _tag)
UPDATE_TAG = Operation("updateAssetTag", update_asset_tag._get_kwargs, 200, TagResponse, _tag)
DELETE_TAG = Operation("deleteAssetTag", delete_asset_tag._get_kwargs, 204, None, _nothing)
ASSIGN_TAG = Operation("assignAssetTag", assign_asset_tag._get_kwargs, 200, SuccessResponse, _nothing)
UNASSIGN_TAG = Operation("unassignAssetTag", unassign_asset_tag._get_kwargs, 204, None, _nothing)

# Storage (under the API's base URL, as fal's document says).
GET_FILE_ACL: Operation[FileAcl] = Operation(
    "getStorageFileAcl", get_storage_file_acl._get_kwargs, 200, FileAcl, _same
)
SET_FILE_ACL: Operation[FileAcl] = Operation(
    "setStorageFileAcl", set_storage_file_acl._get_kwargs, 200, FileAcl, _same
)
SIGN_FILE_URL = Operation(
    "signStorageFileUrl", sign_storage_file_url._get_kwargs, 200, SignedUrlResponse, _signed_url
)
GET_STORAGE_SETTINGS: Operation[StorageSettings] = Operation(
    "getStorageSettings", get_storage_settings._get_kwargs, 200, StorageSettings, _same
)
UPDATE_STORAGE_SETTINGS: Operation[StorageSettings] = Operation(
    "updateStorageSettings", update_storage_settings._get_kwargs, 200, StorageSettings, _same
)


# json.dumps with options builds an encoder per call; this one is made once.
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def api_spec(op: Operation[T], config: ClientConfig, arguments: dict[str, Any]) -> Spec[T]:
    """The engine's request for one call of `op`, carrying the API key for the API's origin."""
    built = op.build(**arguments)
    url = config.base_url + built["url"]
    if built.get("params"):
        try:
            url = str(httpx.URL(url, params=built["params"]))
        except httpx.InvalidURL as exc:
            # A query too long for a URL (httpx's limit): a local error, before anything is sent.
            raise ValidationError(f"{op.name}: cannot build the request URL: {exc}") from None
    headers = {name: str(value) for name, value in built.get("headers", {}).items()}
    content: bytes | None = None
    if "json" in built:
        content = _JSON.encode(built["json"]).encode()
        headers["Content-Type"] = "application/json"
    return Spec(
        op.name,
        built["method"].upper(),
        url,
        op.parse_strict if config.strict_response_validation else op.parse,
        credential=config.api_credential,
        headers=headers,
        content=content,
        success=op.success,
    )
