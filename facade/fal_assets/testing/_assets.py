"""Asset operations: browse and search, get, lineage, favorite / unfavorite, and uploadAsset.

Where fal is silent the fake chooses: registering a URL the library already holds returns that asset
(fal's asset identity is content-addressed by URL) and applies the new favorite / tags / collection to it;
a URL on the fake's CDN must name a stored, unexpired file (404 otherwise); width and height are read
from PNG, GIF and JPEG bytes the fake kept, else null.
"""

from __future__ import annotations

import hashlib
import mimetypes
import struct
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .._core import spec as _spec
from ._browse import MEDIA_TYPES, browse_page, parse_browse
from ._common import JSON, ApiError, Reply, format_ms, json_reply
from ._library import Asset, Library
from ._request_checks import _MISSING, _check_string, _Errors, _int_param

if TYPE_CHECKING:
    from ._handlers import Call, Handler, Services

# Limits from the spec shipped with the client (one source for spec, client and fake).
PROMPT_MAX = _spec.bounds(_spec.property_schema("UploadAssetRequest", "prompt")).max or 0
LINEAGE_DEPTH_MAX = _spec.bounds(_spec.parameter_schema("getAssetLineage", "depth")).max or 0


def list_assets(services: Services, call: Call) -> Reply:
    browse = parse_browse(call.query, is_fal_hosted=services.resolver.is_fal_hosted, collection_id=None)
    if browse.collection_id is not None:
        services.library.kind(browse.collection_id)
    return json_reply(200, browse_page(services.library, browse))


def get_asset(services: Services, call: Call) -> Reply:
    library = services.library
    asset = library.find_asset(call.params["id"])
    if asset is None:
        raise ApiError(404, f"Asset not found: {call.params['id']!r}", error_type="not_found")
    return json_reply(200, {"asset": library.asset_json(asset)})


def favorite(services: Services, call: Call) -> Reply:
    value = call.operation == "favoriteAsset"
    asset = services.library.resolve_ref(call.body(), materialize=value)
    asset.is_favorited = value
    return json_reply(200, {"is_favorited": value})


# -- uploadAsset ----------------------------------------------------------------------------------


def upload(services: Services, call: Call) -> Reply:
    library = services.library
    body = call.body()
    errors = _Errors()
    url = _check_string(body, "url", errors, low=1, high=1 << 16, required=True)
    if isinstance(url, str) and not services.resolver.is_fal_hosted(url):
        errors.add("url", "not a fal-hosted URL")
    type_ = body.get("type", _MISSING)
    if type_ is _MISSING:
        errors.add("type", "Field required")
    elif type_ not in MEDIA_TYPES:
        errors.add("type", "Input should be 'image', 'video', 'audio' or '3d'")
    prompt = _check_string(body, "prompt", errors, low=1, high=PROMPT_MAX, nullable=True)
    collection_id = _check_string(body, "collection_id", errors, low=0, high=1 << 16, nullable=True)
    favorite_ = body.get("favorite", False)
    if not isinstance(favorite_, bool):
        errors.add("favorite", "Input should be a valid boolean")
    tag_ids = body.get("tag_ids", [])
    if not isinstance(tag_ids, list) or not all(isinstance(t, str) for t in tag_ids):
        errors.add("tag_ids", "Input should be a valid list of strings")
        tag_ids = []
    errors.raise_if_any()
    assert isinstance(url, str)
    for tag_id in tag_ids:
        library.tag(tag_id)
    members = None
    if isinstance(collection_id, str):
        if library.kind(collection_id) == "smart":
            raise ApiError(422, "collection_id: assets can only be added to manual or character collections")
        members = library.members.setdefault(collection_id, [])
    asset = library.asset_by_url(url)
    if asset is None:
        asset = library.add_asset(
            url=url,
            type_=str(type_),
            source="upload",
            prompt=prompt if isinstance(prompt, str) else None,
            **_media_facts(services, url),
        )
    if favorite_:
        asset.is_favorited = True
    asset.tag_ids.extend(t for t in dict.fromkeys(tag_ids) if t not in asset.tag_ids)
    if members is not None and asset.asset_id not in members:
        members.append(asset.asset_id)
    return json_reply(201, {"asset": library.asset_json(asset)})


def _media_facts(services: Services, url: str) -> dict[str, Any]:
    """content_type, width and height of a URL, from the fake's storage when it holds the file."""
    path = urlsplit(url).path
    guessed = mimetypes.guess_type(path)[0]
    if urlsplit(url).hostname not in services.own_hosts():
        return {"content_type": guessed}
    if "/cdn/files/ref/" in path:
        return {"content_type": "image/png", "width": 1, "height": 1}
    stored = services.storage.lookup(url)
    if stored is None or services.control.expired(url):
        raise ApiError(404, "url: no file is stored at this URL (or it expired)", error_type="not_found")
    size = image_size(stored.data) if stored.data else None
    facts: dict[str, Any] = {"content_type": stored.content_type or guessed}
    if size is not None:
        facts["width"], facts["height"] = size
    return facts


def image_size(data: bytes) -> tuple[int, int] | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        index = 2
        while index + 9 <= len(data) and data[index] == 0xFF:
            marker, length = data[index + 1], struct.unpack(">H", data[index + 2 : index + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[index + 5 : index + 9])
                return int(width), int(height)
            index += 2 + length
    return None


# -- lineage --------------------------------------------------------------------------------------


def lineage(services: Services, call: Call) -> Reply:
    errors = _Errors()
    depth = _int_param(call.query, "depth", LINEAGE_DEPTH_MAX, 1, LINEAGE_DEPTH_MAX, errors)
    errors.raise_if_any()
    library = services.library
    focus = library.find_asset(call.params["id"])
    if focus is None:
        raise ApiError(404, f"Asset not found: {call.params['id']!r}", error_type="not_found")
    graph = _Lineage(services, depth)
    focus_id = graph.visit(focus, 0)
    return json_reply(
        200, {"lineage": {"focus": focus_id, "nodes": list(graph.nodes.values()), "edges": graph.edges}}
    )


def _md5(url: str) -> str:
    return hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()


class _Lineage:
    """fal's derivation graph: asset <-generated_by- request <-input_to- inputs (<-referenced_entity-)."""

    def __init__(self, services: Services, depth: int) -> None:
        self.services = services
        self.library: Library = services.library
        self.depth = depth
        self.nodes: dict[str, JSON] = {}
        self.edges: list[JSON] = []

    def visit(self, asset: Asset, level: int) -> str:
        key = _md5(asset.url)
        node_id = f"asset:{key}"
        if node_id in self.nodes:
            return node_id
        gone = self.services.control.expired(asset.url)
        self.nodes[node_id] = {
            "kind": "asset",
            "id": node_id,
            "output_key": key,
            "url": None if gone else asset.url,
            "type": asset.type,
            "request_id": asset.request_id or "",
            "asset_id": None if gone else asset.asset_id,
            "tombstone": gone,
        }
        if asset.source == "response" and asset.request_id and level < self.depth:
            self._request(asset, node_id, level)
        return node_id

    def _request(self, asset: Asset, node_id: str, level: int) -> None:
        request_id = f"request:{asset.request_id}"
        self.nodes[request_id] = {
            "kind": "request",
            "id": request_id,
            "request_id": asset.request_id,
            "endpoint": asset.endpoint,
            "prompt": asset.prompt,
            "created_at": format_ms(asset.created_ms),
        }
        self.edges.append({"from": request_id, "to": node_id, "kind": "generated_by", "role": None})
        for url, role in asset.inputs:
            parent = self.library.asset_by_url(url)
            if parent is not None:
                source_id = self.visit(parent, level + 1)
            else:
                source_id = f"external:{_md5(url)}"
                self.nodes[source_id] = {
                    "kind": "external_input",
                    "id": source_id,
                    "output_key": _md5(url),
                    "url": url,
                }
            self.edges.append({"from": source_id, "to": request_id, "kind": "input_to", "role": role})
        for entity_id_ in asset.character_ids:
            entity = self.library.characters.entity_by_id(entity_id_)
            entity_id = f"entity:{entity_id_}"
            self.nodes[entity_id] = {
                "kind": "entity",
                "id": entity_id,
                "entity_id": entity_id_,
                # A deleted entity's kind is gone with it; fal's schema needs one, so it reads as a character.
                "entity_type": "character" if entity is None else entity["type"],
                "name": None if entity is None else entity["name"],
                "handle": None if entity is None else entity["handle"],
                "tombstone": entity is None,
            }
            self.edges.append(
                {"from": entity_id, "to": request_id, "kind": "referenced_entity", "role": "content_ref"}
            )


HANDLERS: dict[str, Handler] = {
    "listAssets": list_assets,
    "getAsset": get_asset,
    "getAssetLineage": lineage,
    "favoriteAsset": favorite,
    "unfavoriteAsset": favorite,
    "uploadAsset": upload,
}
