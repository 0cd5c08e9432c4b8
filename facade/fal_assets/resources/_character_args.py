"""The arguments of `client.characters` writes, checked locally and shaped for the generated request
builders; shared by the sync and async resources.

`reference_images` may hold `Asset` objects (for example search results): they become their `vector_id`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeAlias

from fal_assets_api.models.asset import Asset
from fal_assets_api.models.create_character_request import CreateCharacterRequest
from fal_assets_api.models.update_character_request import UpdateCharacterRequest
from fal_assets_api.types import UNSET, Unset

from .._config import ClientConfig
from .._core import validation as check
from .._core.attempt import WriteOptions
from .._core.lifecycle import Lifecycle
from .._errors import ValidationError
from .._uploads.references import ImageInput, ImagePlan, ReferenceInput, plan_images
from ._params import write_key

if TYPE_CHECKING:
    from .._uploads import ResolvedImages

__all__ = [
    "KEEP_FOREVER",
    "NO_IMAGES",
    "References",
    "create_arguments",
    "page",
    "prepare_create",
    "prepare_update",
    "update_arguments",
]

# Reference images: IDs, fal URLs, local paths, bytes, file objects, a folder, or library `Asset`s.
References: TypeAlias = ReferenceInput | Sequence[ImageInput | Asset] | Asset

# Character references are uploaded to never expire: a character's images must not vanish under an
# account-level expiry. `lifecycle=Lifecycle()` opts out (the account's default applies).
KEEP_FOREVER = Lifecycle(expires_in="never")
# The plan of an update that changes no image: nothing to resolve either.
NO_IMAGES = ImagePlan()


def asset_ids(value: References | Unset) -> ReferenceInput | Unset:
    """`Asset` objects among the references become their vector IDs."""
    if isinstance(value, Asset):
        return [_asset_reference(value)]
    if isinstance(value, Unset | str | bytes | bytearray | memoryview | os.PathLike) or hasattr(
        value, "read"
    ):
        return value  # type: ignore[return-value]
    if isinstance(value, Iterable):
        return [_asset_reference(item) if isinstance(item, Asset) else item for item in value]
    return value


def _asset_reference(asset: Asset) -> str:
    """What fal takes as a reference to an existing asset: its vector ID, else its request ID."""
    reference = asset.vector_id or asset.request_id
    if not reference:
        raise ValidationError(
            f"asset {asset.asset_id!r} has neither a vector_id nor a request_id to reference it by",
            field="reference_images",
        )
    return reference


class Prepared(NamedTuple):
    """A write checked locally, waiting for its images to be resolved (a NamedTuple: one per call)."""

    character_id: str | None
    fields: dict[str, Any]
    images: ImagePlan
    idempotency_key: str


def prepare_create(
    config: ClientConfig,
    options: WriteOptions,
    *,
    name: str,
    description: str,
    reference_images: References,
    identifier: str | None,
    cover_image: ImageInput | None,
    allow_external_urls: bool,
) -> Prepared:
    fields: dict[str, Any] = {
        "name": check.text(name, field="name", bounds=check.NAME_LENGTH),
        "description": check.text(description, field="description", bounds=check.DESCRIPTION_LENGTH),
    }
    if identifier is not None:
        fields["identifier"] = check.text(identifier, field="identifier", bounds=check.IDENTIFIER_LENGTH)
    images = plan_images(
        reference_images=asset_ids(reference_images),
        cover_image=UNSET if cover_image is None else cover_image,
        fal_hosts=config.fal_hosts,
        allow_external_urls=allow_external_urls,
    )
    return Prepared(None, fields, images, write_key(options))


def prepare_update(
    config: ClientConfig,
    options: WriteOptions,
    character_id: str,
    *,
    name: str | Unset,
    description: str | Unset,
    reference_images: References | Unset,
    cover_image: ImageInput | None | Unset,
    allow_external_urls: bool,
) -> Prepared:
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
    if isinstance(reference_images, Unset) and isinstance(cover_image, Unset):
        images = NO_IMAGES  # a rename or a new description: nothing to plan
    else:
        images = plan_images(
            reference_images=asset_ids(reference_images),
            cover_image=cover_image,
            fal_hosts=config.fal_hosts,
            allow_external_urls=allow_external_urls,
        )
    return Prepared(cid, fields, images, write_key(options))


def create_arguments(prepared: Prepared, images: ResolvedImages) -> dict[str, Any]:
    assert not isinstance(images.references, Unset)
    body = CreateCharacterRequest(
        name=prepared.fields["name"],
        description=prepared.fields["description"],
        reference_images=images.references,
        identifier=prepared.fields.get("identifier", UNSET),
        cover_image_url=images.cover,
    )
    return {"body": body, "idempotency_key": prepared.idempotency_key}


def update_arguments(prepared: Prepared, images: ResolvedImages | None) -> dict[str, Any]:
    """`images` None: the update changes no image (its plan was `NO_IMAGES`)."""
    body = UpdateCharacterRequest(
        name=prepared.fields.get("name", UNSET),
        description=prepared.fields.get("description", UNSET),
        reference_images=UNSET if images is None else images.references,
        cover_image_url=UNSET if images is None else images.cover,
    )
    return {"character_id": prepared.character_id, "body": body, "idempotency_key": prepared.idempotency_key}


def page(limit: int, offset: int) -> dict[str, Any]:
    return {
        "limit": check.integer(limit, field="limit", bounds=check.LIST_LIMIT),
        "offset": check.integer(offset, field="offset", bounds=check.LIST_OFFSET),
    }
