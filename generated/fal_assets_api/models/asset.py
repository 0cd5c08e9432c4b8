from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.asset_type import AssetType
from ..types import (
    MISSING,
    STRICT,
    Drift,
    ReplyShapeError,
    no_identity,
    not_a_datetime,
    not_an_item,
    not_an_object,
    reply_to_dict,
    tolerated,
)

if TYPE_CHECKING:
    from ..models.tag import Tag


T = TypeVar("T", bound="Asset")


_AssetType_VALUES = {member.value: member for member in AssetType}


@_attrs_define
class Asset:
    """Asset item

    Read tolerantly from fal's replies (`from_reply`): a field fal leaves out or sends as null is None, and an
    enum value the spec does not list is kept as the plain string.

    Attributes:
        asset_id (None | str): Asset ID (canonical catalog identity) Example: d8b6elcregj72v34jr8g.
        vector_id (str): Vector ID. Prefer asset_id for addressing Example: b1a2b4a5-cb89-51dc-a108-6dbfd8e742fc.
        request_id (None | str): Request ID Example: 019e6d0a-e5be-7b82-b329-35ae64296902.
        url (None | str): Media URL Example:
            https://v3b.fal.media/files/b/0a9b4900/PDbTGyzqRh1aijW2WQiY9_opengraph-1%20%281%29.png.
        type_ (AssetType): Asset media type
        title (str): Display title Example: Portrait.
        endpoint (None | str): Model endpoint that produced the asset Example: fal-ai/flux/dev.
        created_at (datetime.datetime | None): Asset creation time Example: 2026-05-23T20:00:00.000Z.
        source (None | str): Asset source Example: upload.
        prompt (None | str): Saved prompt or description Example: cinematic portrait.
        width (float | None): Width in pixels Example: 1024.
        height (float | None): Height in pixels Example: 1024.
        content_type (None | str): Media content type Example: image/png.
        is_favorited (bool): Whether the asset is favorited Example: False.
        collection_ids (list[str]): Collections containing this asset Example: ['d8b6elcregj72v34jr8g'].
        tags (list[Tag]): Assigned tags
        similarity (float | None): Semantic similarity score when applicable Example: 0.92.
    """

    asset_id: str | None
    vector_id: str | None
    request_id: str | None
    url: str | None
    type_: AssetType | str | None
    title: str | None
    endpoint: str | None
    created_at: datetime.datetime | None
    source: str | None
    prompt: str | None
    width: float | None
    height: float | None
    content_type: str | None
    is_favorited: bool | None
    collection_ids: list[str] | None
    tags: list[Tag] | None
    similarity: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return reply_to_dict(self, _FIELDS, self.additional_properties)

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Strict: any field missing, null or outside its enum where the spec says otherwise is refused
        (ReplyShapeError, a ValueError)."""
        return cls.from_reply(dict(src_dict), STRICT)

    @classmethod
    def from_reply(cls: type[T], src: Any, drift: Drift, path: str = "") -> T:
        """Read a JSON object of fal's reply. Each difference from the spec is reported to `drift` (which logs
        it, or raises in strict mode); a wrong JSON type, a missing identity or wrapper raise ReplyShapeError."""
        if src.__class__ is not dict:
            raise not_an_object(path, src)
        d = src.copy()
        pop = d.pop

        asset_id = pop("asset_id", MISSING)
        if asset_id is not None:
            if asset_id.__class__ is not str:
                asset_id = tolerated(drift, path, "asset_id", asset_id, "a string", True, True)

        vector_id = pop("vector_id", MISSING)
        if vector_id.__class__ is not str:
            vector_id = tolerated(drift, path, "vector_id", vector_id, "a string", True, False)

        request_id = pop("request_id", MISSING)
        if request_id is not None:
            if request_id.__class__ is not str:
                request_id = tolerated(drift, path, "request_id", request_id, "a string", True, True)

        url = pop("url", MISSING)
        if url is not None:
            if url.__class__ is not str:
                url = tolerated(drift, path, "url", url, "a string", True, True)

        type_ = pop("type", MISSING)
        if type_.__class__ is str:
            type_ = _AssetType_VALUES.get(type_, type_)
            if type_.__class__ is str:
                drift(path + ".type", f"value {type_!r:.80} is not in the spec")
        else:
            type_ = tolerated(drift, path, "type", type_, "a string", True, False)

        title = pop("title", MISSING)
        if title.__class__ is not str:
            title = tolerated(drift, path, "title", title, "a string", True, False)

        endpoint = pop("endpoint", MISSING)
        if endpoint is not None:
            if endpoint.__class__ is not str:
                endpoint = tolerated(drift, path, "endpoint", endpoint, "a string", True, True)

        created_at = pop("created_at", MISSING)
        if created_at is not None:
            if created_at.__class__ is str:
                try:
                    created_at = datetime.datetime.fromisoformat(created_at)
                except ValueError:
                    raise not_a_datetime(path + ".created_at", created_at) from None
            else:
                created_at = tolerated(
                    drift, path, "created_at", created_at, "an ISO 8601 date-time string", True, True
                )

        source = pop("source", MISSING)
        if source is not None:
            if source.__class__ is not str:
                source = tolerated(drift, path, "source", source, "a string", True, True)

        prompt = pop("prompt", MISSING)
        if prompt is not None:
            if prompt.__class__ is not str:
                prompt = tolerated(drift, path, "prompt", prompt, "a string", True, True)

        width = pop("width", MISSING)
        if width is not None:
            if width.__class__ is not float and width.__class__ is not int:
                width = tolerated(drift, path, "width", width, "a number", True, True)

        height = pop("height", MISSING)
        if height is not None:
            if height.__class__ is not float and height.__class__ is not int:
                height = tolerated(drift, path, "height", height, "a number", True, True)

        content_type = pop("content_type", MISSING)
        if content_type is not None:
            if content_type.__class__ is not str:
                content_type = tolerated(drift, path, "content_type", content_type, "a string", True, True)

        is_favorited = pop("is_favorited", MISSING)
        if is_favorited.__class__ is not bool:
            is_favorited = tolerated(drift, path, "is_favorited", is_favorited, "a boolean", True, False)

        collection_ids = pop("collection_ids", MISSING)

        if collection_ids.__class__ is list:
            for item in collection_ids:
                if item.__class__ is not str:
                    not_an_item(path, "collection_ids", collection_ids, item, "a string")

        else:
            collection_ids = tolerated(drift, path, "collection_ids", collection_ids, "an array", True, False)

        tags = pop("tags", MISSING)

        if tags.__class__ is list:
            items_path = path + ".tags[]"
            tags_items: list[Any] = []
            read, append = Tag.from_reply, tags_items.append
            # An error in an item names its index: the items read so far count them.
            try:
                for item in tags:
                    append(read(item, drift, items_path))
            except ReplyShapeError as exc:
                raise exc.in_item(items_path, len(tags_items)) from None
            tags = tags_items
        else:
            tags = tolerated(drift, path, "tags", tags, "an array", True, False)

        similarity = pop("similarity", MISSING)
        if similarity is not None:
            if similarity.__class__ is not float and similarity.__class__ is not int:
                similarity = tolerated(drift, path, "similarity", similarity, "a number", True, True)

        if asset_id.__class__ is not str and vector_id.__class__ is not str:
            raise no_identity(path, "asset_id or vector_id")
        # Positionally, in the order the fields are declared above (faster than keywords, per item).
        asset = cls(
            asset_id,
            vector_id,
            request_id,
            url,
            type_,
            title,
            endpoint,
            created_at,
            source,
            prompt,
            width,
            height,
            content_type,
            is_favorited,
            collection_ids,
            tags,
            similarity,
        )
        asset.additional_properties = d
        return asset

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# (attribute, JSON key) of each field, for to_dict.
_FIELDS = (
    ("asset_id", "asset_id"),
    ("vector_id", "vector_id"),
    ("request_id", "request_id"),
    ("url", "url"),
    ("type_", "type"),
    ("title", "title"),
    ("endpoint", "endpoint"),
    ("created_at", "created_at"),
    ("source", "source"),
    ("prompt", "prompt"),
    ("width", "width"),
    ("height", "height"),
    ("content_type", "content_type"),
    ("is_favorited", "is_favorited"),
    ("collection_ids", "collection_ids"),
    ("tags", "tags"),
    ("similarity", "similarity"),
)


# The models this one holds, imported once the class exists (the generator imports them inside each method,
# against import cycles; a reply of 100 items would pay that import 100 times). At the end of the module, a
# cycle finds this module's class already defined.
from ..models.tag import Tag  # noqa: E402
