"""fal's API operations as the facade uses them: one declaration each, over the generated client.

The generated package builds each request (`_get_kwargs`: method, path, query, JSON body, headers) and
provides the models; the engine sends it. A reply is parsed with the operation's model and then checked
against the model's declared field types (the generated `from_dict` casts without checking), so a reply
that breaks the spec is an `APIResponseValidationError`, never a wrongly typed object.

This table is the only place that names generated API functions.
"""

from __future__ import annotations

import functools
import json
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import attrs
import httpx
from fal_assets_api.api.assets import (
    add_asset_to_collection,
    assign_asset_tag,
    create_asset_character,
    create_asset_collection,
    create_asset_tag,
    delete_asset_character,
    delete_asset_collection,
    delete_asset_tag,
    favorite_asset,
    favorite_asset_character,
    favorite_asset_collection,
    get_asset,
    get_asset_character,
    get_asset_collection,
    get_asset_collection_hierarchy,
    get_asset_lineage,
    list_asset_characters,
    list_asset_collection_assets,
    list_asset_collections,
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
from fal_assets_api.models.favorite_asset_response import FavoriteAssetResponse
from fal_assets_api.models.file_acl import FileAcl
from fal_assets_api.models.signed_url_response import SignedUrlResponse
from fal_assets_api.models.storage_settings import StorageSettings
from fal_assets_api.models.success_response import SuccessResponse
from fal_assets_api.models.tag import Tag
from fal_assets_api.models.tag_list_response import TagListResponse
from fal_assets_api.models.tag_response import TagResponse

from ._config import ClientConfig
from ._engine import Spec
from ._errors import APIResponseValidationError
from ._transport import Reply

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

    def parse(self, reply: Reply) -> T:
        """The caller's result from a reply with the documented status, checked against the model."""
        if self.model is None:
            return self.result(None)
        try:
            data = json.loads(reply.content)
            if not isinstance(data, dict):
                raise TypeError(f"expected a JSON object, got {type(data).__name__}")
            parsed = self.model.from_dict(data)
            check_types(parsed)
            return self.result(parsed)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise APIResponseValidationError(
                f"{self.name}: the {reply.status_code} reply does not match the API schema "
                f"({type(exc).__name__}: {exc})",
                response=reply.response,
            ) from None


def _character(parsed: CharacterResponse) -> Character:
    return parsed.character


def _characters(parsed: CharacterListResponse) -> list[Character]:
    return parsed.characters


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
        url = str(httpx.URL(url, params=built["params"]))
    headers = {name: str(value) for name, value in built.get("headers", {}).items()}
    content: bytes | None = None
    if "json" in built:
        content = _JSON.encode(built["json"]).encode()
        headers["Content-Type"] = "application/json"
    return Spec(
        op.name,
        built["method"].upper(),
        url,
        op.parse,
        credential=config.api_credential,
        headers=headers,
        content=content,
        success=op.success,
    )


def check_types(model: Any) -> None:
    """Raise TypeError when a generated model's field does not hold its declared type."""
    cls: Any = type(model)
    _checker(cls)(model, "")


# Where a value sits in the reply ("" for the reply itself), for error messages only: paths are joined when
# a nested value is checked or a check fails, never per field.
Checker = Callable[[object, str], None]
# A plain check: isinstance against these types; the flag refuses bool where a number is expected (JSON
# true is not 1).
Types = tuple[tuple[type, ...], bool]
# What a declared type compiles to: a plain check, a checker (models, lists, unions holding them), or None
# (anything goes).
Check = Types | Checker | None


class _ModelNames(dict[str, Any]):
    """Generated models import each other only for type checking; the models package names them all, and
    loads each on first use (so this resolves a name by asking for it, not by listing the package)."""

    def __missing__(self, name: str) -> Any:
        from fal_assets_api import models

        try:
            value = getattr(models, name)
        except AttributeError:
            raise KeyError(name) from None
        self[name] = value
        return value


@functools.cache
def _checker(cls: type[Any]) -> Checker:
    """A checker for one generated model class, planned once from its type hints: each reply then costs a
    getattr and an isinstance per field."""
    hints = typing.get_type_hints(cls, localns=_ModelNames())
    plan: list[tuple[str, tuple[type, ...], bool, Checker | None]] = []
    for field in attrs.fields(cls):
        check = _compile(hints[field.name])
        if check is None:
            continue
        if isinstance(check, tuple):
            plan.append((field.name, check[0], check[1], None))
        else:
            plan.append((field.name, (), False, check))

    def check_model(value: object, path: str) -> None:
        if not isinstance(value, cls):
            raise TypeError(f"{path or 'reply'}: expected {cls.__name__}, got {type(value).__name__}")
        for name, types_, refuse_bool, nested in plan:
            field_value = getattr(value, name)
            if nested is not None:
                nested(field_value, _join(path, name))
            elif not isinstance(field_value, types_) or (refuse_bool and type(field_value) is bool):
                raise TypeError(_mismatch(_join(path, name), types_, field_value))

    return check_model


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _mismatch(path: str, types_: tuple[type, ...], value: object) -> str:
    names = " or ".join(t.__name__ for t in types_)
    return f"{path}: expected {names}, got {type(value).__name__}"


def _compile(hint: Any) -> Check:
    origin = typing.get_origin(hint)
    if hint is Any:
        return None
    if origin is dict:
        # Free-form objects (`additional_properties`): a dict is all the spec promises.
        return _types(dict)
    if origin is typing.Union or origin is types.UnionType:
        return _union(hint, [_compile(option) for option in typing.get_args(hint)])
    if origin is list:
        (item_hint,) = typing.get_args(hint)
        return _list(_compile(item_hint))
    if isinstance(hint, type) and attrs.has(hint):
        return _checker(hint)
    if hint is float:
        return _types(int, float)
    return _types(hint)


def _types(*types_: type) -> Types:
    """isinstance, where a bool is not a number unless bool itself is allowed."""
    return types_, bool not in types_ and any(t in (int, float) for t in types_)


def _union(hint: Any, options: list[Check]) -> Check:
    if any(option is None for option in options):
        return None
    # The plain options are one isinstance; the others (models, lists) are tried after it, in order.
    plain = _types(*(t for option in options if isinstance(option, tuple) for t in option[0]))
    others = [option for option in options if option is not None and not isinstance(option, tuple)]
    if not others:
        return plain
    types_, refuse_bool = plain

    def one_of(value: object, path: str) -> None:
        if isinstance(value, types_) and not (refuse_bool and type(value) is bool):
            return
        for option in others:
            try:
                option(value, path)
                return
            except TypeError:
                continue
        raise TypeError(f"{path}: {value!r:.80} is none of {hint}")

    return one_of


def _list(item: Check) -> Checker:
    if item is None:
        return _list_of_anything
    if isinstance(item, tuple):
        types_, refuse_bool = item

        def each_plain(value: object, path: str) -> None:
            if not isinstance(value, list):
                raise TypeError(f"{path}: expected a list, got {type(value).__name__}")
            for index, element in enumerate(value):
                if not isinstance(element, types_) or (refuse_bool and type(element) is bool):
                    raise TypeError(_mismatch(f"{path}[{index}]", types_, element))

        return each_plain

    def each(value: object, path: str) -> None:
        if not isinstance(value, list):
            raise TypeError(f"{path}: expected a list, got {type(value).__name__}")
        for index, element in enumerate(value):
            item(element, f"{path}[{index}]")

    return each


def _list_of_anything(value: object, path: str) -> None:
    if not isinstance(value, list):
        raise TypeError(f"{path}: expected a list, got {type(value).__name__}")
