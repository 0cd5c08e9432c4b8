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
`"type"` (the same fields otherwise); a lock without them reads as it always did.

`source` is `sha256:<hex>` for local content and the ID or URL as written in the manifest otherwise; `url`
is what fal answered for it. "Managed" means listed here. A top-level `"uploads": {"sha256:<hex>": url}`
appears only between an upload and the write that uses it (an interrupted apply).

The lock arrives in pull requests, so it is read with a strict schema (`lock_schema.py`) and never
trusted: `plan.py` checks what it claims against fal. While `apply` runs, each completed character is
appended to a journal (`.characters.lock.journal`, one JSON line, flushed), and the lock is rewritten once at
the end (temporary file, fsync, `os.replace`): O(total) work, and a kill at any point leaves the previous
lock plus a journal, which every later read replays and the next `apply` folds in.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._core.text import printable
from .lock_schema import LockedImage as LockedImage
from .lock_schema import LockEntry as LockEntry
from .lock_schema import LockError, parse_journal, parse_lock

__all__ = ["LOCK_VERSION", "Lock", "LockEntry", "LockError", "LockedImage", "temp_prefix"]

LOCK_VERSION = 1
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def temp_prefix(lock_path: Path) -> str:
    """Temporary lock files are named after the lock (so after the manifest): `.characters.lock.tmp-…`."""
    return f".{lock_path.name}.tmp-"


@dataclass(frozen=True)
class _Snapshot:
    lock: bytes | None
    journal: bytes | None


class Lock:
    """The lock file's contents; `record`/`forget`/`remember_uploads` append to the journal at once
    (thread-safe), `compact` rewrites the lock from memory and removes the journal."""

    def __init__(self, path: Path, entries: dict[str, LockEntry] | None = None) -> None:
        self.path = path
        self.entries: dict[str, LockEntry] = dict(entries or {})
        self.uploads: dict[str, str] = {}  # uploaded, not yet recorded under a character
        self._original = _Snapshot(None, None)
        self._guard = threading.Lock()
        self._journal: int | None = None
        self._dirty = False  # changed since read or written: `compact` has something to write
        self.applied = False  # a plan's lock: set when `apply` starts, so a plan is applied once

    @property
    def journal_path(self) -> Path:
        return self.path.parent / f".{self.path.name}.journal"

    @classmethod
    def read(cls, path: Path) -> Lock:
        """The lock and its journal, checked by the strict schema: a bad file is a `LockError` naming it."""
        lock = cls(path)
        snapshot = lock._snapshot()
        if snapshot.lock is not None:
            lock.entries, lock.uploads = parse_lock(snapshot.lock, path)
        if snapshot.journal is not None:
            parse_journal(snapshot.journal, lock.journal_path, lock.entries, lock.uploads)
        lock._original = snapshot
        lock._dirty = snapshot.journal is not None
        return lock

    def _snapshot(self) -> _Snapshot:
        return _Snapshot(_read_capped(self.path), _read_capped(self.journal_path))

    def changed_on_disk(self) -> bool:
        """Whether the files differ from what was read: another apply ran, or this plan was applied."""
        return self._snapshot() != self._original

    def urls(self) -> dict[str, str]:
        """What each source became, as the lock claims it: to be checked before it is used."""
        known: dict[str, str] = dict(self.uploads)
        for entry in self.entries.values():
            for image in (*entry.references, *([entry.cover] if entry.cover else [])):
                known[image.source] = image.url
        return known

    def remember_uploads(self, urls: dict[str, str]) -> None:
        with self._guard:
            self.uploads.update(urls)
            self._append({"uploads": dict(urls)})

    def record(self, identifier: str, entry: LockEntry) -> None:
        with self._guard:
            self.entries[identifier] = entry
            self._append({"record": identifier, "entry": entry.to_dict()})

    def forget(self, identifier: str) -> None:
        with self._guard:
            if self.entries.pop(identifier, None) is not None:
                self._append({"forget": identifier})

    def to_dict(self) -> dict[str, Any]:
        attached = {
            i.source for e in self.entries.values() for i in (*e.references, *([e.cover] if e.cover else []))
        }
        pending = {key: url for key, url in sorted(self.uploads.items()) if key not in attached}
        ordered = sorted(self.entries.items())
        entities = {name: e.to_dict() for name, e in ordered if e.kind != "character"}
        return {
            **({"uploads": pending} if pending else {}),
            **({"entities": entities} if entities else {}),
            "version": LOCK_VERSION,
            "characters": {name: e.to_dict() for name, e in ordered if e.kind == "character"},
        }

    def compact(self) -> None:
        """Write the whole lock (atomically) and drop the journal it now contains."""
        with self._guard:
            self._close_journal()
            if not self._dirty:
                return
            self._dirty = False
            if self._original.lock is None and not self.entries and not self.uploads:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.journal_path)
                self._original = self._snapshot()
                return
            text = json.dumps(self.to_dict(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
            _replace(self.path, text.encode("utf-8"))
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.journal_path)
            self._original = self._snapshot()

    def _append(self, record: dict[str, Any]) -> None:
        # One line per change, in one write(): once it returns, a kill -9 cannot lose it (the kernel has
        # it), and a kill during it leaves a line without its newline, which the next read ignores. No
        # fsync per line: after a power cut a lost line costs nothing either, since the rerun finds that
        # character on fal by its identifier; the lock itself is fsynced when it is rewritten.
        self._dirty = True
        line = (json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
        if self._journal is None:
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
            self._journal = os.open(self.journal_path, flags, 0o644)
            if os.fstat(self._journal).st_size:
                os.write(self._journal, b"\n")  # after a torn line of an earlier run: start a fresh one
        os.write(self._journal, line)

    def _close_journal(self) -> None:
        if self._journal is not None:
            os.close(self._journal)
            self._journal = None


def _read_capped(path: Path) -> bytes | None:
    from .lock_schema import MAX_LOCK_BYTES

    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        reason = "it is a symbolic link" if path.is_symlink() else (exc.strerror or str(exc))
        raise LockError(f"{printable(path)}: cannot read lock file: {reason}") from None
    try:
        with os.fdopen(fd, "rb") as stream:
            data = stream.read(MAX_LOCK_BYTES + 1)
    except OSError as exc:  # a folder where the lock should be, an I/O error
        raise LockError(f"{printable(path)}: cannot read lock file: {exc.strerror or exc}") from None
    if len(data) > MAX_LOCK_BYTES:
        raise LockError(f"{printable(path)}: lock file larger than {MAX_LOCK_BYTES // (1024 * 1024)} MiB")
    return data


def _replace(path: Path, data: bytes) -> None:
    import tempfile

    fd, temp = tempfile.mkstemp(prefix=temp_prefix(path), dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
