"""The Assets library the fake keeps: assets, tags, manual and smart collections, and how characters (held by
the CharacterStore) appear as collections of type ``character``. Callers hold the fake's lock.

fal's document leaves some rules unsaid; the fake chooses these (documented in FakeFal's docstring too):

* collections nest at most 5 levels (fal's words); only manual collections nest or act as folders;
  deleting a collection deletes the collections nested under it, never the assets;
* a character's assets are the ones linked to it (addAssetToCollection), its reference images, and those
  whose prompt mentions ``@identifier``; reference IDs of library assets resolve to the assets' URLs;
* request and vector IDs the library does not know are "materialized" (fal's word) as generated images
  served by the fake's CDN, as character references given by ID are.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from ._common import JSON, ApiError, format_ms, new_character_id
from ._request_checks import ReferenceResolver
from ._state import CharacterStore

MAX_NESTING = 5
REF_KEYS = ("asset_id", "request_id", "vector_id")
EXACTLY_ONE_REF = "exactly one of asset_id, request_id or vector_id is required"


@dataclass
class Asset:
    asset_id: str
    vector_id: str
    request_id: str | None
    url: str
    type: str
    title: str
    source: str  # "upload" or "response", fal's two indexed sources
    created_ms: int
    seq: int
    endpoint: str | None = None
    prompt: str | None = None
    width: int | None = None
    height: int | None = None
    content_type: str | None = None
    is_favorited: bool = False
    tag_ids: list[str] = field(default_factory=list)
    # Lineage: what the generation request consumed, as (url, role), and the characters it referenced.
    inputs: list[tuple[str, str]] = field(default_factory=list)
    character_ids: list[str] = field(default_factory=list)


@dataclass
class Tag:
    id: str
    name: str
    created_ms: int


@dataclass
class Collection:
    """A manual or smart collection (characters live in the CharacterStore)."""

    id: str
    type: str
    name: str
    created_ms: int
    updated_ms: int
    seq: int
    description: str | None = None
    icon: str | None = None
    color: str | None = None
    cover_image_url: str | None = None
    parent_collection_id: str | None = None
    is_favorited: bool = False
    filters: Any = None


class Library:
    def __init__(
        self, clock: Callable[[], float], characters: CharacterStore, cdn_base_url: Callable[[], str]
    ) -> None:
        self._clock = clock
        self.characters = characters
        self._cdn_base_url = cdn_base_url
        self.assets: dict[str, Asset] = {}
        self.tags: dict[str, Tag] = {}
        self.collections: dict[str, Collection] = {}
        # Membership of manual collections and explicit character links, in the order assets were added.
        self.members: dict[str, list[str]] = {}
        # How many assets one search may cover; None: all (see FakeFal.search_scope_limit).
        self.search_scope_limit: int | None = None

    def now_ms(self) -> int:
        return int(self._clock() * 1000)

    def next_seq(self) -> int:
        return self.characters.next_seq()

    def new_id(self, taken: dict[str, Any]) -> str:
        new = new_character_id()
        while new in taken:
            new = new_character_id()
        return new

    # -- assets ------------------------------------------------------------------------------------

    def add_asset(self, *, url: str, type_: str, source: str, **fields: Any) -> Asset:
        asset = Asset(
            asset_id=self.new_id(self.assets),
            vector_id=fields.pop("vector_id", None) or str(uuid.uuid4()),
            request_id=fields.pop("request_id", None) or str(uuid.uuid4()),
            url=url,
            type=type_,
            title=fields.pop("title", None) or default_title(url, fields.get("prompt")),
            source=source,
            created_ms=self.now_ms(),
            seq=self.next_seq(),
            **fields,
        )
        self.assets[asset.asset_id] = asset
        return asset

    def find_asset(self, asset_or_vector_id: str) -> Asset | None:
        found = self.assets.get(asset_or_vector_id)
        if found is None:
            found = next((a for a in self.assets.values() if a.vector_id == asset_or_vector_id), None)
        return found

    def asset_by_url(self, url: str) -> Asset | None:
        key = _url_key(url)
        return next((a for a in self.assets.values() if _url_key(a.url) == key), None)

    def resolve_ref(self, body: JSON, *, materialize: bool) -> Asset:
        """The asset that `body` names by exactly one of asset_id / request_id / vector_id."""
        given = [key for key in REF_KEYS if key in body]
        if len(given) != 1:
            raise ApiError(422, f"body: {EXACTLY_ONE_REF}")
        key = given[0]
        value = body[key]
        if not isinstance(value, str):
            raise ApiError(422, f"{key}: Input should be a valid string")
        if not value:
            raise ApiError(422, f"{key}: String should have at least 1 character")
        if key == "asset_id":
            found = self.assets.get(value)
        elif key == "vector_id":
            found = next((a for a in self.assets.values() if a.vector_id == value), None)
        else:
            found = next((a for a in self.assets.values() if a.request_id == value), None)
        if found is not None:
            return found
        if not materialize or key == "asset_id":
            raise ApiError(404, f"Asset not found: {key} {value!r}", error_type="not_found")
        # fal saves an unknown request's output as an asset first; the fake's stand-in output is an image.
        return self.add_asset(
            url=f"{self._cdn_base_url()}/files/ref/{quote(value, safe='')}.png",
            type_="image",
            source="response",
            content_type="image/png",
            width=1,
            height=1,
            title=f"Generated image {value[:8]}",
            **{key: value},
        )

    def asset_json(self, asset: Asset, similarity: float | None = None) -> JSON:
        return {
            "asset_id": asset.asset_id,
            "vector_id": asset.vector_id,
            "request_id": asset.request_id,
            "url": asset.url,
            "type": asset.type,
            "title": asset.title,
            "endpoint": asset.endpoint,
            "created_at": format_ms(asset.created_ms),
            "source": asset.source,
            "prompt": asset.prompt,
            "width": asset.width,
            "height": asset.height,
            "content_type": asset.content_type,
            "is_favorited": asset.is_favorited,
            "collection_ids": self.collection_ids_of(asset),
            "tags": [self.tag_json(self.tags[t]) for t in asset.tag_ids if t in self.tags],
            "similarity": similarity,
        }

    def collection_ids_of(self, asset: Asset) -> list[str]:
        return [cid for cid, ids in self.members.items() if asset.asset_id in ids and self.exists(cid)]

    # -- tags --------------------------------------------------------------------------------------

    @staticmethod
    def tag_json(tag: Tag) -> JSON:
        return {"id": tag.id, "name": tag.name, "created_at": format_ms(tag.created_ms)}

    def tag(self, tag_id: str) -> Tag:
        found = self.tags.get(tag_id)
        if found is None:
            raise ApiError(404, f"Tag not found: {tag_id!r}", error_type="not_found")
        return found

    # -- collections -------------------------------------------------------------------------------

    def character(self, cid: str) -> JSON | None:
        try:
            return self.characters.get(cid)
        except ApiError:
            return None

    def exists(self, cid: str) -> bool:
        return cid in self.collections or self.character(cid) is not None

    def kind(self, cid: str) -> str:
        """ "manual", "smart" or "character"; 404 when there is no such collection."""
        found = self.collections.get(cid)
        if found is not None:
            return found.type
        if self.character(cid) is not None:
            return "character"
        raise ApiError(404, f"Collection not found: {cid!r}", error_type="not_found")

    def collection(self, cid: str) -> Collection:
        self.kind(cid)
        return self.collections[cid]

    def collection_json(self, cid: str) -> JSON:
        found = self.collections.get(cid)
        if found is None:
            character = self.character(cid)
            if character is None:
                raise ApiError(404, f"Collection not found: {cid!r}", error_type="not_found")
            return character_as_collection(character)
        return {
            "id": found.id,
            "type": found.type,
            "name": found.name,
            "description": found.description,
            "icon": found.icon,
            "color": found.color,
            "cover_image_url": found.cover_image_url,
            "character_identifier": None,
            "parent_collection_id": found.parent_collection_id,
            "is_favorited": found.is_favorited,
            "filters": found.filters,
            # fal: "exact asset count when available; null for smart/character collections".
            "asset_count": len(self.members.get(cid, [])) if found.type == "manual" else None,
            "created_at": format_ms(found.created_ms),
            "updated_at": format_ms(found.updated_ms),
        }

    def all_collections(self) -> list[JSON]:
        """Every collection, characters included, newest first."""
        order = self.characters.creation_order()
        order.update((cid, found.seq) for cid, found in self.collections.items())
        entries = [self.collection_json(cid) for cid in self.collections]
        entries += [character_as_collection(c) for c in self.characters.snapshot().values()]
        entries.sort(key=lambda c: (str(c["created_at"]), order[c["id"]]), reverse=True)
        return entries

    def children(self, cid: str) -> list[Collection]:
        return sorted(
            (c for c in self.collections.values() if c.parent_collection_id == cid), key=lambda c: c.seq
        )

    def ancestors(self, cid: str) -> list[Collection]:
        """From the top level down to the direct parent."""
        chain: list[Collection] = []
        parent = self.collections[cid].parent_collection_id if cid in self.collections else None
        while parent is not None and parent in self.collections:
            chain.append(self.collections[parent])
            parent = self.collections[parent].parent_collection_id
        chain.reverse()
        return chain

    def height(self, cid: str) -> int:
        """Levels in the subtree rooted at `cid`, itself included."""
        return 1 + max((self.height(child.id) for child in self.children(cid)), default=0)

    def touch(self, found: Collection) -> None:
        found.updated_ms = max(self.now_ms(), found.updated_ms + 1)


class LibraryResolver(ReferenceResolver):
    """Character reference IDs of assets in the library resolve to those assets' URLs, as fal's do."""

    def __init__(
        self, cdn_base_url: Callable[[], str], fal_hosts: Callable[[], frozenset[str]], library: Library
    ) -> None:
        super().__init__(cdn_base_url, fal_hosts)
        self._library = library

    def resolve(self, reference: str) -> str | None:
        if "://" not in reference:
            for asset in self._library.assets.values():
                if reference in (asset.vector_id, asset.request_id, asset.asset_id):
                    return asset.url
        return super().resolve(reference)


def character_as_collection(character: JSON) -> JSON:
    """A character as listAssetCollections shows it: fal treats characters as collections."""
    return {
        "id": character["id"],
        "type": "character",
        "name": character["name"],
        "description": character.get("description"),
        "icon": character.get("icon"),
        "color": character.get("color"),
        "cover_image_url": character.get("cover_image_url"),
        "character_identifier": character.get("character_identifier"),
        "parent_collection_id": character.get("parent_collection_id"),
        "is_favorited": bool(character.get("is_favorited")),
        "filters": None,
        "asset_count": None,
        "created_at": character["created_at"],
        "updated_at": character["updated_at"],
    }


def default_title(url: str, prompt: str | None) -> str:
    if prompt:
        return prompt if len(prompt) <= 80 else prompt[:79] + "…"
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    return name or "Untitled"


def _url_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}{unquote(parts.path)}"


def mentions(prompt: str | None, identifier: str) -> bool:
    return bool(prompt) and re.search(rf"@{re.escape(identifier)}\b", prompt or "", re.IGNORECASE) is not None
