"""Collection operations: manual and smart collections, and characters seen as collections.

fal's rules: only manual collections nest or act as folders, nesting is at most 5 levels deep, a move cannot
create a cycle; only manual and character collections take assets. Where fal is silent the fake chooses:
a collection with non-null ``filters`` is smart, otherwise manual; a broken rule is a 422
``validation_error`` naming ``parent_collection_id``; characters can be read, updated (name, description,
icon, color, cover), favorited and deleted through these endpoints, but not moved; collections and
characters are listed newest first; removing an asset that is not in the collection succeeds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._browse import browse_page, parse_browse
from ._common import JSON, ApiError, Reply, json_reply
from ._library import MAX_NESTING, Collection, Library
from ._request_checks import _MISSING, NAME_MAX, _check_cover, _check_string, _Errors, _int_param

if TYPE_CHECKING:
    from ._handlers import Call, Handler, Services


def _fields(services: Services, body: JSON, *, creating: bool) -> dict[str, Any]:
    errors = _Errors()
    fields: dict[str, Any] = {
        "name": _check_string(body, "name", errors, low=1, high=NAME_MAX, required=creating),
        "cover_image_url": _check_cover(body, errors, services.resolver),
    }
    for key in ("description", "icon", "color"):
        value = body.get(key, _MISSING)
        if value is not _MISSING and value is not None and not isinstance(value, str):
            errors.add(key, "Input should be a valid string")
        fields[key] = value
    if "filters" in body:
        fields["filters"] = body["filters"]
    if creating:
        parent = body.get("parent_collection_id")
        if parent is not None and (not isinstance(parent, str) or not parent):
            errors.add("parent_collection_id", "Input should be a non-empty string or null")
        fields["parent_collection_id"] = parent
    errors.raise_if_any()
    return {k: v for k, v in fields.items() if v is not _MISSING}


def _nesting_error(message: str) -> ApiError:
    return ApiError(422, f"parent_collection_id: {message}", error_type="validation_error")


def _check_parent(library: Library, parent: str, levels: int) -> None:
    """`parent` may take a subtree `levels` deep without going past fal's nesting limit."""
    if library.kind(parent) != "manual":
        raise _nesting_error("only manual collections can contain collections")
    depth = len(library.ancestors(parent)) + 1
    if depth + levels > MAX_NESTING:
        raise _nesting_error(f"collections nest at most {MAX_NESTING} levels deep")


def list_collections(services: Services, call: Call) -> Reply:
    errors = _Errors()
    limit = _int_param(call.query, "limit", 50, 1, 100, errors)
    offset = 0
    if call.query_value("offset") not in (None, "", "null"):
        offset = _int_param(call.query, "offset", 0, 0, None, errors)
    errors.raise_if_any()
    entries = services.library.all_collections()[offset : offset + limit]
    return json_reply(200, {"collections": entries})


def create_collection(services: Services, call: Call) -> Reply:
    library = services.library
    fields = _fields(services, call.body(), creating=True)
    kind = "manual" if fields.get("filters") is None else "smart"
    parent = fields.get("parent_collection_id")
    if parent is not None:
        if kind != "manual":
            raise _nesting_error("only manual collections can be nested")
        _check_parent(library, parent, 1)
    now = library.now_ms()
    found = Collection(
        id=library.new_id(library.collections),
        type=kind,
        created_ms=now,
        updated_ms=now,
        seq=library.next_seq(),
        **fields,
    )
    library.collections[found.id] = found
    return json_reply(201, {"collection": library.collection_json(found.id)})


def get_collection(services: Services, call: Call) -> Reply:
    return json_reply(200, {"collection": services.library.collection_json(call.params["id"])})


def update_collection(services: Services, call: Call) -> Reply:
    library = services.library
    cid = call.params["id"]
    fields = _fields(services, call.body(), creating=False)
    kind = library.kind(cid)
    filters = fields.pop("filters", None)
    if kind != "smart" and filters is not None:
        raise ApiError(422, f"filters: a {kind} collection has no filters", error_type="validation_error")
    if kind == "character":
        library.characters.update(cid, fields)
    else:
        found = library.collections[cid]
        for key, value in fields.items():
            setattr(found, key, value)
        if kind == "smart" and filters is not None:
            found.filters = filters
        library.touch(found)
    return json_reply(200, {"collection": library.collection_json(cid)})


def delete_collection(services: Services, call: Call) -> Reply:
    library = services.library
    cid = call.params["id"]
    if library.kind(cid) == "character":
        library.characters.delete(cid)
        library.members.pop(cid, None)
        return Reply(204)
    doomed = [cid]
    for current in doomed:
        doomed.extend(child.id for child in library.children(current))
    for gone in doomed:
        del library.collections[gone]
        library.members.pop(gone, None)
    return Reply(204)


def _node(library: Library, cid: str) -> JSON:
    entry = library.collection_json(cid)
    children = [_node(library, child.id) for child in library.children(cid)]
    return {"id": cid, "name": entry["name"], "type": entry["type"], "children": children}


def hierarchy(services: Services, call: Call) -> Reply:
    library = services.library
    cid = call.params["id"]
    library.kind(cid)
    ancestors = [{"id": a.id, "name": a.name, "type": a.type} for a in library.ancestors(cid)]
    return json_reply(200, {"hierarchy": _node(library, cid), "ancestors": ancestors})


def favorite(services: Services, call: Call) -> Reply:
    library = services.library
    cid = call.params["id"]
    value = call.operation == "favoriteAssetCollection"
    if library.kind(cid) == "character":
        library.characters.update(cid, {"is_favorited": value})
    else:
        library.collections[cid].is_favorited = value
        library.touch(library.collections[cid])
    return json_reply(200, {"collection": library.collection_json(cid)})


def move(services: Services, call: Call) -> Reply:
    library = services.library
    cid = call.params["id"]
    body = call.body()
    if "parent_collection_id" not in body:
        raise ApiError(422, "parent_collection_id: Field required")
    parent = body["parent_collection_id"]
    if parent is not None and (not isinstance(parent, str) or not parent):
        raise _nesting_error("Input should be a non-empty string or null")
    if library.kind(cid) != "manual":
        raise ApiError(422, "only manual collections can be moved", error_type="validation_error")
    if parent is not None:
        library.kind(parent)  # 404 for an unknown parent, before the rules
        if parent == cid or any(a.id == cid for a in library.ancestors(parent)):
            raise _nesting_error("a collection cannot move under itself or its own descendants")
        _check_parent(library, parent, library.height(cid))
    found = library.collections[cid]
    found.parent_collection_id = parent
    library.touch(found)
    return json_reply(200, {"collection": library.collection_json(cid)})


def list_members(services: Services, call: Call) -> Reply:
    library = services.library
    cid = call.params["id"]
    library.kind(cid)
    browse = parse_browse(call.query, is_fal_hosted=services.resolver.is_fal_hosted, collection_id=cid)
    return json_reply(200, browse_page(library, browse))


def _member_target(library: Library, cid: str) -> list[str]:
    kind = library.kind(cid)
    if kind == "smart":
        raise ApiError(
            422,
            "a smart collection's assets come from its filters; "
            "add assets to manual or character collections",
            error_type="validation_error",
        )
    return library.members.setdefault(cid, [])


def add_member(services: Services, call: Call) -> Reply:
    library = services.library
    body = call.body()
    members = _member_target(library, call.params["id"])
    asset = library.resolve_ref(body, materialize=True)
    if asset.asset_id not in members:
        members.append(asset.asset_id)
    return json_reply(200, {"success": True})


def remove_member(services: Services, call: Call) -> Reply:
    library = services.library
    body = call.body()
    members = _member_target(library, call.params["id"])
    asset = library.resolve_ref(body, materialize=False)
    if asset.asset_id in members:
        members.remove(asset.asset_id)
    return Reply(204)


HANDLERS: dict[str, Handler] = {
    "listAssetCollections": list_collections,
    "createAssetCollection": create_collection,
    "getAssetCollection": get_collection,
    "updateAssetCollection": update_collection,
    "deleteAssetCollection": delete_collection,
    "getAssetCollectionHierarchy": hierarchy,
    "favoriteAssetCollection": favorite,
    "unfavoriteAssetCollection": favorite,
    "moveAssetCollection": move,
    "listAssetCollectionAssets": list_members,
    "addAssetToCollection": add_member,
    "removeAssetFromCollection": remove_member,
}
