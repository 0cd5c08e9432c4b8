"""The character store and the Idempotency-Key ledger. Callers hold the fake's lock around every call."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._common import JSON, ApiError, Reply, format_ms, new_character_id

IDEMPOTENCY_TTL_SECONDS = 600.0


@dataclass
class _Character:
    data: JSON
    created_ms: int
    updated_ms: int
    seq: int


class CharacterStore:
    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._items: dict[str, _Character] = {}
        self._seq = 0

    def _now_ms(self) -> int:
        return int(self._clock() * 1000)

    def snapshot(self) -> dict[str, JSON]:
        return {cid: copy.deepcopy(item.data) for cid, item in self._items.items()}

    def create(self, fields: dict[str, Any]) -> JSON:
        now = self._now_ms()
        cid = new_character_id()
        while cid in self._items:
            cid = new_character_id()
        data: JSON = {
            "id": cid,
            "type": "character",
            "name": fields["name"],
            "description": fields.get("description"),
            "icon": fields.get("icon"),
            "color": fields.get("color"),
            "cover_image_url": fields.get("cover_image_url"),
            "character_identifier": fields.get("character_identifier"),
            "is_favorited": bool(fields.get("is_favorited", False)),
            "created_at": format_ms(now),
            "updated_at": format_ms(now),
            "asset_count": fields.get("asset_count"),
            "reference_images": list(fields.get("reference_images", [])),
            "parent_collection_id": fields.get("parent_collection_id"),
        }
        self._seq += 1
        self._items[cid] = _Character(data, now, now, self._seq)
        return copy.deepcopy(data)

    def next_seq(self) -> int:
        """A number from the creation sequence characters share with the library's collections and assets,
        so that listings mixing them keep creation order within one millisecond."""
        self._seq += 1
        return self._seq

    def creation_order(self) -> dict[str, int]:
        return {cid: item.seq for cid, item in self._items.items()}

    def _get(self, cid: str) -> _Character:
        item = self._items.get(cid)
        if item is None:
            raise ApiError(404, "Character not found", error_type="not_found")
        return item

    def get(self, cid: str) -> JSON:
        return copy.deepcopy(self._get(cid).data)

    def list(self, limit: int, offset: int) -> list[JSON]:
        # Newest first, like fal's dashboard; the sequence number breaks ties within one millisecond.
        ordered = sorted(self._items.values(), key=lambda c: (c.created_ms, c.seq), reverse=True)
        return [copy.deepcopy(c.data) for c in ordered[offset : offset + limit]]

    def update(self, cid: str, fields: dict[str, Any]) -> JSON:
        item = self._get(cid)
        item.data.update(copy.deepcopy(fields))
        self._touch(item)
        return copy.deepcopy(item.data)

    def delete(self, cid: str) -> None:
        self._get(cid)
        del self._items[cid]

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
