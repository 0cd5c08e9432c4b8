"""What fal's document says of each operation: method, path, documented success status,
reply model, the value a caller gets from the reply (what a one-field wrapper holds, else the
whole model), and the generated request builder; and each list operation's filters.

Written by scripts/generate from openapi.yaml: do not edit."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypedDict, TypeVar

from .api.assets import (
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
from .api.storage import (
    get_storage_file_acl,
    get_storage_settings,
    set_storage_file_acl,
    sign_storage_file_url,
    update_storage_settings,
)
from .models.asset import Asset
from .models.asset_lineage import AssetLineage
from .models.asset_lineage_response import AssetLineageResponse
from .models.asset_list_response import AssetListResponse
from .models.asset_response import AssetResponse
from .models.character import Character
from .models.character_list_response import CharacterListResponse
from .models.character_response import CharacterResponse
from .models.collection import Collection
from .models.collection_hierarchy_response import CollectionHierarchyResponse
from .models.collection_list_response import CollectionListResponse
from .models.collection_response import CollectionResponse
from .models.entity import Entity
from .models.entity_list_response import EntityListResponse
from .models.entity_response import EntityResponse
from .models.favorite_asset_response import FavoriteAssetResponse
from .models.file_acl import FileAcl
from .models.signed_url_response import SignedUrlResponse
from .models.storage_settings import StorageSettings
from .models.success_response import SuccessResponse
from .models.tag import Tag
from .models.tag_list_response import TagListResponse
from .models.tag_response import TagResponse

T = TypeVar("T")


@dataclass(frozen=True)
class Operation(Generic[T]):
    """One operation of fal's document. `build` takes the generated endpoint's arguments
    and returns the request (method, url path, params, json, headers); `unwrap` turns the
    parsed `reply` model into what the caller gets."""

    name: str
    method: str
    path: str
    success: int
    reply: type[Any] | None
    unwrap: Callable[[Any], T]
    build: Callable[..., dict[str, Any]]


def _whole(reply: T) -> T:
    return reply


def _no_body(reply: None) -> None:
    return None


def _asset_lineage_response(reply: AssetLineageResponse) -> AssetLineage:
    return reply.lineage


def _asset_response(reply: AssetResponse) -> Asset:
    return reply.asset


def _character_list_response(reply: CharacterListResponse) -> list[Character]:
    return reply.characters


def _character_response(reply: CharacterResponse) -> Character:
    return reply.character


def _collection_list_response(reply: CollectionListResponse) -> list[Collection]:
    return reply.collections


def _collection_response(reply: CollectionResponse) -> Collection:
    return reply.collection


def _entity_list_response(reply: EntityListResponse) -> list[Entity]:
    return reply.entities


def _entity_response(reply: EntityResponse) -> Entity:
    return reply.entity


def _favorite_asset_response(reply: FavoriteAssetResponse) -> bool:
    return reply.is_favorited


def _signed_url_response(reply: SignedUrlResponse) -> str:
    return reply.signed_url


def _success_response(reply: SuccessResponse) -> bool:
    return reply.success


def _tag_list_response(reply: TagListResponse) -> list[Tag]:
    return reply.tags


def _tag_response(reply: TagResponse) -> Tag:
    return reply.tag


LIST_ASSETS: Operation[AssetListResponse] = Operation(
    "listAssets", "GET", "/assets", 200, AssetListResponse, _whole, list_assets._get_kwargs
)

LIST_ASSET_CHARACTERS: Operation[list[Character]] = Operation(
    "listAssetCharacters",
    "GET",
    "/assets/characters",
    200,
    CharacterListResponse,
    _character_list_response,
    list_asset_characters._get_kwargs,
)

CREATE_ASSET_CHARACTER: Operation[Character] = Operation(
    "createAssetCharacter",
    "POST",
    "/assets/characters",
    201,
    CharacterResponse,
    _character_response,
    create_asset_character._get_kwargs,
)

GET_ASSET_CHARACTER: Operation[Character] = Operation(
    "getAssetCharacter",
    "GET",
    "/assets/characters/{character_id}",
    200,
    CharacterResponse,
    _character_response,
    get_asset_character._get_kwargs,
)

UPDATE_ASSET_CHARACTER: Operation[Character] = Operation(
    "updateAssetCharacter",
    "PATCH",
    "/assets/characters/{character_id}",
    200,
    CharacterResponse,
    _character_response,
    update_asset_character._get_kwargs,
)

DELETE_ASSET_CHARACTER: Operation[None] = Operation(
    "deleteAssetCharacter",
    "DELETE",
    "/assets/characters/{character_id}",
    204,
    None,
    _no_body,
    delete_asset_character._get_kwargs,
)

FAVORITE_ASSET_CHARACTER: Operation[Character] = Operation(
    "favoriteAssetCharacter",
    "POST",
    "/assets/characters/{character_id}/favorite",
    200,
    CharacterResponse,
    _character_response,
    favorite_asset_character._get_kwargs,
)

UNFAVORITE_ASSET_CHARACTER: Operation[Character] = Operation(
    "unfavoriteAssetCharacter",
    "POST",
    "/assets/characters/{character_id}/unfavorite",
    200,
    CharacterResponse,
    _character_response,
    unfavorite_asset_character._get_kwargs,
)

LIST_ASSET_COLLECTIONS: Operation[list[Collection]] = Operation(
    "listAssetCollections",
    "GET",
    "/assets/collections",
    200,
    CollectionListResponse,
    _collection_list_response,
    list_asset_collections._get_kwargs,
)

CREATE_ASSET_COLLECTION: Operation[Collection] = Operation(
    "createAssetCollection",
    "POST",
    "/assets/collections",
    201,
    CollectionResponse,
    _collection_response,
    create_asset_collection._get_kwargs,
)

GET_ASSET_COLLECTION: Operation[Collection] = Operation(
    "getAssetCollection",
    "GET",
    "/assets/collections/{collection_id}",
    200,
    CollectionResponse,
    _collection_response,
    get_asset_collection._get_kwargs,
)

UPDATE_ASSET_COLLECTION: Operation[Collection] = Operation(
    "updateAssetCollection",
    "PATCH",
    "/assets/collections/{collection_id}",
    200,
    CollectionResponse,
    _collection_response,
    update_asset_collection._get_kwargs,
)

DELETE_ASSET_COLLECTION: Operation[None] = Operation(
    "deleteAssetCollection",
    "DELETE",
    "/assets/collections/{collection_id}",
    204,
    None,
    _no_body,
    delete_asset_collection._get_kwargs,
)

LIST_ASSET_COLLECTION_ASSETS: Operation[AssetListResponse] = Operation(
    "listAssetCollectionAssets",
    "GET",
    "/assets/collections/{collection_id}/assets",
    200,
    AssetListResponse,
    _whole,
    list_asset_collection_assets._get_kwargs,
)

ADD_ASSET_TO_COLLECTION: Operation[bool] = Operation(
    "addAssetToCollection",
    "POST",
    "/assets/collections/{collection_id}/assets",
    200,
    SuccessResponse,
    _success_response,
    add_asset_to_collection._get_kwargs,
)

REMOVE_ASSET_FROM_COLLECTION: Operation[None] = Operation(
    "removeAssetFromCollection",
    "DELETE",
    "/assets/collections/{collection_id}/assets",
    204,
    None,
    _no_body,
    remove_asset_from_collection._get_kwargs,
)

FAVORITE_ASSET_COLLECTION: Operation[Collection] = Operation(
    "favoriteAssetCollection",
    "POST",
    "/assets/collections/{collection_id}/favorite",
    200,
    CollectionResponse,
    _collection_response,
    favorite_asset_collection._get_kwargs,
)

GET_ASSET_COLLECTION_HIERARCHY: Operation[CollectionHierarchyResponse] = Operation(
    "getAssetCollectionHierarchy",
    "GET",
    "/assets/collections/{collection_id}/hierarchy",
    200,
    CollectionHierarchyResponse,
    _whole,
    get_asset_collection_hierarchy._get_kwargs,
)

MOVE_ASSET_COLLECTION: Operation[Collection] = Operation(
    "moveAssetCollection",
    "POST",
    "/assets/collections/{collection_id}/move",
    200,
    CollectionResponse,
    _collection_response,
    move_asset_collection._get_kwargs,
)

UNFAVORITE_ASSET_COLLECTION: Operation[Collection] = Operation(
    "unfavoriteAssetCollection",
    "POST",
    "/assets/collections/{collection_id}/unfavorite",
    200,
    CollectionResponse,
    _collection_response,
    unfavorite_asset_collection._get_kwargs,
)

LIST_ASSET_ENTITIES: Operation[list[Entity]] = Operation(
    "listAssetEntities",
    "GET",
    "/assets/entities",
    200,
    EntityListResponse,
    _entity_list_response,
    list_asset_entities._get_kwargs,
)

CREATE_ASSET_ENTITY: Operation[Entity] = Operation(
    "createAssetEntity",
    "POST",
    "/assets/entities",
    201,
    EntityResponse,
    _entity_response,
    create_asset_entity._get_kwargs,
)

GET_ASSET_ENTITY: Operation[Entity] = Operation(
    "getAssetEntity",
    "GET",
    "/assets/entities/{entity_id}",
    200,
    EntityResponse,
    _entity_response,
    get_asset_entity._get_kwargs,
)

UPDATE_ASSET_ENTITY: Operation[Entity] = Operation(
    "updateAssetEntity",
    "PATCH",
    "/assets/entities/{entity_id}",
    200,
    EntityResponse,
    _entity_response,
    update_asset_entity._get_kwargs,
)

DELETE_ASSET_ENTITY: Operation[None] = Operation(
    "deleteAssetEntity", "DELETE", "/assets/entities/{entity_id}", 204, None, _no_body, delete_asset_entity._get_kwargs
)

FAVORITE_ASSET: Operation[bool] = Operation(
    "favoriteAsset",
    "POST",
    "/assets/favorite",
    200,
    FavoriteAssetResponse,
    _favorite_asset_response,
    favorite_asset._get_kwargs,
)

LIST_ASSET_TAGS: Operation[list[Tag]] = Operation(
    "listAssetTags", "GET", "/assets/tags", 200, TagListResponse, _tag_list_response, list_asset_tags._get_kwargs
)

CREATE_ASSET_TAG: Operation[Tag] = Operation(
    "createAssetTag", "POST", "/assets/tags", 201, TagResponse, _tag_response, create_asset_tag._get_kwargs
)

SET_ASSET_TAGS_FOR_ASSET: Operation[list[Tag]] = Operation(
    "setAssetTagsForAsset",
    "PUT",
    "/assets/tags",
    200,
    TagListResponse,
    _tag_list_response,
    set_asset_tags_for_asset._get_kwargs,
)

UPDATE_ASSET_TAG: Operation[Tag] = Operation(
    "updateAssetTag", "PATCH", "/assets/tags/{tag_id}", 200, TagResponse, _tag_response, update_asset_tag._get_kwargs
)

DELETE_ASSET_TAG: Operation[None] = Operation(
    "deleteAssetTag", "DELETE", "/assets/tags/{tag_id}", 204, None, _no_body, delete_asset_tag._get_kwargs
)

ASSIGN_ASSET_TAG: Operation[bool] = Operation(
    "assignAssetTag",
    "POST",
    "/assets/tags/{tag_id}/assign",
    200,
    SuccessResponse,
    _success_response,
    assign_asset_tag._get_kwargs,
)

UNASSIGN_ASSET_TAG: Operation[None] = Operation(
    "unassignAssetTag", "DELETE", "/assets/tags/{tag_id}/assign", 204, None, _no_body, unassign_asset_tag._get_kwargs
)

UNFAVORITE_ASSET: Operation[bool] = Operation(
    "unfavoriteAsset",
    "POST",
    "/assets/unfavorite",
    200,
    FavoriteAssetResponse,
    _favorite_asset_response,
    unfavorite_asset._get_kwargs,
)

UPLOAD_ASSET: Operation[Asset] = Operation(
    "uploadAsset", "POST", "/assets/uploads", 201, AssetResponse, _asset_response, upload_asset._get_kwargs
)

GET_ASSET: Operation[Asset] = Operation(
    "getAsset", "GET", "/assets/{asset_id}", 200, AssetResponse, _asset_response, get_asset._get_kwargs
)

GET_ASSET_LINEAGE: Operation[AssetLineage] = Operation(
    "getAssetLineage",
    "GET",
    "/assets/{asset_id}/lineage",
    200,
    AssetLineageResponse,
    _asset_lineage_response,
    get_asset_lineage._get_kwargs,
)

LIST_ASSET_TAGS_FOR_ASSET: Operation[list[Tag]] = Operation(
    "listAssetTagsForAsset",
    "GET",
    "/assets/{asset_id}/tags",
    200,
    TagListResponse,
    _tag_list_response,
    list_asset_tags_for_asset._get_kwargs,
)

GET_STORAGE_FILE_ACL: Operation[FileAcl] = Operation(
    "getStorageFileAcl", "GET", "/storage/files/acl", 200, FileAcl, _whole, get_storage_file_acl._get_kwargs
)

SET_STORAGE_FILE_ACL: Operation[FileAcl] = Operation(
    "setStorageFileAcl", "PUT", "/storage/files/acl", 200, FileAcl, _whole, set_storage_file_acl._get_kwargs
)

SIGN_STORAGE_FILE_URL: Operation[str] = Operation(
    "signStorageFileUrl",
    "POST",
    "/storage/files/sign",
    200,
    SignedUrlResponse,
    _signed_url_response,
    sign_storage_file_url._get_kwargs,
)

GET_STORAGE_SETTINGS: Operation[StorageSettings] = Operation(
    "getStorageSettings", "GET", "/storage/settings", 200, StorageSettings, _whole, get_storage_settings._get_kwargs
)

UPDATE_STORAGE_SETTINGS: Operation[StorageSettings] = Operation(
    "updateStorageSettings",
    "PUT",
    "/storage/settings",
    200,
    StorageSettings,
    _whole,
    update_storage_settings._get_kwargs,
)


OPERATIONS: Mapping[str, Operation[Any]] = {
    op.name: op
    for op in (
        LIST_ASSETS,
        LIST_ASSET_CHARACTERS,
        CREATE_ASSET_CHARACTER,
        GET_ASSET_CHARACTER,
        UPDATE_ASSET_CHARACTER,
        DELETE_ASSET_CHARACTER,
        FAVORITE_ASSET_CHARACTER,
        UNFAVORITE_ASSET_CHARACTER,
        LIST_ASSET_COLLECTIONS,
        CREATE_ASSET_COLLECTION,
        GET_ASSET_COLLECTION,
        UPDATE_ASSET_COLLECTION,
        DELETE_ASSET_COLLECTION,
        LIST_ASSET_COLLECTION_ASSETS,
        ADD_ASSET_TO_COLLECTION,
        REMOVE_ASSET_FROM_COLLECTION,
        FAVORITE_ASSET_COLLECTION,
        GET_ASSET_COLLECTION_HIERARCHY,
        MOVE_ASSET_COLLECTION,
        UNFAVORITE_ASSET_COLLECTION,
        LIST_ASSET_ENTITIES,
        CREATE_ASSET_ENTITY,
        GET_ASSET_ENTITY,
        UPDATE_ASSET_ENTITY,
        DELETE_ASSET_ENTITY,
        FAVORITE_ASSET,
        LIST_ASSET_TAGS,
        CREATE_ASSET_TAG,
        SET_ASSET_TAGS_FOR_ASSET,
        UPDATE_ASSET_TAG,
        DELETE_ASSET_TAG,
        ASSIGN_ASSET_TAG,
        UNASSIGN_ASSET_TAG,
        UNFAVORITE_ASSET,
        UPLOAD_ASSET,
        GET_ASSET,
        GET_ASSET_LINEAGE,
        LIST_ASSET_TAGS_FOR_ASSET,
        GET_STORAGE_FILE_ACL,
        SET_STORAGE_FILE_ACL,
        SIGN_STORAGE_FILE_URL,
        GET_STORAGE_SETTINGS,
        UPDATE_STORAGE_SETTINGS,
    )
}


class ListAssetsFilters(TypedDict, total=False):
    """`listAssets`'s filters: its query parameters but paging and search."""

    media_type: str | Sequence[str]
    source: str | Sequence[str]
    section: str
    collection_id: str
    character_identifier: str | Sequence[str]
    tag_id: str | Sequence[str]
    tag_mode: str


class ListAssetCollectionAssetsFilters(TypedDict, total=False):
    """`listAssetCollectionAssets`'s filters: its query parameters but paging and search."""

    media_type: str | Sequence[str]
    source: str | Sequence[str]
    section: str
    character_identifier: str | Sequence[str]
    tag_id: str | Sequence[str]
    tag_mode: str


class ListAssetEntitiesFilters(TypedDict, total=False):
    """`listAssetEntities`'s filters: its query parameters but paging and search."""

    types: str | Sequence[str]


# Each list operation's filters, by operationId.
FILTERS: Mapping[str, type[Mapping[str, Any]]] = {
    "listAssets": ListAssetsFilters,
    "listAssetCollectionAssets": ListAssetCollectionAssetsFilters,
    "listAssetEntities": ListAssetEntitiesFilters,
}
