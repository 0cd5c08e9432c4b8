"""`_uploads/readers.py`: a range gives exactly its `length` bytes from `offset`, in pieces of at most
`CHUNK_SIZE`, then None; ranges of one reader may be read at once without sharing a position. A file range
opens the file anew, refuses a file that is not the one prepared (identity: device, inode, size, mtime and
ctime), and raises rather than end cleanly if the file shrank or changed while being read; it closes its
descriptor when closed or abandoned. With `hash_stream`, only a whole-file range read to its end with the
file unchanged sets `digest`. A spooled copy is closed once the batch is over and its last range closed;
a file object that ends early or returns no bytes is an error, never a short upload."""

from __future__ import annotations

import gc
import hashlib
import io
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

import pytest
from fal_assets import SourceChangedError
from fal_assets._uploads import readers
from fal_assets._uploads.readers import (
    CHUNK_SIZE,
    FileReader,
    MemoryReader,
    ObjectReader,
    RangeReader,
    Reader,
    SpoolReader,
    file_identity,
)

from tests.upload_support import KiB

SIZE = 2 * CHUNK_SIZE + 5 * KiB  # two whole chunks and a partial one


@pytest.fixture(scope="module")
def payload() -> bytes:
    return os.urandom(SIZE)


@pytest.fixture
def path(tmp_path: Path, payload: bytes) -> Path:
    target = tmp_path / "input.bin"
    target.write_bytes(payload)
    return target


def identity(path: Path) -> readers.Identity:
    return file_identity(path.stat())


def chunks(reader: RangeReader) -> list[bytes]:
    """Every chunk of a range up to its end (the None), then closes it."""
    out: list[bytes] = []
    try:
        while (chunk := reader.read_chunk()) is not None:
            out.append(chunk)
    finally:
        reader.close()
    return out


def open_fds() -> set[str]:
    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("needs /proc/self/fd to count descriptors")
    return set(os.listdir("/proc/self/fd"))


def spool_of(data: bytes) -> IO[bytes]:
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the reader, which closes it
    spool.write(data)
    spool.flush()
    return spool


def make_reader(kind: str, path: Path, payload: bytes) -> Reader:
    """A reader of `payload` of each kind (the file object's prepared position is past a header)."""
    if kind == "file":
        return FileReader(str(path), identity(path))
    if kind == "memory":
        return MemoryReader(memoryview(payload))
    if kind == "object":
        return ObjectReader(io.BytesIO(b"header" + payload), 6, SIZE)
    return SpoolReader(spool_of(payload))


# The ranges every reader must give exactly: whole, first byte, across a chunk boundary, the tail (a last
# partial chunk), one byte at the very end, and none.
RANGES = [
    (0, SIZE),
    (0, 1),
    (CHUNK_SIZE - 3, 10),
    (CHUNK_SIZE, SIZE - CHUNK_SIZE),
    (SIZE - 1, 1),
    (SIZE // 2, 0),
]


@pytest.mark.parametrize(("offset", "length"), RANGES)
@pytest.mark.parametrize("kind", ["file", "memory", "object", "spool"])
def test_a_range_is_exactly_its_bytes_in_chunk_sized_pieces(
    kind: str, offset: int, length: int, path: Path, payload: bytes
) -> None:
    reader = make_reader(kind, path, payload)
    try:
        got = chunks(reader.open_range(offset, length))
    finally:
        reader.close()
    assert b"".join(got) == payload[offset : offset + length]
    # Whole chunks, then the rest: the HTTP stack never gets more than one chunk in hand at a time.
    assert [len(c) for c in got] == [CHUNK_SIZE] * (length // CHUNK_SIZE) + (
        [length % CHUNK_SIZE] if length % CHUNK_SIZE else []
    )
    assert all(type(c) is bytes for c in got)


def test_only_memory_is_read_without_blocking(path: Path) -> None:
    assert MemoryReader(memoryview(b"x")).blocking is False
    assert FileReader(str(path), identity(path)).blocking is True
    assert ObjectReader(io.BytesIO(b"x"), 0, 1).blocking is True
    spooled = SpoolReader(spool_of(b"x"))
    assert spooled.blocking is True
    spooled.close()


def test_an_empty_file_is_one_empty_range_and_hashes_to_the_empty_digest(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    reader = FileReader(str(empty), identity(empty), hash_stream=True)
    assert chunks(reader.open_range(0, 0)) == []
    assert reader.digest == hashlib.sha256(b"").hexdigest()


def test_parallel_ranges_of_one_reader_never_share_a_position(path: Path, payload: bytes) -> None:
    # Interleaved chunk by chunk in one thread: a shared file position would mix the ranges up.
    file_reader = FileReader(str(path), identity(path))
    stream = io.BytesIO(payload)
    for reader in (file_reader, ObjectReader(stream, 0, SIZE), SpoolReader(spool_of(payload))):
        first, second = reader.open_range(0, SIZE), reader.open_range(CHUNK_SIZE, SIZE - CHUNK_SIZE)
        a, b = [first.read_chunk()], [second.read_chunk()]
        a.append(first.read_chunk())
        b.append(second.read_chunk())
        a.append(first.read_chunk())
        assert (first.read_chunk(), second.read_chunk()) == (None, None)
        first.close()
        second.close()
        reader.close()
        assert b"".join(c or b"" for c in a) == payload, reader
        assert b"".join(c or b"" for c in b) == payload[CHUNK_SIZE:], reader


class _Yielding(io.BytesIO):
    """A file object whose seek lets other threads run before the read that follows it, as a disk seek may."""

    def seek(self, offset: int, whence: int = 0) -> int:
        position = super().seek(offset, whence)
        time.sleep(0)
        return position


@pytest.mark.parametrize("kind", ["file", "object"])
def test_ranges_read_from_many_threads_at_once_get_their_own_bytes(
    kind: str, path: Path, payload: bytes
) -> None:
    reader: Reader = (
        FileReader(str(path), identity(path)) if kind == "file" else ObjectReader(_Yielding(payload), 0, SIZE)
    )
    parts = [(i * 100 * KiB, 300 * KiB) for i in range(8)]
    results: dict[int, bytes] = {}
    start = threading.Barrier(len(parts))

    def read(index: int, offset: int, length: int) -> None:
        start.wait()
        results[index] = b"".join(chunks(reader.open_range(offset, length)))

    workers = [threading.Thread(target=read, args=(i, *part)) for i, part in enumerate(parts)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert results == {i: payload[o : o + n] for i, (o, n) in enumerate(parts)}


def test_the_identity_changes_when_size_and_mtime_are_restored_after_an_edit(path: Path) -> None:
    info = path.stat()
    before = file_identity(info)
    assert before[:3] == (info.st_dev, info.st_ino, info.st_size)
    time.sleep(0.02)  # past the kernel's coarse ctime tick
    with path.open("r+b") as f:
        f.write(b"edited")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (info.st_size, info.st_mtime_ns)
    assert file_identity(after) != before


def test_a_file_replaced_by_an_identical_copy_is_not_the_one_prepared(path: Path, payload: bytes) -> None:
    prepared = identity(path)
    info = path.stat()
    copy = path.with_name("copy")
    copy.write_bytes(payload)
    os.utime(copy, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(copy, path)
    before = open_fds()
    with pytest.raises(SourceChangedError, match=r"changed .* after it was prepared"):
        FileReader(str(path), prepared).open_range(0, SIZE)
    assert open_fds() == before  # the descriptor opened to check it is closed again


def test_a_file_that_grew_since_it_was_prepared_is_refused_at_open(path: Path) -> None:
    prepared = identity(path)
    with path.open("ab") as f:
        f.write(b"more")
    with pytest.raises(SourceChangedError, match="after it was prepared"):
        FileReader(str(path), prepared).open_range(0, 10)


def test_a_file_gone_since_it_was_prepared_is_a_source_change(path: Path) -> None:
    reader = FileReader(str(path), identity(path))
    path.unlink()
    with pytest.raises(SourceChangedError, match="cannot be opened any more"):
        reader.open_range(0, 10)


def test_a_file_changed_while_read_fails_at_the_end_of_its_range_and_sets_no_digest(path: Path) -> None:
    reader = FileReader(str(path), identity(path), hash_stream=True)
    ranged = reader.open_range(0, SIZE)
    read = 0
    while read < SIZE:
        chunk = ranged.read_chunk()
        assert chunk is not None
        read += len(chunk)
    with path.open("ab") as f:  # changed after its last byte was read, before the range is over
        f.write(b"appended")
    with pytest.raises(SourceChangedError, match="after it was prepared"):
        ranged.read_chunk()
    ranged.close()
    assert reader.digest is None


def test_a_file_truncated_while_read_is_a_source_change_not_a_short_upload(path: Path) -> None:
    reader = FileReader(str(path), identity(path))
    ranged = reader.open_range(0, SIZE)
    assert ranged.read_chunk() is not None
    os.truncate(path, CHUNK_SIZE)  # exactly what was read so far: the next read finds nothing
    with pytest.raises(SourceChangedError, match="shrank"):
        ranged.read_chunk()
    ranged.close()


def test_a_range_past_the_end_of_a_file_or_object_raises(path: Path, payload: bytes) -> None:
    with pytest.raises(SourceChangedError):
        chunks(FileReader(str(path), identity(path)).open_range(SIZE - 10, 20))
    with pytest.raises(SourceChangedError, match="ended early"):
        chunks(ObjectReader(io.BytesIO(payload), 0, SIZE).open_range(SIZE - 10, 20))


def test_only_a_whole_range_read_to_its_end_sets_the_digest(path: Path, payload: bytes) -> None:
    hashing = FileReader(str(path), identity(path), hash_stream=True)
    chunks(hashing.open_range(1, SIZE - 1))
    chunks(hashing.open_range(0, SIZE - 1))
    assert hashing.digest is None  # parts of the file tell nothing of the whole
    whole = hashing.open_range(0, SIZE)
    while whole.read_chunk() is not None:
        assert hashing.digest is None  # not before the end is checked
    assert hashing.digest == hashlib.sha256(payload).hexdigest()
    whole.close()
    plain = FileReader(str(path), identity(path))
    chunks(plain.open_range(0, SIZE))
    assert plain.digest is None


def test_a_file_range_holds_one_descriptor_until_closed_or_abandoned(path: Path) -> None:
    reader = FileReader(str(path), identity(path))
    before = open_fds()
    ranged = reader.open_range(0, 10)
    assert len(open_fds() - before) == 1
    ranged.close()
    ranged.close()  # idempotent: never closes a descriptor number reused since
    assert open_fds() == before
    with pytest.raises(ValueError, match="closed range"):
        ranged.read_chunk()  # nor reads one: it may name another file by now
    abandoned = reader.open_range(0, SIZE)
    assert abandoned.read_chunk() is not None
    del abandoned  # a request body dropped mid-send
    gc.collect()
    assert open_fds() == before


def test_a_spool_is_closed_once_the_batch_is_over_and_its_last_range_closed(payload: bytes) -> None:
    spool = spool_of(payload)
    reader = SpoolReader(spool)
    first, second = reader.open_range(0, 10), reader.open_range(10, 10)
    first.close()
    reader.close()
    assert not spool.closed  # `second` is still being read by an abandoned request
    first.close()  # closing a range twice must not count it twice
    assert not spool.closed
    assert second.read_chunk() == payload[10:20]
    second.close()
    assert spool.closed
    with pytest.raises(SourceChangedError, match="batch is over"):
        reader.open_range(0, 10)


def test_a_spool_without_open_ranges_is_closed_at_once(payload: bytes) -> None:
    spool = spool_of(payload)
    reader = SpoolReader(spool)
    chunks(reader.open_range(0, SIZE))
    assert not spool.closed
    reader.close()
    assert spool.closed


def test_an_abandoned_spool_range_still_lets_the_spool_close(payload: bytes) -> None:
    spool = spool_of(payload)
    reader = SpoolReader(spool)
    abandoned = reader.open_range(0, SIZE)
    assert abandoned.read_chunk() is not None
    reader.close()
    assert not spool.closed
    del abandoned
    gc.collect()
    assert spool.closed


class _Misbehaving(io.RawIOBase):
    def __init__(self, reply: object) -> None:
        self._reply = reply

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        return offset

    def read(self, size: int = -1) -> object:
        return self._reply


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        ("text", "did not return bytes"),
        (None, "did not return bytes"),
        (b"", "ended early"),
        (b"x" * 11, "returned 11 bytes when 10 were asked for"),  # never more than the range's bytes
    ],
)
def test_a_file_object_that_returns_no_bytes_is_a_source_change(reply: object, message: str) -> None:
    reader = ObjectReader(_Misbehaving(reply), 0, 10)  # type: ignore[arg-type]
    with pytest.raises(SourceChangedError, match=message):
        chunks(reader.open_range(0, 10))


def test_a_file_object_s_ranges_start_at_its_prepared_position(payload: bytes) -> None:
    stream = io.BytesIO(b"already-read" + payload)
    reader = ObjectReader(stream, 12, SIZE)
    stream.seek(3)  # wherever the caller left it
    assert b"".join(chunks(reader.open_range(5, 7))) == payload[5:12]
    as_bytearray = ObjectReader(_Misbehaving(bytearray(b"abc")), 0, 3)  # type: ignore[arg-type]
    [chunk] = chunks(as_bytearray.open_range(0, 3))
    assert type(chunk) is bytes and chunk == b"abc"
