"""Arguments shared by the library resources (assets, collections, tags), checked before anything is sent:
ids, `ref` (exactly one of `asset_id=`, `request_id=`, `vector_id=`), fal's list filters, and the
Idempotency-Key of writes. Every limit and allowed value comes from the packaged spec (`_spec`).
"""

from __future__ import annotations

import enum
import functools
import typing
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from fal_assets_api import operations as ops
from fal_assets_api.models.asset_reference import AssetReference

from .._core import spec as _spec
from .._core import validation as check
from .._core.attempt import RequestOptions, WriteOptions
from .._errors import ValidationError

__all__ = [
    "AssetFilters",
    "CollectionAssetFilters",
    "asset_id",
    "asset_ref",
    "collection_id",
    "filters_query",
    "ref_fields",
    "tag_id",
    "tag_ids",
    "write_key",
]

ASSET_ID_LENGTH = _spec.bounds(_spec.parameter_schema("getAsset", "asset_id"))
COLLECTION_ID_LENGTH = _spec.bounds(_spec.parameter_schema("getAssetCollection", "collection_id"))
TAG_ID_LENGTH = _spec.bounds(_spec.parameter_schema("updateAssetTag", "tag_id"))
REF_KEYS = ("asset_id", "request_id", "vector_id")
REF_LENGTH = {key: _spec.bounds(_spec.property_schema("AssetReference", key)) for key in REF_KEYS}
PAGE_LIMIT = _spec.bounds(_spec.parameter_schema("listAssets", "limit"))
_OPTION_NAMES = frozenset(WriteOptions.__optional_keys__)


class AssetFilters(ops.ListAssetsFilters, RequestOptions, total=False):
    """fal's `listAssets` filters under fal's names (array filters take a string or a list), plus the
    per-call options."""


class CollectionAssetFilters(ops.ListAssetCollectionAssetsFilters, RequestOptions, total=False):
    """fal's `listAssetCollectionAssets` filters (those of `listAssets` but `collection_id`), plus the
    per-call options."""


def write_key(options: WriteOptions) -> str:
    """The write's Idempotency-Key (checked, or a new UUID); the remaining options are the budget's."""
    key = options.pop("idempotency_key", None)
    return str(uuid.uuid4()) if key is None else check.idempotency_key(key)


def asset_id(value: object) -> str:
    return check.path_id(value, field="asset_id", bounds=ASSET_ID_LENGTH)


def collection_id(value: object, field: str = "collection_id") -> str:
    return check.path_id(value, field=field, bounds=COLLECTION_ID_LENGTH)


def tag_id(value: object) -> str:
    return check.path_id(value, field="tag_id", bounds=TAG_ID_LENGTH)


def ref_fields(ref: Mapping[str, object]) -> dict[str, str]:
    """`ref`: exactly one of asset_id=, request_id=, vector_id= (a non-empty string)."""
    unknown = sorted(set(ref) - set(REF_KEYS))
    if unknown:
        raise TypeError(f"unexpected keyword argument(s): {', '.join(unknown)}")
    given = {key: value for key, value in ref.items() if value is not None}
    if len(given) != 1:
        raise ValidationError(
            f"pass exactly one of asset_id=, request_id= or vector_id= (got {len(given)})", field="ref"
        )
    [(key, value)] = given.items()
    return {key: check.text(value, field=key, bounds=REF_LENGTH[key])}


def asset_ref(ref: Mapping[str, object]) -> AssetReference:
    return AssetReference.from_dict(ref_fields(ref))


def string_list(value: object, *, field: str) -> list[str]:
    """A string, or a list (any sequence) of strings."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, Sequence) or isinstance(items, bytes | bytearray):
        raise ValidationError(f"{field} must be a string or a list of strings", field=field)
    for index, item in enumerate(items):
        check.text(item, field=f"{field}[{index}]", bounds=check.Bounds(1, None))
    return list(items)


def tag_ids(value: object, *, field: str = "tag_ids") -> list[str]:
    """A list of tag ids (a single id is accepted); may be empty."""
    if isinstance(value, str):
        return [tag_id(value)]
    if not isinstance(value, Sequence) or isinstance(value, bytes | bytearray):
        raise ValidationError(f"{field} must be a list of tag ids", field=field)
    return [
        check.path_id(item, field=f"{field}[{index}]", bounds=TAG_ID_LENGTH)
        for index, item in enumerate(value)
    ]


def _enum(operation: str, name: str) -> tuple[str, ...] | None:
    schema = _spec.parameter_schema(operation, name)
    found = schema.get("items", schema).get("enum")
    return None if found is None else tuple(found)


@functools.cache
def _filter_enums(operation: str) -> Mapping[str, type[enum.Enum] | None]:
    """Each filter of `operation` (the generated FILTERS), with the enum its generated request builder takes
    it as (None: a plain string), read from the builder's annotations."""
    hints = typing.get_type_hints(ops.OPERATIONS[operation].build)
    return {name: _enum_in(hints[name]) for name in typing.get_type_hints(ops.FILTERS[operation])}


def _enum_in(annotation: object) -> type[enum.Enum] | None:
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return annotation
    for argument in typing.get_args(annotation):
        found = _enum_in(argument)
        if found is not None:
            return found
    return None


def filters_query(operation: str, filters: Mapping[str, Any]) -> tuple[dict[str, Any], RequestOptions]:
    """Split `**filters` into the operation's query arguments (checked against the spec, as its generated
    request builder takes them) and the per-call options."""
    enums = _filter_enums(operation)
    options: dict[str, Any] = {}
    query: dict[str, Any] = {}
    for name, value in filters.items():
        if name in _OPTION_NAMES:
            options[name] = value
            continue
        if name not in enums:
            raise TypeError(f"unexpected keyword argument: {name}")
        enum_type = enums[name]
        allowed = _enum(operation, name)
        schema = _spec.parameter_schema(operation, name)
        if "array" in schema.get("type", ()):
            items = string_list(value, field=name)
            for index, item in enumerate(items):
                _allowed(item, allowed, f"{name}[{index}]")
            query[name] = [enum_type(item) for item in items] if enum_type is not None else items
        else:
            text = check.text(value, field=name, bounds=check.Bounds(1, None))
            _allowed(text, allowed, name)
            query[name] = enum_type(text) if enum_type is not None else text
    typed: RequestOptions = options  # type: ignore[assignment]
    return query, typed


def _allowed(value: str, allowed: tuple[str, ...] | None, field: str) -> None:
    if allowed is not None and value not in allowed:
        raise ValidationError(f"{field} must be one of {', '.join(allowed)}, got {value!r:.60}", field=field)


def page_limit(value: object, field: str = "limit") -> int:
    return check.integer(value, field=field, bounds=PAGE_LIMIT)
