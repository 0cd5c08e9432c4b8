"""Presentation for the `fal-assets` command line: tables, key/value blocks, JSON, upload progress, and
logging that cannot leak the API key."""

from __future__ import annotations

import datetime
import json
import logging
import re
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from .._core.text import printable
from .._errors import APIStatusError

if TYPE_CHECKING:
    from fal_assets_api.models.character import Character
    from fal_assets_api.models.entity import Entity

    from .._uploads import UploadProgress

__all__ = [
    "ProgressPrinter",
    "SecretMaskingFilter",
    "character_block",
    "character_table",
    "configure_logging",
    "dumps",
    "dumps_line",
    "entity_block",
    "entity_table",
    "error_document",
    "human_size",
]


def dumps(value: Any) -> str:
    """JSON for scripts: sorted keys so that output diffs and hashes are stable across runs."""
    return json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False)


def dumps_line(value: Any) -> str:
    """JSON on one line, for messages a script reads line by line (errors on stderr)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def error_document(exc: BaseException, message: str, code: int) -> dict[str, object]:
    """What `--json` mode writes to stderr for an error: one JSON object, `{"error": {...}}`."""
    error: dict[str, object] = {"kind": type(exc).__name__, "message": message, "exit_code": code}
    if isinstance(exc, APIStatusError):
        error.update(status_code=exc.status_code, error_type=exc.error_type, request_id=exc.request_id)
    field = getattr(exc, "field", None)
    if isinstance(field, str):
        error["field"] = field
    return {"error": error}


def _when(value: datetime.datetime | None) -> str:
    if value is None:
        return "-"
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC)
    return value.strftime("%Y-%m-%d %H:%M")


def _clip(text: str, width: int) -> str:
    text = printable(" ".join(text.split()))
    return text if len(text) <= width else text[: width - 1] + "…"


def character_table(characters: Sequence[Character]) -> str:
    if not characters:
        return "no characters"
    header = ("ID", "NAME", "FAV", "REFS", "UPDATED (UTC)")
    rows = [
        (
            printable(c.id),
            _clip(c.name or "-", 40),
            "yes" if c.is_favorited else "-",
            str(len(c.reference_images or ())),
            _when(c.updated_at),
        )
        for c in characters
    ]
    return _table(header, rows)


def entity_table(entities: Sequence[Entity]) -> str:
    if not entities:
        return "no entities"
    header = ("ID", "TYPE", "HANDLE", "NAME", "FAV", "REFS", "UPDATED (UTC)")
    rows = [
        (
            printable(e.id),
            _clip(_kind(e.type_), 20),
            "@" + _clip(e.handle, 30) if e.handle else "-",
            _clip(e.name or "-", 40),
            "yes" if e.is_favorited else "-",
            str(len(e.reference_images or ())),
            _when(e.updated_at),
        )
        for e in entities
    ]
    return _table(header, rows)


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    head = "  ".join(cell.ljust(w) for cell, w in zip(header, widths, strict=True)).rstrip()
    return "\n".join([head, *lines])


def character_block(character: Character) -> str:
    def text(value: object) -> str:
        return "-" if value is None else str(value)

    asset_count = character.asset_count
    pairs: list[tuple[str, str]] = [
        ("id", character.id),
        ("name", text(character.name)),
        ("description", text(character.description)),
        ("identifier", text(character.character_identifier)),
        ("favorite", "yes" if character.is_favorited else "no"),
        ("cover_image_url", text(character.cover_image_url)),
        # Optional at fal, and null for character collections: "-" either way.
        ("asset_count", text(int(asset_count) if isinstance(asset_count, int | float) else None)),
        ("created_at", text(character.created_at and character.created_at.isoformat())),
        ("updated_at", text(character.updated_at and character.updated_at.isoformat())),
        ("reference_images", str(len(character.reference_images or ()))),
    ]
    return _block(pairs, character.reference_images or ())


def _kind(value: object) -> str:
    """An entity's type: fal's enum, or (read tolerantly) a kind this client does not know yet."""
    found = getattr(value, "value", value)
    return "-" if found is None else str(found)


def entity_block(entity: Entity) -> str:
    def text(value: object) -> str:
        return "-" if value is None else str(value)

    pairs: list[tuple[str, str]] = [
        ("id", entity.id),
        ("type", _kind(entity.type_)),
        ("handle", "@" + entity.handle if entity.handle else "-"),
        ("name", text(entity.name)),
        ("description", text(entity.description)),
        ("favorite", "yes" if entity.is_favorited else "no"),
        ("cover_image_url", text(entity.cover_image_url)),
        ("created_at", text(entity.created_at and entity.created_at.isoformat())),
        ("updated_at", text(entity.updated_at and entity.updated_at.isoformat())),
        ("reference_images", str(len(entity.reference_images or ()))),
    ]
    return _block(pairs, entity.reference_images or ())


def _block(pairs: list[tuple[str, str]], urls: Sequence[str]) -> str:
    width = max(len(key) for key, _ in pairs) + 1
    # Names, descriptions and URLs come from fal, and anyone with access to the account may write them.
    lines = [f"{key + ':':<{width}} {printable(value)}" for key, value in pairs]
    lines += [f"  {printable(url)}" for url in urls]
    return "\n".join(lines)


def human_size(count: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if count < 1024 or unit == "GiB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    raise AssertionError("unreachable")


class ProgressPrinter:
    """Renders upload progress events as one self-overwriting status line.

    The uploader calls this from its worker threads, hence the lock; redraws are throttled so that a
    fast loopback upload of many small files does not spend its time writing to the terminal.
    """

    def __init__(self, stream: TextIO, *, total_files: int | None = None, interval: float = 0.1) -> None:
        self._stream = stream
        self._total_files = total_files
        self._interval = interval
        self._lock = threading.Lock()
        # input -> (bytes sent, total bytes, done, failed)
        self._files: dict[object, tuple[int, int, bool, bool]] = {}
        self._started = time.monotonic()
        self._last_draw = 0.0
        self._width = 0

    def __call__(self, event: UploadProgress) -> None:
        with self._lock:
            key = _identity(event.input)
            if self._files.get(key, (0, 0, False, False))[2]:
                return  # an input's last event is final: nothing that arrives later moves it back
            failed = event.done and event.error is not None
            self._files[key] = (event.bytes_sent, event.total_bytes, event.done, failed)
            now = time.monotonic()
            if event.done or now - self._last_draw >= self._interval:
                self._last_draw = now
                self._draw(self.status_line(now))

    def status_line(self, now: float | None = None) -> str:
        now = time.monotonic() if now is None else now
        sent = sum(f[0] for f in self._files.values())
        total = sum(f[1] for f in self._files.values())
        # Only what was uploaded counts as done: a failed or cancelled (Ctrl-C) input is not.
        done = sum(1 for f in self._files.values() if f[2] and not f[3])
        failed = sum(1 for f in self._files.values() if f[3])
        # Inputs of a folder are only known once their first event arrives, so the total can grow.
        files = max(self._total_files or 0, len(self._files))
        elapsed = max(now - self._started, 1e-6)
        return (
            f"uploading: {done}/{files} files"
            + (f" ({failed} failed or cancelled)" if failed else "")
            + f", {human_size(sent)}/{human_size(total)}, {human_size(sent / elapsed)}/s"
        )

    def _draw(self, line: str) -> None:
        padding = " " * max(self._width - len(line), 0)
        self._width = len(line)
        self._stream.write("\r" + line + padding)
        self._stream.flush()

    def finish(self) -> None:
        """End the status line so that what follows starts on a fresh line."""
        with self._lock:
            if self._files:
                self._draw(self.status_line())
                self._stream.write("\n")
                self._stream.flush()


def _identity(value: object) -> object:
    # By value where possible: a folder's files may be reported by equal but distinct path objects.
    # Unhashable inputs (bytearray) are alive for the whole batch, so their id() is stable.
    try:
        hash(value)
    except TypeError:
        return ("id", id(value))
    return ("value", value)


# `Key <secret>` is fal's scheme, `Bearer <token>` the CDN's; quoted forms cover reprs of header dicts.
_AUTH_VALUE = re.compile(r"\b(Key|Bearer|Basic)(\s+|'\s*,\s*')([^\s'\",}\]]+)", re.IGNORECASE)


class SecretMaskingFilter(logging.Filter):
    """Defence in depth: the library never logs credentials, but third-party loggers (httpx, httpcore)
    at DEBUG may, so every record is scrubbed before it is formatted onto stderr."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        # Longest first, so that `id:secret` is masked whole before `secret` alone could match inside it.
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def mask(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return _AUTH_VALUE.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = self.mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        return True


def configure_logging(verbosity: int, secrets: Iterable[str], stream: TextIO | None = None) -> None:
    """-v: this library at DEBUG and httpx's request lines; -vv: also httpcore's connection-level trace."""
    if verbosity <= 0:
        return
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretMaskingFilter(secrets))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("fal_assets").setLevel(logging.DEBUG)
    logging.getLogger("httpx").setLevel(logging.DEBUG)
    logging.getLogger("httpcore").setLevel(logging.DEBUG if verbosity >= 2 else logging.INFO)
