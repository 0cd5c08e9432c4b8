"""`characters.lock`: what `apply` last made of each managed character, beside the manifest.

JSON, sorted and indented so that it diffs well under review::

    {
      "version": 1,
      "characters": {
        "alice": {
          "id": "d7tatpsregjaga2cf3d0",
          "updated_at": "2026-05-23T20:00:00+00:00",
          "references": [{"source": "sha256:9f86d0...", "url": "https://v3b.fal.media/files/..."}],
          "cover": {"source": "sha256:2c26b4...", "url": "https://v3b.fal.media/files/..."}
        }
      }
    }

Props, environments, styles and scenes sit beside them under `"entities"`, keyed by handle, each with its
`"type"` (the same fields otherwise); a lock without them is read as it always was.

`source` is `sha256:<hex>` for local content and the ID or URL as written in the manifest otherwise; `url`
is what fal answered for it. "Managed" means listed here. A top-level `"uploads": {"sha256:<hex>": url}`
appears only between an upload and the write that uses it (an interrupted apply): content fal already has,
so that the rerun does not send it again. The file is replaced atomically (temporary file,
fsync, `os.replace`), so an interrupted `apply` leaves either the previous or the next version, never half.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._errors import ValidationError

__all__ = ["LOCK_VERSION", "Lock", "LockEntry", "LockedImage"]

LOCK_VERSION = 1
_ENTITY_KINDS = ("prop", "environment", "style", "scene")  # _manifest.ENTITY_KINDS (no import: no cycle)


@dataclass(frozen=True)
class LockedImage:
    source: str
    url: str


@dataclass(frozen=True)
class LockEntry:
    id: str
    updated_at: str
    references: tuple[LockedImage, ...]
    cover: LockedImage | None
    kind: str = "character"


class Lock:
    """The lock file's contents; `record`/`forget` rewrite the file at once (thread-safe)."""

    def __init__(
        self, path: Path, entries: dict[str, LockEntry] | None = None, *, original: str | None = None
    ) -> None:
        self.path = path
        self.entries: dict[str, LockEntry] = dict(entries or {})
        self.original = original  # the file's text when read (None: there was no file)
        self.uploads: dict[str, str] = {}  # uploaded, not yet recorded under a character
        self._guard = threading.Lock()

    @classmethod
    def read(cls, path: Path) -> Lock:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except OSError as exc:
            raise ValidationError(f"{path}: cannot read lock file: {exc.strerror or exc}") from None
        try:
            data = json.loads(text)
            if data.get("version") != LOCK_VERSION:
                raise ValueError(f"unsupported version {data.get('version')!r} (expected {LOCK_VERSION})")
            entries = {str(name): _entry(raw) for name, raw in data["characters"].items()}
            for name, raw in data.get("entities", {}).items():
                if raw.get("type") not in _ENTITY_KINDS:
                    raise ValueError(f"entity {name!r}: unknown type {raw.get('type')!r}")
                entries[str(name)] = _entry(raw, str(raw["type"]))
            uploads = {str(k): str(v) for k, v in data.get("uploads", {}).items()}
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValidationError(f"{path}: not a valid lock file: {exc}") from None
        lock = cls(path, entries, original=text)
        lock.uploads = uploads
        return lock

    def changed_on_disk(self) -> bool:
        """Whether the file differs from what was read: another apply ran, or this plan was applied."""
        try:
            return self.path.read_text(encoding="utf-8") != self.original
        except FileNotFoundError:
            return self.original is not None

    def urls(self) -> dict[str, str]:
        """What each source became, across every managed character: content fal already has."""
        known: dict[str, str] = dict(self.uploads)
        for entry in self.entries.values():
            for image in (*entry.references, *([entry.cover] if entry.cover else [])):
                known[image.source] = image.url
        return known

    def remember_uploads(self, urls: dict[str, str]) -> None:
        with self._guard:
            self.uploads.update(urls)
            self._write()

    def record(self, identifier: str, entry: LockEntry) -> None:
        with self._guard:
            self.entries[identifier] = entry
            self._write()

    def forget(self, identifier: str) -> None:
        with self._guard:
            if self.entries.pop(identifier, None) is not None:
                self._write()

    def to_dict(self) -> dict[str, Any]:
        attached = {
            i.source for e in self.entries.values() for i in (*e.references, *([e.cover] if e.cover else []))
        }
        pending = {key: url for key, url in sorted(self.uploads.items()) if key not in attached}
        ordered = sorted(self.entries.items())
        entities = {name: {"type": e.kind, **_entry_dict(e)} for name, e in ordered if e.kind != "character"}
        return {
            **({"uploads": pending} if pending else {}),
            **({"entities": entities} if entities else {}),
            "version": LOCK_VERSION,
            "characters": {name: _entry_dict(e) for name, e in ordered if e.kind == "character"},
        }

    def _write(self) -> None:
        text = json.dumps(self.to_dict(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
        fd, temp = tempfile.mkstemp(prefix=".characters.lock.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise


def _entry_dict(e: LockEntry) -> dict[str, Any]:
    return {
        "id": e.id,
        "updated_at": e.updated_at,
        "references": [_image_dict(i) for i in e.references],
        "cover": None if e.cover is None else _image_dict(e.cover),
    }


def _image_dict(image: LockedImage) -> dict[str, str]:
    return {"source": image.source, "url": image.url}


def _image(raw: Any) -> LockedImage:
    return LockedImage(source=str(raw["source"]), url=str(raw["url"]))


def _entry(raw: Any, kind: str = "character") -> LockEntry:
    cover = raw.get("cover")
    return LockEntry(
        id=str(raw["id"]),
        updated_at=str(raw.get("updated_at", "")),
        references=tuple(_image(i) for i in raw["references"]),
        cover=None if cover is None else _image(cover),
        kind=kind,
    )
