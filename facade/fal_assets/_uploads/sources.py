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
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Protocol
from urllib.parse import quote

from .._errors import SourceChangedError, ValidationError
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

CHUNK_SIZE = 1024 * 1024
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
_SNIFF_BYTES = 16
_EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp", "image/gif": ".gif"}
# Printable ASCII that needs no escaping in a header value; everything else (non-ASCII names, "%", "/")
# is percent-encoded so that any file name survives as an `X-Fal-File-Name` header.
_HEADER_SAFE = " !#$&'()*+,-.;=@[]^_`{}~"


class RangeReader(Protocol):
    def read_chunk(self) -> bytes | None:
        """The next chunk of the range, or None at its end (after checking the source did not change)."""
        ...

    def close(self) -> None: ...


class Reader(Protocol):
    """Byte ranges of one input; ranges may be read concurrently (multipart parts)."""

    @property
    def blocking(self) -> bool:
        """Whether reads touch the disk (the async uploader then reads in a worker thread)."""
        ...

    def open_range(self, offset: int, length: int) -> RangeReader: ...

    def close(self) -> None: ...


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
        fd = os.open(source.path, _OPEN_FLAGS)
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
    identity = _identity(before)
    if _identity(after) != identity:
        raise ValidationError(f"{field}: {source.path!r} changed while it was being read", field=field)
    name = os.path.basename(source.path)
    return PreparedSource(
        sha256=sha.hexdigest(),
        size=before.st_size,
        content_type=content_type_for(name, head),
        file_name=name,
        reader=_FileReader(source.path, identity),
    )


def _prepare_memory(source: MemoryBytes) -> PreparedSource:
    digest = hashlib.sha256(source.data).hexdigest()
    content_type = content_type_for(None, bytes(source.data[:_SNIFF_BYTES]))
    return PreparedSource(
        sha256=digest,
        size=source.data.nbytes,
        content_type=content_type,
        file_name=_derived_name(digest, content_type),
        reader=_MemoryReader(source.data),
    )


def _prepare_seekable(source: FileObject, start: int, size: int) -> PreparedSource:
    reader = _ObjectReader(source.stream, start, size)
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
    return _named(source, sha.hexdigest(), size, head, _SpoolReader(spool))


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


def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


# -- readers ----------------------------------------------------------------------------------------------


class _FdRange:
    """`length` bytes from `offset` of a descriptor, via pread so that parallel ranges never share a file
    position. `check` (called at the end) raises if the source changed meanwhile."""

    def __init__(
        self,
        fd: int,
        offset: int,
        length: int,
        *,
        owns_fd: bool,
        check: Callable[[], None] | None = None,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self._closed = True  # until fully built, so that __del__ after a failed __init__ is a no-op
        self._fd = fd
        self._position = offset
        self._remaining = length
        self._owns_fd = owns_fd
        self._check = check
        self._on_close = on_close
        self._closed = False

    def read_chunk(self) -> bytes | None:
        if self._remaining == 0:
            if self._check is not None:
                self._check()
            return None
        data = os.pread(self._fd, min(CHUNK_SIZE, self._remaining), self._position)
        if not data:
            raise SourceChangedError("the file shrank while it was being uploaded")
        self._position += len(data)
        self._remaining -= len(data)
        return data

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._owns_fd:
            os.close(self._fd)
        if self._on_close is not None:
            self._on_close()

    def __del__(self) -> None:
        # An abandoned request body (connection dropped mid-send) must not leak its descriptor.
        self.close()


class _FileReader:
    """Each range opens the file anew, so a batch of many files holds only as many descriptors as there
    are requests in flight, and each open re-checks that the file is still the one that was hashed."""

    blocking = True

    def __init__(self, path: str, identity: tuple[int, int, int, int]) -> None:
        self._path = path
        self._identity = identity

    def open_range(self, offset: int, length: int) -> RangeReader:
        try:
            fd = os.open(self._path, _OPEN_FLAGS)
        except OSError as exc:
            raise SourceChangedError(f"the file cannot be opened any more: {exc.strerror}") from None
        try:
            self._verify(fd)
        except BaseException:
            os.close(fd)
            raise
        return _FdRange(fd, offset, length, owns_fd=True, check=lambda: self._verify(fd))

    def _verify(self, fd: int) -> None:
        if _identity(os.fstat(fd)) != self._identity:
            raise SourceChangedError(
                "the file changed (size or modification time) after it was hashed; nothing consistent could "
                "be uploaded"
            )

    def close(self) -> None:
        pass


class _SpoolReader:
    """Reads the temporary copy of an unseekable stream; the copy is closed once the batch is over and no
    range is still being read (a request abandoned by an interrupt may still be reading)."""

    blocking = True

    def __init__(self, spool: IO[bytes]) -> None:
        self._spool = spool
        self._lock = threading.Lock()
        self._open_ranges = 0
        self._closing = False

    def open_range(self, offset: int, length: int) -> RangeReader:
        with self._lock:
            if self._closing:
                raise SourceChangedError("the upload batch is over")
            self._open_ranges += 1
        return _FdRange(self._spool.fileno(), offset, length, owns_fd=False, on_close=self._range_closed)

    def _range_closed(self) -> None:
        with self._lock:
            self._open_ranges -= 1
            done = self._closing and self._open_ranges == 0
        if done:
            self._spool.close()

    def close(self) -> None:
        with self._lock:
            self._closing = True
            done = self._open_ranges == 0
        if done:
            self._spool.close()


class _MemoryRange:
    def __init__(self, data: memoryview) -> None:
        self._data = data
        self._position = 0

    def read_chunk(self) -> bytes | None:
        if self._position >= self._data.nbytes:
            return None
        # One chunk-sized copy at a time: the HTTP stack copies into bytes anyway, never the whole input.
        chunk = bytes(self._data[self._position : self._position + CHUNK_SIZE])
        self._position += len(chunk)
        return chunk

    def close(self) -> None:
        pass


class _MemoryReader:
    blocking = False

    def __init__(self, data: memoryview) -> None:
        self._data = data

    def open_range(self, offset: int, length: int) -> RangeReader:
        return _MemoryRange(self._data[offset : offset + length])

    def close(self) -> None:
        pass


class _ObjectRange:
    def __init__(self, reader: _ObjectReader, offset: int, length: int) -> None:
        self._reader = reader
        self._position = offset
        self._remaining = length

    def read_chunk(self) -> bytes | None:
        if self._remaining == 0:
            return None
        data = self._reader.read_at(self._position, min(CHUNK_SIZE, self._remaining))
        self._position += len(data)
        self._remaining -= len(data)
        return data

    def close(self) -> None:
        pass


class _ObjectReader:
    """A seekable file object shared by parallel ranges: every read seeks first, under a lock."""

    blocking = True

    def __init__(self, stream: IO[bytes], start: int, size: int) -> None:
        self._stream = stream
        self._start = start
        self._size = size
        self._lock = threading.Lock()

    def read_at(self, offset: int, count: int) -> bytes:
        with self._lock:
            self._stream.seek(self._start + offset)
            data = self._stream.read(count)
        if not isinstance(data, bytes | bytearray | memoryview):
            raise SourceChangedError("the file object did not return bytes")
        if not data:
            raise SourceChangedError("the file object ended early; did it change while being uploaded?")
        return bytes(data)

    def open_range(self, offset: int, length: int) -> RangeReader:
        return _ObjectRange(self, offset, length)

    def close(self) -> None:
        pass
