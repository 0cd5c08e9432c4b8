"""The arguments of `client.entities` calls, checked locally against fal's rules and shaped for the
generated request builders; shared by the sync and async resources.

fal's rules, checked before anything is sent (each a `ValidationError`): the spec's limits (name, handle,
description, 1 to 20 references, list paging); `type` one of fal's kinds; a description for a `character`;
the cover one of the references when both are given. Images go through the same resolution rules and
upload engine as `client.characters` (see `_character_args`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from fal_assets_api.models.create_entity_request import CreateEntityRequest
from fal_assets_api.models.create_entity_request_type import CreateEntityRequestType
from fal_assets_api.models.list_asset_entities_types_type_0_item import ListAssetEntitiesTypesType0Item
from fal_assets_api.models.update_entity_request import UpdateEntityRequest
from fal_assets_api.types import UNSET, Unset

from .._config import ClientConfig
from .._core import spec as _spec
from .._core import validation as check
from .._core.attempt import WriteOptions
from .._errors import ValidationError
from .._uploads.inputs import FileObject, ImagePlan, LocalFile, MemoryBytes, PassThrough, PlannedImage
from .._uploads.references import ImageInput, plan_images
from ._character_args import NO_IMAGES, References, asset_ids
from ._params import write_key

if TYPE_CHECKING:
    from .._uploads import ResolvedImages

__all__ = [
    "KINDS",
    "create_arguments",
    "entity_id",
    "page",
    "prepare_create",
    "prepare_update",
    "update_arguments",
]

_create = "CreateEntityRequest"
# fal's kinds, in fal's order: character, prop, environment, style, scene.
KINDS: tuple[str, ...] = tuple(_spec.property_schema(_create, "type")["enum"])
NAME_LENGTH = _spec.bounds(_spec.property_schema(_create, "name"))
HANDLE_LENGTH = _spec.bounds(_spec.property_schema(_create, "handle"))
DESCRIPTION_LENGTH = _spec.bounds(_spec.property_schema(_create, "description"))
ENTITY_ID_LENGTH = _spec.bounds(_spec.parameter_schema("getAssetEntity", "entity_id"))
LIST_LIMIT = _spec.bounds(_spec.parameter_schema("listAssetEntities", "limit"))
LIST_OFFSET = _spec.bounds(_spec.parameter_schema("listAssetEntities", "offset"))
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def entity_id(value: object) -> str:
    return check.path_id(value, field="entity_id", bounds=ENTITY_ID_LENGTH)


def kind(value: object, *, field: str = "type") -> str:
    if not isinstance(value, str) or value not in KINDS:
        raise ValidationError(f"{field} must be one of {', '.join(KINDS)}, got {value!r}", field=field)
    return value


def kinds(types: str | Iterable[str] | None) -> list[ListAssetEntitiesTypesType0Item] | Unset:
    """`types`: one kind or several; None lists every kind."""
    if types is None:
        return UNSET
    chosen = [types] if isinstance(types, str) else list(types)
    if not chosen:
        raise ValidationError("types is empty; pass None (the default) to list every kind", field="types")
    return [ListAssetEntitiesTypesType0Item(kind(t, field="types")) for t in dict.fromkeys(chosen)]


def page(limit: int, offset: int) -> dict[str, Any]:
    return {
        "limit": check.integer(limit, field="limit", bounds=LIST_LIMIT),
        "offset": check.integer(offset, field="offset", bounds=LIST_OFFSET),
    }


def _handle(value: object) -> str:
    handle = check.text(value, field="handle", bounds=HANDLE_LENGTH)
    if handle.startswith("@"):
        raise ValidationError(
            f"handle {handle!r}: give it without the leading @ (fal adds it when mentioning)", field="handle"
        )
    return handle


def _description(value: object, *, nullable: bool) -> str | None:
    if value is None and nullable:
        return None
    return check.text(value, field="description", bounds=DESCRIPTION_LENGTH)


def _same_image(a: PlannedImage, b: PlannedImage) -> bool:
    """Whether two classified images certainly become the same URL (uploads are made once per content)."""
    if isinstance(a, PassThrough) or isinstance(b, PassThrough):
        return isinstance(a, PassThrough) and isinstance(b, PassThrough) and a.value == b.value
    if a.input is b.input:
        return True
    if isinstance(a, LocalFile) and isinstance(b, LocalFile):
        if os.path.realpath(a.path) == os.path.realpath(b.path):
            return True
        if a.size != b.size:
            return False
        with open(a.path, "rb") as first, open(b.path, "rb") as second:
            return first.read() == second.read()
    if isinstance(a, MemoryBytes) and isinstance(b, MemoryBytes):
        return a.data == b.data
    return False


def _cover_among_references(images: ImagePlan) -> None:
    """fal: the cover must be one of the entity's reference images. Checked when both are given; a URL
    cover beside references given as IDs is left to fal (an ID resolves to a URL only there)."""
    references, cover = images.references, images.cover
    if isinstance(references, Unset) or cover is None or isinstance(cover, Unset):
        return
    if any(_same_image(cover, reference) for reference in references):
        return
    ids = [r for r in references if isinstance(r, PassThrough) and not _URL.match(r.value)]
    if isinstance(cover, PassThrough) and ids:
        return
    what = "a file object" if isinstance(cover, FileObject) else "not"
    raise ValidationError(
        f"cover_image is {what} one of reference_images; fal requires the cover to be one of the "
        "entity's reference images (pass the same file, bytes, object or URL in both)",
        field="cover_image",
    )


class Prepared(NamedTuple):
    """A write checked locally, waiting for its images to be resolved."""

    entity_id: str | None
    fields: dict[str, Any]
    images: ImagePlan
    idempotency_key: str


def prepare_create(
    config: ClientConfig,
    options: WriteOptions,
    *,
    type: str,
    name: str,
    reference_images: References,
    handle: str | None,
    description: str | None,
    cover_image: ImageInput | None,
    allow_external_urls: bool,
) -> Prepared:
    fields: dict[str, Any] = {"type": kind(type), "name": check.text(name, field="name", bounds=NAME_LENGTH)}
    if handle is not None:
        fields["handle"] = _handle(handle)
    if description is not None:
        fields["description"] = _description(description, nullable=False)
    elif fields["type"] == "character":
        raise ValidationError("description is required for a character (fal)", field="description")
    images = plan_images(
        reference_images=asset_ids(reference_images),
        cover_image=UNSET if cover_image is None else cover_image,
        fal_hosts=config.fal_hosts,
        allow_external_urls=allow_external_urls,
    )
    _cover_among_references(images)
    return Prepared(None, fields, images, write_key(options))


def prepare_update(
    config: ClientConfig,
    options: WriteOptions,
    entity: str,
    *,
    name: str | Unset,
    handle: str | Unset,
    description: str | None | Unset,
    reference_images: References | Unset,
    cover_image: ImageInput | None | Unset,
    allow_external_urls: bool,
) -> Prepared:
    eid = entity_id(entity)
    fields: dict[str, Any] = {}
    if not isinstance(name, Unset):
        fields["name"] = check.text(name, field="name", bounds=NAME_LENGTH)
    if not isinstance(handle, Unset):
        fields["handle"] = _handle(handle)
    if not isinstance(description, Unset):
        fields["description"] = _description(description, nullable=True)
    if not fields and isinstance(reference_images, Unset) and isinstance(cover_image, Unset):
        raise ValidationError(
            "update() needs at least one of name, handle, description, reference_images or cover_image "
            "(description=None and cover_image=None clear them)"
        )
    if isinstance(reference_images, Unset) and isinstance(cover_image, Unset):
        images = NO_IMAGES
    else:
        images = plan_images(
            reference_images=asset_ids(reference_images),
            cover_image=cover_image,
            fal_hosts=config.fal_hosts,
            allow_external_urls=allow_external_urls,
        )
        _cover_among_references(images)
    return Prepared(eid, fields, images, write_key(options))


def create_arguments(prepared: Prepared, images: ResolvedImages) -> dict[str, Any]:
    assert not isinstance(images.references, Unset)
    fields = prepared.fields
    body = CreateEntityRequest(
        type_=CreateEntityRequestType(fields["type"]),
        name=fields["name"],
        reference_images=images.references,
        handle=fields.get("handle", UNSET),
        description=fields.get("description", UNSET),
        cover_image_url=images.cover,
    )
    return {"body": body, "idempotency_key": prepared.idempotency_key}


def update_arguments(prepared: Prepared, images: ResolvedImages | None) -> dict[str, Any]:
    """`images` None: the update changes no image (its plan was `NO_IMAGES`)."""
    fields = prepared.fields
    body = UpdateEntityRequest(
        name=fields.get("name", UNSET),
        handle=fields.get("handle", UNSET),
        description=fields.get("description", UNSET),
        reference_images=UNSET if images is None else images.references,
        cover_image_url=UNSET if images is None else images.cover,
    )
    return {"entity_id": prepared.entity_id, "body": body, "idempotency_key": prepared.idempotency_key}
