"""The arguments of `client.assets` calls, checked and shaped for the generated request builders, shared by
the sync and async resources (which differ only in `await`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fal_assets_api.models.set_asset_tags_request import SetAssetTagsRequest
from fal_assets_api.models.upload_asset_request import UploadAssetRequest

from .._config import ClientConfig
from .._core import spec as _spec
from .._core import validation as check
from .._core.attempt import RequestOptions, WriteOptions
from .._errors import ValidationError
from .._uploads.inputs import ImageInput, ImagePlan, PassThrough, PlannedImage
from .._uploads.media import media_type
from .._uploads.references import plan_media
from . import _params as params

__all__ = ["AssetRef", "Search", "Upload", "list_args", "prepare_search", "prepare_upload", "set_tags_args"]

MEDIA_TYPES: tuple[str, ...] = tuple(_spec.property_schema("UploadAssetRequest", "type")["enum"])
PROMPT_LENGTH = _spec.bounds(_spec.property_schema("UploadAssetRequest", "prompt"))
ANY_TEXT = check.Bounds(1, None)


class AssetRef(WriteOptions, total=False):
    """`ref` (exactly one of them) and a write's per-call options."""

    asset_id: str
    request_id: str
    vector_id: str


def split_ref(kwargs: Mapping[str, Any]) -> tuple[dict[str, str], WriteOptions]:
    """`**ref` checked, and the options left over."""
    ref = {key: value for key, value in kwargs.items() if key in params.REF_KEYS}
    options: WriteOptions = {key: value for key, value in kwargs.items() if key not in params.REF_KEYS}  # type: ignore[assignment]
    return params.ref_fields(ref), options


def list_args(
    operation: str,
    filters: Mapping[str, Any],
    *,
    cursor: str | None,
    limit: int | None,
) -> tuple[dict[str, Any], RequestOptions]:
    query, options = params.filters_query(operation, filters)
    if cursor is not None:
        query["cursor"] = check.text(cursor, field="cursor", bounds=ANY_TEXT)
    if limit is not None:
        query["limit"] = params.page_limit(limit)
    return query, options


@dataclass(frozen=True)
class Search:
    """A search checked locally: its query, and the image or video still to upload."""

    query: dict[str, Any]
    options: RequestOptions
    media: dict[str, PlannedImage]

    def plan(self, name: str) -> ImagePlan:
        return ImagePlan(cover=self.media[name])


def prepare_search(
    config: ClientConfig,
    q: str | None,
    image: ImageInput | None,
    video: ImageInput | None,
    page_size: int | None,
    filters: Mapping[str, Any],
) -> Search:
    query, options = list_args("listAssets", filters, cursor=None, limit=page_size)
    if q is not None:
        query["q"] = check.text(q, field="q", bounds=ANY_TEXT)
    media: dict[str, PlannedImage] = {}
    for name, value in (("search_image_url", image), ("search_video_url", video)):
        if value is not None:
            field = "image" if name == "search_image_url" else "video"
            media[name] = plan_media(value, field=field, fal_hosts=config.fal_hosts)
    if q is None and not media:
        raise ValidationError("search() needs q, image or video", field="q")
    config.budget(options)
    return Search(query, options, media)


@dataclass(frozen=True)
class Upload:
    """An uploadAsset call checked locally: the body's fields, and the source (uploaded first if local)."""

    source: PlannedImage
    fields: dict[str, Any]
    key: str

    def body(self, url: str) -> UploadAssetRequest:
        return UploadAssetRequest.from_dict({"url": url, **self.fields})


def prepare_upload(
    config: ClientConfig,
    options: WriteOptions,
    source: ImageInput,
    *,
    type: str | None,
    prompt: str | None,
    collection_id: str | None,
    favorite: bool | None,
    tag_ids: Sequence[str] | None,
) -> Upload:
    planned = plan_media(source, field="source", fal_hosts=config.fal_hosts)
    if type is None:
        type = media_type(planned)
        if type is None:
            raise ValidationError(
                f"source: cannot tell its media type from its content or name; pass type= "
                f"({', '.join(MEDIA_TYPES)})",
                field="type",
            )
    elif type not in MEDIA_TYPES:
        raise ValidationError(f"type must be one of {', '.join(MEDIA_TYPES)}, got {type!r:.40}", field="type")
    fields: dict[str, Any] = {"type": type}
    if prompt is not None:
        fields["prompt"] = check.text(prompt, field="prompt", bounds=PROMPT_LENGTH)
    if collection_id is not None:
        fields["collection_id"] = params.collection_id(collection_id)
    if favorite is not None:
        if not isinstance(favorite, bool):
            raise ValidationError("favorite must be True or False", field="favorite")
        fields["favorite"] = favorite
    if tag_ids is not None:
        fields["tag_ids"] = params.tag_ids(tag_ids)
    return Upload(planned, fields, params.write_key(options))


def passed_url(planned: PlannedImage) -> str | None:
    return planned.value if isinstance(planned, PassThrough) else None


def set_tags_args(tag_ids: Sequence[str], kwargs: Mapping[str, Any]) -> tuple[dict[str, Any], WriteOptions]:
    ref, options = split_ref(kwargs)
    body = SetAssetTagsRequest.from_dict({**ref, "tag_ids": params.tag_ids(tag_ids)})
    return {"body": body, "idempotency_key": params.write_key(options)}, options
