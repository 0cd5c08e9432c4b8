"""The arguments of `client.collections` calls, checked and shaped for the generated request builders."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fal_assets_api.models.create_collection_request import CreateCollectionRequest
from fal_assets_api.models.move_collection_request import MoveCollectionRequest
from fal_assets_api.models.update_collection_request import UpdateCollectionRequest
from fal_assets_api.types import Unset

from .._core import spec as _spec
from .._core import validation as check
from .._errors import ValidationError
from . import _params as params

__all__ = ["create_body", "move_body", "offset_page", "update_body"]

NAME_LENGTH = _spec.bounds(_spec.property_schema("CreateCollectionRequest", "name"))
LIST_LIMIT = _spec.bounds(_spec.parameter_schema("listAssetCollections", "limit"))
LIST_OFFSET = _spec.bounds(_spec.parameter_schema("listAssetCollections", "offset"))
_TEXT = check.Bounds(0, None)


def _optional_fields(values: Mapping[str, object]) -> dict[str, Any]:
    """Nullable fields: None is sent as null, Unset is left out."""
    fields: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, Unset):
            continue
        if value is None:
            fields[name] = None
        elif name == "filters":
            if not isinstance(value, Mapping):
                raise ValidationError("filters must be a dict of listAssets filters", field="filters")
            fields[name] = dict(value)
        elif name == "cover_image_url":
            url = check.text(value, field=name, bounds=check.Bounds(1, None))
            if not url.startswith(("https://", "http://")):
                raise ValidationError("cover_image_url must be an http(s) URL", field=name)
            fields[name] = url
        else:
            fields[name] = check.text(value, field=name, bounds=_TEXT)
    return fields


def create_body(
    name: str, parent_collection_id: str | None, optional: Mapping[str, object]
) -> CreateCollectionRequest:
    fields: dict[str, Any] = {"name": check.text(name, field="name", bounds=NAME_LENGTH)}
    fields.update(_optional_fields(optional))
    if parent_collection_id is not None:
        fields["parent_collection_id"] = params.collection_id(parent_collection_id, "parent_collection_id")
    return CreateCollectionRequest.from_dict(fields)


def update_body(name: str | Unset, optional: Mapping[str, object]) -> UpdateCollectionRequest:
    fields = _optional_fields(optional)
    if not isinstance(name, Unset):
        fields["name"] = check.text(name, field="name", bounds=NAME_LENGTH)
    if not fields:
        raise ValidationError(
            "update() needs at least one of name, description, icon, color, cover_image_url or filters"
        )
    return UpdateCollectionRequest.from_dict(fields)


def move_body(parent_collection_id: str | None) -> MoveCollectionRequest:
    parent = (
        None
        if parent_collection_id is None
        else params.collection_id(parent_collection_id, "parent_collection_id")
    )
    return MoveCollectionRequest(parent_collection_id=parent)


def offset_page(limit: int, offset: int) -> dict[str, int]:
    return {
        "limit": check.integer(limit, field="limit", bounds=LIST_LIMIT),
        "offset": check.integer(offset, field="offset", bounds=LIST_OFFSET),
    }
