"""Tag operations: list, create, update, delete, assign, unassign, and the per-asset tag list and set.

Where fal is silent the fake chooses: tag names are unique per library, compared case-insensitively
(a duplicate is a 409); tags are listed oldest first; deleting a tag removes it from every asset; assigning
a tag twice, or unassigning one that is not assigned, succeeds and changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._core import spec as _spec
from ._common import ApiError, Reply, json_reply
from ._library import Library, Tag
from ._request_checks import _check_string, _Errors

if TYPE_CHECKING:
    from ._handlers import Call, Handler, Services

TAG_NAME_MAX = _spec.bounds(_spec.property_schema("CreateTagRequest", "name")).max or 0


def _name(body: dict[str, object], *, required: bool) -> str | None:
    errors = _Errors()
    value = _check_string(body, "name", errors, low=1, high=TAG_NAME_MAX, required=required)
    errors.raise_if_any()
    return value if isinstance(value, str) else None


def _unique(library: Library, name: str, keep: str | None = None) -> None:
    for tag in library.tags.values():
        if tag.id != keep and tag.name.casefold() == name.casefold():
            raise ApiError(409, f"name: a tag named {tag.name!r} already exists")


def list_tags(services: Services, call: Call) -> Reply:
    library = services.library
    return json_reply(200, {"tags": [library.tag_json(t) for t in library.tags.values()]})


def create_tag(services: Services, call: Call) -> Reply:
    library = services.library
    name = _name(call.body(), required=True)
    assert name is not None
    _unique(library, name)
    tag = Tag(library.new_id(library.tags), name, library.now_ms())
    library.tags[tag.id] = tag
    return json_reply(201, {"tag": library.tag_json(tag)})


def update_tag(services: Services, call: Call) -> Reply:
    library = services.library
    name = _name(call.body(), required=False)
    tag = library.tag(call.params["id"])
    if name is not None:
        _unique(library, name, keep=tag.id)
        tag.name = name
    return json_reply(200, {"tag": library.tag_json(tag)})


def delete_tag(services: Services, call: Call) -> Reply:
    library = services.library
    tag = library.tag(call.params["id"])
    del library.tags[tag.id]
    for asset in library.assets.values():
        if tag.id in asset.tag_ids:
            asset.tag_ids.remove(tag.id)
    return Reply(204)


def assign(services: Services, call: Call) -> Reply:
    library = services.library
    body = call.body()
    tag = library.tag(call.params["id"])
    asset = library.resolve_ref(body, materialize=True)
    if tag.id not in asset.tag_ids:
        asset.tag_ids.append(tag.id)
    return json_reply(200, {"success": True})


def unassign(services: Services, call: Call) -> Reply:
    library = services.library
    body = call.body()
    tag = library.tag(call.params["id"])
    asset = library.resolve_ref(body, materialize=False)
    if tag.id in asset.tag_ids:
        asset.tag_ids.remove(tag.id)
    return Reply(204)


def tags_for_asset(services: Services, call: Call) -> Reply:
    library = services.library
    # fal: "Assets without a live catalog record return an empty tag list" (not a 404).
    asset = library.find_asset(call.params["id"])
    tags = [] if asset is None else [library.tag_json(library.tags[t]) for t in asset.tag_ids]
    return json_reply(200, {"tags": tags})


def set_tags(services: Services, call: Call) -> Reply:
    library = services.library
    body = call.body()
    tag_ids = body.get("tag_ids")
    if "tag_ids" not in body:
        raise ApiError(422, "tag_ids: Field required")
    if not isinstance(tag_ids, list) or not all(isinstance(t, str) for t in tag_ids):
        raise ApiError(422, "tag_ids: Input should be a valid list of strings")
    wanted = list(dict.fromkeys(tag_ids))
    for tag_id in wanted:
        library.tag(tag_id)
    asset = library.resolve_ref({k: v for k, v in body.items() if k != "tag_ids"}, materialize=True)
    asset.tag_ids = wanted
    return json_reply(200, {"tags": [library.tag_json(library.tags[t]) for t in wanted]})


HANDLERS: dict[str, Handler] = {
    "listAssetTags": list_tags,
    "createAssetTag": create_tag,
    "updateAssetTag": update_tag,
    "deleteAssetTag": delete_tag,
    "assignAssetTag": assign,
    "unassignAssetTag": unassign,
    "listAssetTagsForAsset": tags_for_asset,
    "setAssetTagsForAsset": set_tags,
}
