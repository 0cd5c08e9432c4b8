"""Reading upload inputs: hashing, naming, content types, and byte ranges streamed in chunks.

Shared by the sync and async uploaders; everything here is blocking I/O that the async uploader runs in
worker threads. Nothing ever holds a whole file in memory: files are hashed and sent in `CHUNK_SIZE`
pieces, each request (a single upload or one multipart part) reading its own range with `os.pread`.

Hashing stays off the critical path for local files (`choose_hashing`): a file is keyed by its identity
(device, inode, size, mtime_ns, ctime_ns), unless its content could equal another input's or a cached
upload's (same size, and for two files the same 4 KiB at start, middle and end), in which case it is
hashed first so that equal content is still uploaded once. An identity is trusted across calls only when
the file had not changed for a while before it was read (`racy_margin`): a later write within the same
timestamp tick could otherwise leave the identity unchanged (git's "racy clean" problem). Only such a
recently changed file is hashed while it streams: its next call must recognise it by content. A settled
file is not hashed at all.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote

from .._errors import SourceChangedError, ValidationError
from .content_types import content_type_for, derived_name, sniff_content_type
from .readers import (
    CHUNK_SIZE,
    OPEN_FLAGS,
    FileReader,
    Identity,
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
    "FINE_RACY_NS",
    "RACY_NS",
    "PreparedSource",
    "RangeReader",
    "Reader",
    "SourceChangedError",
    "choose_hashing",
    "content_type_for",
    "identity_key",
    "prepare_source",
    "racy_margin",
    "sniff_content_type",
]

_SNIFF_BYTES = 16
_SAMPLE_BYTES = 4 * 1024  # at the start, the middle and the end of a file
# A file changed less than this before it was read is not trusted by identity on a later call (it is
# recognised by content instead): timestamps advance in ticks, and a write within the tick of the previous
# one may leave (size, mtime, ctime) unchanged. Linux ticks are at most 10 ms (HZ >= 100); filesystems that
# keep whole seconds (FAT: 2 s, ext3, HFS+) need whole seconds.
FINE_RACY_NS = 50_000_000
RACY_NS = 2_000_000_000


def racy_margin(ctime_ns: int) -> int:
    """How long a file must have been unchanged before its identity can be trusted."""
    return RACY_NS if ctime_ns % 1_000_000_000 == 0 else FINE_RACY_NS


# Printable ASCII that needs no escaping in a header value; everything else (non-ASCII names, "%", "/")
# is percent-encoded so that any file name survives as an `X-Fal-File-Name` header.
_HEADER_SAFE = " !#$&'()*+,-.;=@[]^_`{}~"


@dataclass(frozen=True, eq=False)
class PreparedSource:
    """An input ready to upload: its size, type, name and key are known, nothing is sent yet.

    `key` is what deduplication and the client's cache go by: `sha256:<hex>` when the content was hashed
    first, else `file:<identity>` (a local file hashed while it streams). `file_key` is the identity key of
    a local file that may be trusted on later calls (unchanged for `racy_margin` before it was read)."""

    key: str
    size: int
    content_type: str
    file_name: str
    reader: Reader
    sha256: str | None = None
    file_key: str | None = None
    sample: int | None = None

    @property
    def header_name(self) -> str:
        return quote(self.file_name, safe=_HEADER_SAFE)

    def cache_keys(self) -> list[str]:
        """Every key the uploaded URL may be cached under; an untrusted identity is not among them."""
        keys = [f"sha256:{self.sha256}"] if self.sha256 else []
        if self.file_key:
            keys.append(self.file_key)
        streamed = getattr(self.reader, "digest", None)
        if self.sha256 is None and streamed:
            keys.append(f"sha256:{streamed}")
        return keys


def sha_key(digest: str) -> str:
    return f"sha256:{digest}"


def file_key(identity: Identity) -> str:
    return "file:" + ":".join(map(str, identity))


# -- content type and names -------------------------------------------------------------------------------


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
        return ("file", *file_identity(info))
    if isinstance(source, FileObject):
        return ("object", id(source.stream))
    return ("memory", id(source.input))


Hashing = Literal["hash", "sample", "stream"]


def choose_hashing(
    inputs: Mapping[tuple[object, ...], UploadSource],
    *,
    cached: Callable[[str], bool],
    cached_size: Callable[[int], bool],
    multipart_threshold: int,
) -> dict[tuple[object, ...], Hashing]:
    """How to prepare each distinct input (keyed by `identity_key`): "hash" reads it whole first; "stream"
    reads a local file only when it is uploaded; "sample" reads 4 KiB at a file's start, middle and end to
    tell whether its content could equal another file's of the same size (see `needs_hash`).

    Only content of equal size can be equal, so a file is hashed first only when its size meets another
    input's, a cached upload's, or when it is a large file changed just now (whose identity cannot be
    trusted next time and whose parts are not hashed while streaming)."""
    other_sizes: Counter[int] = Counter()
    file_sizes: Counter[int] = Counter()
    unknown_size = False
    for key, source in inputs.items():
        if isinstance(source, LocalFile):
            file_sizes[int(key[3])] += 1  # type: ignore[call-overload]
        elif isinstance(source, MemoryBytes):
            other_sizes[source.data.nbytes] += 1
        elif source.size is not None:
            other_sizes[source.size] += 1
        else:
            unknown_size = True  # an unseekable stream: its size is known only once it is read
    now = time.time_ns()
    modes: dict[tuple[object, ...], Hashing] = {}
    for key, source in inputs.items():
        if not isinstance(source, LocalFile) or source.sha256 is not None:
            modes[key] = "hash"  # a planned file (`apply`) is hashed, and checked, before it is sent
            continue
        size, ctime = int(key[3]), int(key[5])  # type: ignore[call-overload]
        if cached(file_key(key[1:])):  # type: ignore[arg-type]
            modes[key] = "stream"  # known: the claim finds its URL and nothing is read
        elif (
            unknown_size
            or other_sizes[size]
            or cached_size(size)
            or (size > multipart_threshold and ctime >= now - racy_margin(ctime))
        ):
            modes[key] = "hash"
        elif file_sizes[size] > 1:
            modes[key] = "sample"
        else:
            modes[key] = "stream"
    return modes


def needs_hash(prepared: Mapping[tuple[object, ...], PreparedSource]) -> set[tuple[object, ...]]:
    """The sampled files whose size and samples meet another's: only these may be equal."""
    seen: Counter[tuple[int, int]] = Counter(
        (p.size, p.sample) for p in prepared.values() if p.sample is not None
    )
    return {key for key, p in prepared.items() if p.sample is not None and seen[(p.size, p.sample)] > 1}


def prepare_source(source: UploadSource, hashing: Hashing = "hash") -> PreparedSource:
    """Settle the input's name, type and key, hashing it first unless `hashing` says otherwise (local files
    only); raises `ValidationError` for an input that cannot be read (nothing has been uploaded then)."""
    if isinstance(source, LocalFile):
        return _prepare_file(source, hashing)
    if isinstance(source, MemoryBytes):
        return _prepare_memory(source)
    if source.start is not None and source.size is not None:
        return _prepare_seekable(source, source.start, source.size)
    return _prepare_spooled(source)


def _prepare_file(source: LocalFile, hashing: Hashing) -> PreparedSource:
    field = source.field
    started = time.time_ns()
    try:
        fd = os.open(source.path, OPEN_FLAGS)
    except OSError as exc:
        raise ValidationError(
            f"{field}: {source.path!r} cannot be opened: {exc.strerror}", field=field
        ) from None
    digest: str | None = None
    sample: int | None = None
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode) or before.st_size == 0:
            raise ValidationError(
                f"{field}: {source.path!r} is no longer a non-empty regular file", field=field
            )
        if hashing == "hash":
            sha = hashlib.sha256()
            head = b""
            while chunk := os.read(fd, CHUNK_SIZE):
                head = head or chunk[:_SNIFF_BYTES]
                sha.update(chunk)
            digest = sha.hexdigest()
        else:
            # Readable, and its first bytes for sniffing; the content is hashed while it streams.
            head = os.pread(fd, _SAMPLE_BYTES if hashing == "sample" else _SNIFF_BYTES, 0)
            if hashing == "sample":
                size = before.st_size
                middle = os.pread(fd, _SAMPLE_BYTES, max(0, size // 2 - _SAMPLE_BYTES // 2))
                tail = os.pread(fd, _SAMPLE_BYTES, max(0, size - _SAMPLE_BYTES))
                # Only tells files apart: equal samples get the whole file hashed (sha256) before anything
                # is sent, so a collision costs a hash, never a wrong dedupe; crc32 is 4× cheaper here.
                sample = zlib.crc32(tail, zlib.crc32(middle, zlib.crc32(head)))
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
    if source.sha256 is not None and digest != source.sha256:
        # What would be sent is not what was planned and reviewed: sending it would make the lock lie.
        raise SourceChangedError(f"{field}: {source.path!r} changed since it was planned; plan again")
    name = os.path.basename(source.path)
    trusted = before.st_ctime_ns < started - racy_margin(before.st_ctime_ns)
    return PreparedSource(
        key=sha_key(digest) if digest else file_key(identity),
        size=before.st_size,
        content_type=content_type_for(name, head[:_SNIFF_BYTES]),
        file_name=name,
        # A file changed just now is hashed as it streams: its next call recognises it by content.
        reader=FileReader(source.path, identity, hash_stream=digest is None and not trusted),
        sha256=digest,
        file_key=file_key(identity) if trusted else None,
        sample=sample,
    )


def _prepare_memory(source: MemoryBytes) -> PreparedSource:
    digest = hashlib.sha256(source.data).hexdigest()
    content_type = content_type_for(None, bytes(source.data[:_SNIFF_BYTES]))
    return PreparedSource(
        key=sha_key(digest),
        sha256=digest,
        size=source.data.nbytes,
        content_type=content_type,
        file_name=derived_name(digest, content_type),
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
    if source.image_only:
        from .media import require_image

        try:
            require_image(head, source.field, "file object")
        except ValidationError:
            spool.close()
            raise
    return _named(source, sha.hexdigest(), size, head, SpoolReader(spool))


def _named(source: FileObject, digest: str, size: int, head: bytes, reader: Reader) -> PreparedSource:
    name = _object_name(source.stream)
    content_type = content_type_for(name, head)
    return PreparedSource(
        key=sha_key(digest),
        sha256=digest,
        size=size,
        content_type=content_type,
        file_name=name or derived_name(digest, content_type),
        reader=reader,
    )
