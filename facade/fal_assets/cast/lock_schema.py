"""The lock's strict schema: a lock from a pull request is data to check, not to believe.

Types, the version, a size cap, duplicate keys, the identifiers, ids and URLs are all checked; a bad lock
is a `LockError` (a `ValidationError`: exit 2) naming the file and the problem, before any request.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._core import validation as check
from .._core.text import fold, printable, unsafe_character
from .._errors import ValidationError

__all__ = ["MAX_LOCK_BYTES", "LockEntry", "LockError", "LockedImage", "parse_journal", "parse_lock"]

# 4,000 characters of 20 references each are about 3 MiB of lock.
MAX_LOCK_BYTES = 32 * 1024 * 1024
_MAX_TEXT = 4096  # a source (ID or URL as written) or a fal URL
_ENTRY_KEYS = frozenset({"id", "updated_at", "references", "cover"})
_TOP_KEYS = frozenset({"version", "characters", "entities", "uploads"})
# Props, environments, styles and scenes: under "entities", each with its "type" (manifest.ENTITY_KINDS).
ENTITY_KINDS = ("prop", "environment", "style", "scene")
_SHA_KEY = re.compile(r"sha256:[0-9a-f]{64}")
_URL = re.compile(r"https?://[^\s]+")


class LockError(ValidationError):
    """A lock (or its journal) that is not what `apply` writes: refused, never coerced."""


@dataclass(frozen=True)
class LockedImage:
    source: str
    url: str

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "url": self.url}


@dataclass(frozen=True)
class LockEntry:
    id: str
    updated_at: str
    references: tuple[LockedImage, ...]
    cover: LockedImage | None
    kind: str = "character"

    def to_dict(self) -> dict[str, Any]:
        return {
            **({"type": self.kind} if self.kind != "character" else {}),
            "id": self.id,
            "updated_at": self.updated_at,
            "references": [i.to_dict() for i in self.references],
            "cover": None if self.cover is None else self.cover.to_dict(),
        }


class _Bad(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _Bad(f"duplicate key {key!r}")
        found[key] = value
    return found


def _json(text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except RecursionError:
        raise _Bad("nested too deeply") from None
    except ValueError as exc:
        raise _Bad(f"not JSON: {exc}") from None


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Bad(f"not UTF-8 text: {exc.reason} at byte {exc.start}") from None


def parse_lock(data: bytes, path: Path) -> tuple[dict[str, LockEntry], dict[str, str]]:
    try:
        raw = _json(_decode(data))
        if not isinstance(raw, dict):
            raise _Bad("the top level must be an object")
        unknown = sorted(set(raw) - _TOP_KEYS)
        if unknown:
            raise _Bad(f"unknown key(s) {', '.join(map(repr, unknown))}")
        version = raw.get("version")
        if type(version) is not int or version != 1:
            raise _Bad(f"unsupported version {version!r} (expected 1)")
        characters = raw.get("characters")
        if not isinstance(characters, dict):
            raise _Bad("'characters' must be an object")
        entries: dict[str, LockEntry] = {}
        folded: dict[str, str] = {}
        for name, value in characters.items():
            _add_entry(entries, folded, name, value)
            if entries[name].kind != "character":
                raise _Bad(f"character {name!r}: a {entries[name].kind} belongs under 'entities'")
        entities = raw.get("entities", {})
        if not isinstance(entities, dict):
            raise _Bad("'entities' must be an object")
        for name, value in entities.items():
            _add_entry(entries, folded, name, value)
            if entries[name].kind == "character":
                raise _Bad(f"entity {name!r}: 'type' must be one of {', '.join(ENTITY_KINDS)}")
        uploads = _uploads(raw.get("uploads", {}))
    except _Bad as exc:
        raise LockError(f"{printable(path)}: not a valid lock file: {printable(exc)}") from None
    return entries, uploads


def parse_journal(data: bytes, path: Path, entries: dict[str, LockEntry], uploads: dict[str, str]) -> None:
    """Replay a journal into `entries` and `uploads`. A last line without its newline was cut by a kill
    mid-write and is ignored; any other bad line refuses the journal."""
    lines = data.split(b"\n")
    complete = lines[:-1]  # the text after the last newline, if any, is a torn write
    folded = {fold(name): name for name in entries}
    for number, line in enumerate(complete, start=1):
        if not line.strip():
            continue
        try:
            record = _json(_decode(line))
            if not isinstance(record, dict):
                raise _Bad("a line must be an object")
            if set(record) == {"record", "entry"}:
                _forget(entries, folded, record["record"])
                _add_entry(entries, folded, record["record"], record["entry"])
            elif set(record) == {"forget"}:
                _forget(entries, folded, record["forget"])
            elif set(record) == {"uploads"}:
                uploads.update(_uploads(record["uploads"]))
            else:
                raise _Bad(f"unknown record with keys {sorted(record)}")
        except _Bad as exc:
            raise LockError(
                f"{printable(path)}: line {number}: not a valid lock journal: {printable(exc)}"
            ) from None


def _add_entry(entries: dict[str, LockEntry], folded: dict[str, str], name: object, value: object) -> None:
    identifier = _identifier(name)
    key = fold(identifier)
    if key in folded:
        raise _Bad(f"{identifier!r} and {folded[key]!r} are the same identifier")
    folded[key] = identifier
    entries[identifier] = _entry(identifier, value)


def _forget(entries: dict[str, LockEntry], folded: dict[str, str], name: object) -> None:
    identifier = _identifier(name)
    if entries.pop(identifier, None) is not None:
        del folded[fold(identifier)]


def _identifier(value: object) -> str:
    from .manifest import checked_identifier

    try:
        return checked_identifier(value, "identifier")
    except ValidationError as exc:
        raise _Bad(f"character {value!r}: {exc}") from None


def _entry(name: str, raw: object) -> LockEntry:
    where = f"character {name!r}"
    if not isinstance(raw, dict):
        raise _Bad(f"{where} must be an object")
    unknown = sorted(set(raw) - _ENTRY_KEYS - {"type"})
    if unknown or "id" not in raw or "references" not in raw:
        raise _Bad(f"{where}: expected keys {sorted(_ENTRY_KEYS)}, got {sorted(raw)}")
    kind = raw.get("type", "character")
    if kind not in ENTITY_KINDS and "type" in raw:
        raise _Bad(
            f"{where}: type must be one of {', '.join(ENTITY_KINDS)}, got {printable(repr(kind))[:40]}"
        )
    try:
        cid = check.character_id(raw["id"])
    except ValidationError as exc:
        raise _Bad(f"{where}: id: {exc}") from None
    updated_at = raw.get("updated_at", "")
    if not isinstance(updated_at, str) or len(updated_at) > 64 or unsafe_character(updated_at):
        raise _Bad(f"{where}: updated_at must be a timestamp string")
    references = raw["references"]
    if not isinstance(references, list) or len(references) > (check.REFERENCE_COUNT.max or 20):
        raise _Bad(f"{where}: references must be a list of at most {check.REFERENCE_COUNT.max} images")
    cover = raw.get("cover")
    return LockEntry(
        id=cid,
        updated_at=updated_at,
        references=tuple(_image(f"{where}: references[{i}]", r) for i, r in enumerate(references)),
        cover=None if cover is None else _image(f"{where}: cover", cover),
        kind=str(kind),
    )


def _image(where: str, raw: object) -> LockedImage:
    if not isinstance(raw, dict) or set(raw) != {"source", "url"}:
        raise _Bad(f"{where} must be an object with exactly 'source' and 'url'")
    source, url = raw["source"], raw["url"]
    if not isinstance(source, str) or not source or len(source) > _MAX_TEXT or unsafe_character(source):
        raise _Bad(f"{where}: source must be a non-empty string")
    return LockedImage(source, _url(where, url))


def _url(where: str, url: object) -> str:
    if not isinstance(url, str) or len(url) > _MAX_TEXT or not _URL.fullmatch(url) or unsafe_character(url):
        raise _Bad(f"{where}: url must be an http(s) URL string, got {printable(repr(url))[:80]}")
    return url


def _uploads(raw: object) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise _Bad("'uploads' must be an object")
    found: dict[str, str] = {}
    for key, url in raw.items():
        if not _SHA_KEY.fullmatch(key):
            raise _Bad(f"uploads: {printable(repr(key))[:80]} is not a sha256:<hex> key")
        found[key] = _url(f"uploads[{key[:15]}…]", url)
    return found
