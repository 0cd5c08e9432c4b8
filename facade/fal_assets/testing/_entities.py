"""Entity operations: characters, props, environments, styles and scenes under /assets/entities.

fal's rules, from its document: the handle defaults from the name and is unique across every kind (a taken
one is a 409); characters require a description, their handle cannot be changed and their description
cannot be cleared; the cover must be one of the entity's reference images; `reference_images` replaces the
whole set. The entities live in the one store the character endpoints use (see `_state`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._core import spec as _spec
from ._common import Reply, json_reply
from ._request_checks import _MISSING, _check_cover, _check_references, _check_string, _Errors, _int_param

if TYPE_CHECKING:
    from ._handlers import Call, Handler, Services

_create = "CreateEntityRequest"
KINDS: tuple[str, ...] = tuple(_spec.property_schema(_create, "type")["enum"])
_NAME = _spec.bounds(_spec.property_schema(_create, "name"))
_HANDLE = _spec.bounds(_spec.property_schema(_create, "handle"))
_DESCRIPTION = _spec.bounds(_spec.property_schema(_create, "description"))
_LIMIT_SCHEMA = _spec.parameter_schema("listAssetEntities", "limit")
_LIMIT = _spec.bounds(_LIMIT_SCHEMA)


def _kinds(values: list[str] | None, errors: _Errors) -> list[str] | None:
    """`types`: repeated (`types=prop&types=style`, the schema's form) or comma-separated (fal's prose)."""
    if not values:
        return None
    kinds = [part.strip() for value in values for part in value.split(",") if part.strip()]
    for kind in kinds:
        if kind not in KINDS:
            errors.add("types", f"Input should be {', '.join(repr(k) for k in KINDS)}")
    return kinds


def list_entities(services: Services, call: Call) -> Reply:
    errors = _Errors()
    limit = _int_param(call.query, "limit", int(_LIMIT_SCHEMA["default"]), _LIMIT.min, _LIMIT.max, errors)
    offset = _int_param(call.query, "offset", 0, 0, None, errors)
    kinds = _kinds(call.query.get("types"), errors)
    errors.raise_if_any()
    store = services.library.characters
    return json_reply(200, {"entities": store.list_entities(kinds, limit, offset)})


def get_entity(services: Services, call: Call) -> Reply:
    store = services.library.characters
    return json_reply(200, {"entity": store.entity_view(store.entity(call.params["id"]))})


def _cover_among(cover: object, references: list[str], errors: _Errors) -> None:
    if isinstance(cover, str) and cover not in references:
        errors.add("cover_image_url", "must be one of the entity's reference images")


def create_entity(services: Services, call: Call) -> Reply:
    body, errors = call.body(), _Errors()
    kind = body.get("type", _MISSING)
    if kind is _MISSING:
        errors.add("type", "Field required")
    elif kind not in KINDS:
        errors.add("type", f"Input should be {', '.join(repr(k) for k in KINDS)}")
    name = _check_string(body, "name", errors, low=_NAME.min, high=_NAME.max or 0, required=True)
    handle = _check_string(body, "handle", errors, low=_HANDLE.min, high=_HANDLE.max or 0)
    description = _check_string(
        body, "description", errors, low=_DESCRIPTION.min, high=_DESCRIPTION.max or 0, nullable=True
    )
    if kind == "character" and description in (_MISSING, None):
        errors.add("description", "required and non-empty for characters")
    references = _check_references(body, errors, services.resolver, required=True)
    cover = _check_cover(body, errors, services.resolver)
    if isinstance(references, list):
        _cover_among(cover, references, errors)
    errors.raise_if_any()
    fields = {
        "name": name,
        "description": None if description is _MISSING else description,
        "reference_images": references,
        "cover_image_url": None if cover is _MISSING else cover,
    }
    store = services.library.characters
    return json_reply(201, {"entity": store.create_entity(str(kind), fields, handle)})


def update_entity(services: Services, call: Call) -> Reply:
    store = services.library.characters
    item = store.entity(call.params["id"])
    body, errors = call.body(), _Errors()
    fields: dict[str, Any] = {}
    name = _check_string(body, "name", errors, low=_NAME.min, high=_NAME.max or 0)
    handle = _check_string(body, "handle", errors, low=_HANDLE.min, high=_HANDLE.max or 0)
    description = _check_string(
        body, "description", errors, low=_DESCRIPTION.min, high=_DESCRIPTION.max or 0, nullable=True
    )
    references = _check_references(body, errors, services.resolver, required=False)
    cover = _check_cover(body, errors, services.resolver)
    if item.kind == "character":
        if isinstance(handle, str) and handle.casefold() != item.handle.casefold():
            errors.add("handle", "character handles cannot be changed")
        if description is None:
            errors.add("description", "character descriptions cannot be cleared")
    current = item.data.get("reference_images") or []
    _cover_among(cover, references if isinstance(references, list) else current, errors)
    if isinstance(references, list) and cover is _MISSING:
        old_cover = item.data.get("cover_image_url")
        if old_cover is not None and old_cover not in references:
            fields["cover_image_url"] = None  # the explicit cover left the set with its image
    errors.raise_if_any()
    for key, value in (("name", name), ("description", description), ("reference_images", references)):
        if value is not _MISSING:
            fields[key] = value
    if cover is not _MISSING:
        fields["cover_image_url"] = cover
    new_handle = handle if isinstance(handle, str) and item.kind != "character" else None
    return json_reply(200, {"entity": store.update_entity(item.data["id"], fields, new_handle)})


def delete_entity(services: Services, call: Call) -> Reply:
    services.library.characters.delete_entity(call.params["id"])
    return Reply(204, [], b"")


HANDLERS: dict[str, Handler] = {
    "listAssetEntities": list_entities,
    "createAssetEntity": create_entity,
    "getAssetEntity": get_entity,
    "updateAssetEntity": update_entity,
    "deleteAssetEntity": delete_entity,
}
