"""The entity store (characters, props, environments, styles, scenes) and the Idempotency-Key ledger.
Callers hold the fake's lock around every call.

One store holds every entity of the account, as fal's document implies ("the entity list includes
characters"; "existing character endpoints remain supported"): a character made through either endpoint is
the same record, answered in the Character shape by /assets/characters and in the Entity shape by
/assets/entities. Handles are unique across every kind, compared case-insensitively (inferred); one that
defaults from the name gets a numeric suffix when taken, an explicit one that is taken is a 409.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ._common import JSON, ApiError, Reply, format_ms, new_character_id

IDEMPOTENCY_TTL_SECONDS = 600.0


ENTITY_FIELDS = ("name", "description", "cover_image_url", "reference_images", "is_favorited")


@dataclass
class _Character:
    """One entity. `data` is a Character for characters (the character endpoints' shape), otherwise the
    Entity's own fields; `handle` is the @mention handle either way."""

    data: JSON
    created_ms: int
    updated_ms: int
    seq: int
    handle: str = ""

    @property
    def kind(self) -> str:
        return str(self.data.get("type", "character"))


def handle_from_name(name: str, limit: int = 64) -> str:
    """The handle fal derives from a name when none is given (inferred: lower case, words joined by -)."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:limit].rstrip("-") or "entity"


class CharacterStore:
    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._items: dict[str, _Character] = {}
        self._seq = 0

    def _now_ms(self) -> int:
        return int(self._clock() * 1000)

    def snapshot(self) -> dict[str, JSON]:
        """Every character, in the Character shape."""
        return {cid: copy.deepcopy(item.data) for cid, item in self._characters().items()}

    def entities(self) -> dict[str, JSON]:
        """Every entity, characters included, in the Entity shape."""
        return {cid: self.entity_view(item) for cid, item in self._items.items()}

    def create(self, fields: dict[str, Any], *, unique: bool = False) -> JSON:
        """A character. `unique`: an explicit identifier that another entity has is a 409 (API requests);
        seeding (`FakeFal.add_character`) stores what it is given."""
        explicit = fields.get("character_identifier")
        handle = self.claim_handle(explicit, fields["name"]) if unique or not explicit else str(explicit)
        item = self._new(self._character_data(fields), handle)
        return copy.deepcopy(item.data)

    def _new(self, data: JSON, handle: str) -> _Character:
        now = self._now_ms()
        cid = new_character_id()
        while cid in self._items:
            cid = new_character_id()
        data["id"] = cid
        data["created_at"] = data["updated_at"] = format_ms(now)
        self._seq += 1
        item = self._items[cid] = _Character(data, now, now, self._seq, handle)
        return item

    def _character_data(self, fields: dict[str, Any]) -> JSON:
        return {
            "id": "",
            "type": "character",
            "name": fields["name"],
            "description": fields.get("description"),
            "icon": fields.get("icon"),
            "color": fields.get("color"),
            "cover_image_url": fields.get("cover_image_url"),
            "character_identifier": fields.get("character_identifier"),
            "is_favorited": bool(fields.get("is_favorited", False)),
            "created_at": "",
            "updated_at": "",
            "asset_count": fields.get("asset_count"),
            "reference_images": list(fields.get("reference_images", [])),
            "parent_collection_id": fields.get("parent_collection_id"),
        }

    # -- handles ---------------------------------------------------------------------------------

    def handle_owner(self, handle: str) -> str | None:
        wanted = handle.casefold()
        return next((cid for cid, item in self._items.items() if item.handle.casefold() == wanted), None)

    def claim_handle(self, explicit: object, name: str, *, keep: str | None = None) -> str:
        """An explicit handle, refused (409, fal's error shape) when another entity has it; or one derived
        from `name`, made unique with a suffix."""
        if isinstance(explicit, str) and explicit:
            owner = self.handle_owner(explicit)
            if owner is not None and owner != keep:
                raise ApiError(
                    409,
                    f"handle: @{explicit} already exists in this account (handles are unique across "
                    "characters, props, environments, styles and scenes)",
                    error_type="validation_error",
                )
            return explicit
        base = handle_from_name(name)
        handle, counter = base, 2
        while self.handle_owner(handle) not in (None, keep):
            suffix = f"-{counter}"
            handle, counter = base[: 64 - len(suffix)] + suffix, counter + 1
        return handle

    # -- entities (every kind) -------------------------------------------------------------------

    def entity_view(self, item: _Character) -> JSON:
        data = item.data
        view: JSON = {"id": data["id"], "type": item.kind, "name": data["name"], "handle": item.handle}
        view.update({key: copy.deepcopy(data.get(key)) for key in ENTITY_FIELDS})
        view["is_favorited"] = bool(view["is_favorited"])
        view["reference_images"] = list(view["reference_images"] or [])
        view["created_at"], view["updated_at"] = data["created_at"], data["updated_at"]
        return view

    def entity(self, eid: str) -> _Character:
        item = self._items.get(eid)
        if item is None:
            raise ApiError(404, "Entity not found", error_type="not_found")
        return item

    def create_entity(self, kind: str, fields: dict[str, Any], handle: object) -> JSON:
        resolved = self.claim_handle(handle, fields["name"])
        if kind == "character":
            data = self._character_data({**fields, "character_identifier": resolved})
        else:
            data = {"id": "", "type": kind, "created_at": "", "updated_at": ""}
            data.update({key: fields.get(key) for key in ENTITY_FIELDS})
            data["is_favorited"] = False
            data["reference_images"] = list(fields.get("reference_images", []))
        return self.entity_view(self._new(data, resolved))

    def update_entity(self, eid: str, fields: dict[str, Any], handle: str | None) -> JSON:
        item = self.entity(eid)
        if handle is not None:
            item.handle = self.claim_handle(handle, item.data["name"], keep=eid)
            if item.kind == "character":
                item.data["character_identifier"] = item.handle
        item.data.update(copy.deepcopy(fields))
        self._touch(item)
        return self.entity_view(item)

    def list_entities(self, kinds: Iterable[str] | None, limit: int, offset: int) -> list[JSON]:
        wanted = None if kinds is None else set(kinds)
        ordered = sorted(self._items.values(), key=lambda c: (c.created_ms, c.seq), reverse=True)
        chosen = [item for item in ordered if wanted is None or item.kind in wanted]
        return [self.entity_view(item) for item in chosen[offset : offset + limit]]

    def delete_entity(self, eid: str) -> None:
        self.entity(eid)
        del self._items[eid]

    def _characters(self) -> dict[str, _Character]:
        return {cid: item for cid, item in self._items.items() if item.kind == "character"}

    def next_seq(self) -> int:
        """A number from the creation sequence characters share with the library's collections and assets,
        so that listings mixing them keep creation order within one millisecond."""
        self._seq += 1
        return self._seq

    def creation_order(self) -> dict[str, int]:
        return {cid: item.seq for cid, item in self._characters().items()}

    def _get(self, cid: str) -> _Character:
        item = self._items.get(cid)
        if item is None or item.kind != "character":
            raise ApiError(404, "Character not found", error_type="not_found")
        return item

    def get(self, cid: str) -> JSON:
        return copy.deepcopy(self._get(cid).data)

    def list(self, limit: int, offset: int) -> list[JSON]:
        # Newest first, like fal's dashboard; the sequence number breaks ties within one millisecond.
        ordered = sorted(self._characters().values(), key=lambda c: (c.created_ms, c.seq), reverse=True)
        return [copy.deepcopy(c.data) for c in ordered[offset : offset + limit]]

    def update(self, cid: str, fields: dict[str, Any]) -> JSON:
        item = self._get(cid)
        item.data.update(copy.deepcopy(fields))
        self._touch(item)
        return copy.deepcopy(item.data)

    def delete(self, cid: str) -> None:
        self._get(cid)
        del self._items[cid]

    def entity_by_id(self, eid: str) -> JSON | None:
        """Any entity in the Entity shape, or None (lineage names props and styles too)."""
        item = self._items.get(eid)
        return None if item is None else self.entity_view(item)

    def _touch(self, item: _Character) -> None:
        # Strictly later than the previous write: "updated_at moved" must hold even within one millisecond.
        item.updated_ms = max(self._now_ms(), item.updated_ms + 1)
        item.data["updated_at"] = format_ms(item.updated_ms)


def fingerprint(method: str, path: str, body: bytes) -> str:
    """Identity of a write for idempotency: JSON bodies compare by meaning, not by key order or spacing."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, UnicodeDecodeError):
        canonical = body
    digest = hashlib.sha256(canonical).hexdigest()
    return f"{method} {path} {digest}"


@dataclass
class _Record:
    fingerprint: str
    reply: Reply
    stored_at: float


class IdempotencyLedger:
    """Stores the reply of each keyed write for ten minutes, as fal documents."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._records: dict[str, _Record] = {}

    def lookup(self, key: str) -> _Record | None:
        self._expire()
        return self._records.get(key)

    def store(self, key: str, print_: str, reply: Reply) -> None:
        # Re-inserted at the end, so the dict stays in storage order and _expire can stop early.
        self._records.pop(key, None)
        self._records[key] = _Record(
            print_, Reply(reply.status, list(reply.headers), reply.body), self._clock()
        )

    def _expire(self) -> None:
        # Oldest first: expiring costs what expires, not every write the fake has ever seen.
        horizon = self._clock() - IDEMPOTENCY_TTL_SECONDS
        while self._records:
            key, record = next(iter(self._records.items()))
            if record.stored_at > horizon:
                return
            del self._records[key]
