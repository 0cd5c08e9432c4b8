"""Readers of prepared inputs: byte ranges of a file (via pread, re-checked for changes), of memory, of a
file object (under a lock) or of its spooled copy, read in `CHUNK_SIZE` pieces; ranges may be read
concurrently (multipart parts)."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from typing import IO, Protocol

from .._errors import SourceChangedError

__all__ = [
    "CHUNK_SIZE",
    "OPEN_FLAGS",
    "FileReader",
    "Identity",
    "MemoryReader",
    "ObjectReader",
    "RangeReader",
    "Reader",
    "SpoolReader",
    "file_identity",
]

CHUNK_SIZE = 1024 * 1024
OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


class RangeReader(Protocol):
    def read_chunk(self) -> bytes | None:
        """The next chunk of the range, or None at its end (after checking the source did not change).
        That last call reads no bytes: its check is at most an `fstat`."""
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


Identity = tuple[int, int, int, int, int]


def file_identity(info: os.stat_result) -> Identity:
    """What changes whenever the content may have: the kernel sets ctime on every write and on every
    utime(), so restoring the size and mtime of an edited file still changes its identity."""
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


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
        on_digest: Callable[[str], None] | None = None,
    ) -> None:
        self._closed = True  # until fully built, so that __del__ after a failed __init__ is a no-op
        self._fd = fd
        self._position = offset
        self._remaining = length
        self._owns_fd = owns_fd
        self._check = check
        self._on_close = on_close
        # Hash while streaming: the bytes are in hand anyway (sha256 releases the GIL on large buffers).
        self._sha = hashlib.sha256() if on_digest is not None else None
        self._on_digest = on_digest
        self._closed = False

    def read_chunk(self) -> bytes | None:
        if self._remaining == 0:
            if self._check is not None:
                self._check()
            if self._sha is not None and self._on_digest is not None:
                # Only a range read to its end and checked unchanged tells what the file holds.
                self._on_digest(self._sha.hexdigest())
                self._sha = None
            return None
        if self._closed:
            # Its descriptor number may already name another file: reading it would send that file's bytes.
            raise ValueError("I/O operation on a closed range")
        data = os.pread(self._fd, min(CHUNK_SIZE, self._remaining), self._position)
        if not data:
            raise SourceChangedError("the file shrank while it was being uploaded")
        if self._sha is not None:
            self._sha.update(data)
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


class FileReader:
    """Each range opens the file anew, so a batch of many files holds only as many descriptors as there
    are requests in flight, and each open re-checks that the file is still the one that was prepared.

    With `hash_stream`, a range covering the whole file is hashed as it is read: `digest` is then the
    sha256 of what was sent (set once such a read finished with the file unchanged)."""

    blocking = True

    def __init__(self, path: str, identity: Identity, *, hash_stream: bool = False) -> None:
        self._path = path
        self._identity = identity
        self._hash_stream = hash_stream
        self.digest: str | None = None

    def _record(self, digest: str) -> None:
        self.digest = digest

    def open_range(self, offset: int, length: int) -> RangeReader:
        try:
            fd = os.open(self._path, OPEN_FLAGS)
        except OSError as exc:
            raise SourceChangedError(f"the file cannot be opened any more: {exc.strerror}") from None
        try:
            self._verify(fd)
        except BaseException:
            os.close(fd)
            raise
        whole = self._hash_stream and offset == 0 and length == self._identity[2]
        return _FdRange(
            fd,
            offset,
            length,
            owns_fd=True,
            check=lambda: self._verify(fd),
            on_digest=self._record if whole else None,
        )

    def _verify(self, fd: int) -> None:
        if file_identity(os.fstat(fd)) != self._identity:
            raise SourceChangedError(
                "the file changed (size, modification or change time) after it was prepared; nothing "
                "consistent could be uploaded"
            )

    def close(self) -> None:
        pass


class SpoolReader:
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


class MemoryReader:
    blocking = False

    def __init__(self, data: memoryview) -> None:
        self._data = data

    def open_range(self, offset: int, length: int) -> RangeReader:
        return _MemoryRange(self._data[offset : offset + length])

    def close(self) -> None:
        pass


class _ObjectRange:
    def __init__(self, reader: ObjectReader, offset: int, length: int) -> None:
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


class ObjectReader:
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
        if len(data) > count:
            # More than asked: those bytes are not the range's, and the body would be the wrong one.
            raise SourceChangedError(
                f"the file object returned {len(data)} bytes when {count} were asked for"
            )
        return bytes(data)

    def open_range(self, offset: int, length: int) -> RangeReader:
        return _ObjectRange(self, offset, length)

    def close(self) -> None:
        pass
