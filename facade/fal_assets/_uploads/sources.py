"""Reading upload inputs: hashing, naming, content types, and byte ranges streamed in chunks.

Shared by the sync and async uploaders; everything here is blocking I/O that the async uploader runs in
worker threads. Nothing ever holds a whole file in memory: files are hashed and sent in `CHUNK_SIZE`
pieces, each request (a single upload or one multipart part) reading its own range with `os.pread`.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import stat
import tempfile
from dataclasses import dataclass
from urllib.parse import quote

from .._errors import SourceChangedError, ValidationError
from .readers import (
    CHUNK_SIZE,
    OPEN_FLAGS,
    FileReader,
    MemoryReader,
    ObjectReader,
    RangeReader,
    Reader,
    SpoolReader,
    file_identity,
)
from .references import FileObject, LocalFile, MemoryBytes, UploadSource

__all__ = [
    "CHUNK_SIZE",
    "PreparedSource",
    "RangeReader",
    "Reader",
    "SourceChangedError",
    "content_type_for",
    "identity_key",
    "prepare_source",
    "sniff_content_type",
]

_SNIFF_BYTES = 16
_EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp", "image/gif": ".gif"}
# Printable ASCII that needs no escaping in a header value; everything else (non-ASCII names, "%", "/")
# is percent-encoded so that any file name survives as an `X-Fal-File-Name` header.
_HEADER_SAFE = " !#$&'()*+,-.;=@[]^_`{}~"


@dataclass(frozen=True, eq=False)
class PreparedSource:
    """An input ready to upload: its content hash, size, type and name are known, nothing is sent yet."""

    sha256: str
    size: int
    content_type: str
    file_name: str
    reader: Reader

    @property
    def header_name(self) -> str:
        return quote(self.file_name, safe=_HEADER_SAFE)


# -- content type and names -------------------------------------------------------------------------------


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
        guessed, _ = mimetypes.guess_type(name, strict=False)
        if guessed:
            return guessed
    return sniff_content_type(head) or "application/octet-stream"


def _derived_name(sha256: str, content_type: str) -> str:
    extension = _EXTENSIONS.get(content_type) or mimetypes.guess_extension(content_type) or ".bin"
    return f"upload-{sha256[:8]}{extension}"


def _object_name(stream: object) -> str | None:
    name = getattr(stream, "name", None)
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    if not isinstance(name, str):
        return None  # e.g. an int: the file descriptor of os.fdopen()
    base = os.path.basename(name)
    return None if not base or base.startswith("<") else base


# -- preparation: one pass over the content ---------------------------------------------------------------


def identity_key(source: UploadSource) -> tuple[object, ...]:
    """Inputs with equal keys are the same content for sure and are hashed only once."""
    if isinstance(source, LocalFile):
        try:
            info = os.stat(source.path)
        except OSError as exc:
            raise ValidationError(
                f"{source.field}: {source.path!r}: {exc.strerror}", field=source.field
            ) from None
        return ("file", info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
    if isinstance(source, FileObject):
        return ("object", id(source.stream))
    return ("memory", id(source.input))


def prepare_source(source: UploadSource) -> PreparedSource:
    """Hash the input and settle its name and type; raises `ValidationError` for an input that cannot be
    read (nothing has been uploaded at this point)."""
    if isinstance(source, LocalFile):
        return _prepare_file(source)
    if isinstance(source, MemoryBytes):
        return _prepare_memory(source)
    if source.start is not None and source.size is not None:
        return _prepare_seekable(source, source.start, source.size)
    return _prepare_spooled(source)


def _prepare_file(source: LocalFile) -> PreparedSource:
    field = source.field
    try:
        fd = os.open(source.path, OPEN_FLAGS)
    except OSError as exc:
        raise ValidationError(
            f"{field}: {source.path!r} cannot be opened: {exc.strerror}", field=field
        ) from None
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode) or before.st_size == 0:
            raise ValidationError(
                f"{field}: {source.path!r} is no longer a non-empty regular file", field=field
            )
        sha = hashlib.sha256()
        head = b""
        while chunk := os.read(fd, CHUNK_SIZE):
            head = head or chunk[:_SNIFF_BYTES]
            sha.update(chunk)
        after = os.fstat(fd)
    except OSError as exc:
        raise ValidationError(
            f"{field}: {source.path!r} cannot be read: {exc.strerror}", field=field
        ) from None
    finally:
        os.close(fd)
    identity = file_identity(before)
    if file_identity(after) != identity:
        raise ValidationError(f"{field}: {source.path!r} changed while it was being read", field=field)
    name = os.path.basename(source.path)
    return PreparedSource(
        sha256=sha.hexdigest(),
        size=before.st_size,
        content_type=content_type_for(name, head),
        file_name=name,
        reader=FileReader(source.path, identity),
    )


def _prepare_memory(source: MemoryBytes) -> PreparedSource:
    digest = hashlib.sha256(source.data).hexdigest()
    content_type = content_type_for(None, bytes(source.data[:_SNIFF_BYTES]))
    return PreparedSource(
        sha256=digest,
        size=source.data.nbytes,
        content_type=content_type,
        file_name=_derived_name(digest, content_type),
        reader=MemoryReader(source.data),
    )


def _prepare_seekable(source: FileObject, start: int, size: int) -> PreparedSource:
    reader = ObjectReader(source.stream, start, size)
    sha = hashlib.sha256()
    head = b""
    try:
        chunks = reader.open_range(0, size)
        while (chunk := chunks.read_chunk()) is not None:
            head = head or chunk[:_SNIFF_BYTES]
            sha.update(chunk)
    except (SourceChangedError, OSError, ValueError) as exc:
        raise ValidationError(
            f"{source.field}: file object cannot be read: {exc}", field=source.field
        ) from None
    return _named(source, sha.hexdigest(), size, head, reader)


def _prepare_spooled(source: FileObject) -> PreparedSource:
    """A stream that cannot seek is copied to an unlinked temporary file (disk, not memory) while hashing:
    its size must be known before sending, and a retry must be able to read it again."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - owned by the reader, closed with it
    sha = hashlib.sha256()
    head = b""
    size = 0
    try:
        while True:
            chunk = source.stream.read(CHUNK_SIZE)
            if not chunk:
                break
            if not isinstance(chunk, bytes | bytearray | memoryview):
                raise ValidationError(f"{source.field}: file object did not return bytes", field=source.field)
            head = head or bytes(chunk[:_SNIFF_BYTES])
            sha.update(chunk)
            spool.write(chunk)
            size += len(chunk)
        spool.flush()
    except OSError as exc:
        spool.close()
        raise ValidationError(
            f"{source.field}: file object cannot be read: {exc}", field=source.field
        ) from None
    except BaseException:
        spool.close()
        raise
    if size == 0:
        spool.close()
        raise ValidationError(f"{source.field}: file object has no bytes left to read", field=source.field)
    return _named(source, sha.hexdigest(), size, head, SpoolReader(spool))


def _named(source: FileObject, digest: str, size: int, head: bytes, reader: Reader) -> PreparedSource:
    name = _object_name(source.stream)
    content_type = content_type_for(name, head)
    return PreparedSource(
        sha256=digest,
        size=size,
        content_type=content_type,
        file_name=name or _derived_name(digest, content_type),
        reader=reader,
    )
