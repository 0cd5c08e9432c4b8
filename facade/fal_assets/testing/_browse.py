"""listAssets and listAssetCollectionAssets: fal's filters, the search approximation, page-number
cursors.

Search is an approximation of fal's hybrid semantic search: each asset's text is its prompt and title, a
query's text is `q`, and for `search_image_url` / `search_video_url` the prompt and title of the library
asset at that URL (else the URL's file name). `similarity` is the share of the query's words found in the
asset's text (0 to 1); assets sharing no word are left out; results come best first.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from ._common import JSON, ApiError
from ._library import Asset, Library, mentions
from ._request_checks import LIMIT_DEFAULT, LIMIT_MAX, _Errors, _int_param

MEDIA_TYPES = ("image", "video", "audio", "3d")
SOURCES = ("upload", "response")
SECTIONS = ("all-media", "uploads", "favorites", "generated")
TAG_MODES = ("any", "all")
_ARRAYS = {"media_type": MEDIA_TYPES, "source": SOURCES, "character_identifier": None, "tag_id": None}
_WORD = re.compile(r"[^\W_]+")


@dataclass
class Browse:
    limit: int = LIMIT_DEFAULT
    cursor: str | None = None
    q: str | None = None
    search_image_url: str | None = None
    search_video_url: str | None = None
    media_type: list[str] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    section: str = "all-media"
    collection_id: str | None = None
    character_identifier: list[str] = field(default_factory=list)
    tag_id: list[str] = field(default_factory=list)
    tag_mode: str = "any"

    @property
    def searching(self) -> bool:
        return bool(self.q or self.search_image_url or self.search_video_url)


def parse_browse(query: Mapping[str, list[str]], *, is_fal_hosted: Any, collection_id: str | None) -> Browse:
    errors = _Errors()
    browse = Browse(collection_id=collection_id)
    # fal documents no maximum ("depends on query type"); the fake serves at most 100 per page.
    browse.limit = min(_int_param(query, "limit", LIMIT_DEFAULT, 1, None, errors), LIMIT_MAX)
    for name in ("cursor", "q", "search_image_url", "search_video_url", "section", "tag_mode"):
        values = query.get(name)
        if values:
            setattr(browse, name, values[-1])
    if collection_id is None and query.get("collection_id"):
        browse.collection_id = query["collection_id"][-1]
    for name, allowed in _ARRAYS.items():
        values = [v for v in query.get(name, []) if v != ""]
        for index, value in enumerate(values):
            if allowed is not None and value not in allowed:
                errors.add(f"{name}[{index}]", f"Input should be {_one_of(allowed)}")
        setattr(browse, name, values)
    if browse.section not in SECTIONS:
        errors.add("section", f"Input should be {_one_of(SECTIONS)}")
    if browse.tag_mode not in TAG_MODES:
        errors.add("tag_mode", f"Input should be {_one_of(TAG_MODES)}")
    for name in ("search_image_url", "search_video_url"):
        url = getattr(browse, name)
        if url is not None and not is_fal_hosted(url):
            errors.add(name, "not a fal-hosted URL")
    errors.raise_if_any()
    return browse


def _one_of(allowed: tuple[str, ...]) -> str:
    quoted = [repr(a) for a in allowed]
    return ", ".join(quoted[:-1]) + f" or {quoted[-1]}"


def encode_cursor(page: int) -> str:
    """fal's document: the cursor "encodes the page number" (its example ``Mg==`` is page 2)."""
    return base64.b64encode(str(page).encode()).decode()


def decode_cursor(cursor: str) -> int:
    """The 1-based page number a cursor encodes (padding optional, URL-safe alphabet accepted)."""
    try:
        raw = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True).decode()
        page = int(raw) if raw.isascii() and raw.isdigit() else 0
    except (ValueError, binascii.Error, UnicodeDecodeError):
        page = 0
    if page < 1:
        raise ApiError(400, "cursor: not a cursor this API returned", error_type="validation_error")
    return page


def browse_page(library: Library, browse: Browse) -> JSON:
    offset = 0 if not browse.cursor else (decode_cursor(browse.cursor) - 1) * browse.limit
    found = [a for a in library.assets.values() if _matches(library, browse, a)]
    found.sort(key=lambda a: (a.created_ms, a.seq), reverse=True)
    scored: list[tuple[Asset, float | None]] = [(a, None) for a in found]
    scoped = browse.section == "favorites" or bool(browse.tag_id) or browse.collection_id is not None
    limit = library.search_scope_limit
    truncated = browse.searching and scoped and limit is not None and len(found) > limit
    if truncated:
        found = found[:limit]  # the newest part of the scope, as a partial slice
    if browse.searching:
        queries = _query_texts(library, browse)
        scored = []
        for asset in found:
            words = _words(f"{asset.prompt or ''} {asset.title}")
            score = sum(_overlap(q, words) for q in queries) / len(queries)
            if score > 0:
                scored.append((asset, round(score, 4)))
        scored.sort(key=lambda pair: -(pair[1] or 0.0))  # stable: newest first among equal scores
    page = scored[offset : offset + browse.limit]
    more = offset + browse.limit < len(scored)
    return {
        "assets": [library.asset_json(asset, similarity) for asset, similarity in page],
        "next_cursor": encode_cursor(offset // browse.limit + 2) if more else None,
        "has_more": more,
        "total_count": len(scored),
        "scope_truncated": truncated,
    }


def _matches(library: Library, browse: Browse, asset: Asset) -> bool:
    if browse.media_type and asset.type not in browse.media_type:
        return False
    if browse.source and asset.source not in browse.source:
        return False
    section = browse.section
    if (section == "uploads" and asset.source != "upload") or (
        section == "generated" and asset.source != "response"
    ):
        return False
    if section == "favorites" and not asset.is_favorited:
        return False
    if browse.tag_id:
        held = [t in asset.tag_ids for t in browse.tag_id]
        if not (all(held) if browse.tag_mode == "all" else any(held)):
            return False
    if not all(_shows_character(library, asset, ident) for ident in browse.character_identifier):
        return False
    return browse.collection_id is None or in_collection(library, browse.collection_id, asset)


def in_collection(library: Library, cid: str, asset: Asset) -> bool:
    kind = library.kind(cid)
    if kind == "smart":
        return _smart_matches(library, library.collections[cid].filters, asset)
    if asset.asset_id in library.members.get(cid, []):
        return True
    if kind == "character":
        character = library.character(cid) or {}
        if asset.url in character.get("reference_images", []):
            return True
        identifier = character.get("character_identifier")
        return bool(identifier) and mentions(asset.prompt, str(identifier))
    return False


def _shows_character(library: Library, asset: Asset, identifier: str) -> bool:
    if mentions(asset.prompt, identifier):
        return True
    return any(
        character.get("character_identifier") == identifier and in_collection(library, cid, asset)
        for cid, character in library.characters.snapshot().items()
    )


def _smart_matches(library: Library, filters: Any, asset: Asset) -> bool:
    """The fake reads a smart collection's filter DSL as an object of listAssets parameters."""
    if not isinstance(filters, dict):
        return True
    query = {
        str(k): [str(x) for x in (v if isinstance(v, list) else [v])]
        for k, v in filters.items()
        if k != "collection_id" and v is not None
    }
    try:
        inner = parse_browse(query, is_fal_hosted=lambda _url: True, collection_id=None)
    except ApiError:
        return False
    if not _matches(library, inner, asset):
        return False
    return not inner.searching or any(
        _overlap(q, _words(f"{asset.prompt or ''} {asset.title}")) > 0 for q in _query_texts(library, inner)
    )


def _query_texts(library: Library, browse: Browse) -> list[set[str]]:
    texts: list[set[str]] = []
    if browse.q:
        texts.append(_words(browse.q))
    for url in (browse.search_image_url, browse.search_video_url):
        if url:
            known = library.asset_by_url(url)
            if known is not None:
                texts.append(_words(f"{known.prompt or ''} {known.title}"))
            else:
                name = unquote(urlsplit(url).path.rsplit("/", 1)[-1]).rsplit(".", 1)[0]
                texts.append(_words(name))
    return texts


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def _overlap(query: set[str], words: set[str]) -> float:
    return len(query & words) / len(query) if query else 0.0
