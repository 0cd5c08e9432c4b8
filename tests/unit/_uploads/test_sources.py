"""`_uploads/sources.py`: content types and names, ranged readers, and hashing off the critical path: files
keyed by identity and hashed while streaming must keep every guarantee of content hashing (dedupe within a
call, the per-client cache, no stale URL, changes detected)."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fal_assets import Lifecycle, UploadError, ValidationError
from fal_assets._uploads import SyncUploader, UploadProgress, readers, sources
from fal_assets._uploads.references import FileObject, LocalFile, MemoryBytes
from fal_assets._uploads.sources import (
    CHUNK_SIZE,
    SourceChangedError,
    content_type_for,
    prepare_source,
    sniff_content_type,
)
from fal_assets.testing import FakeFal

from tests.unit._uploads.test_aio import async_uploader
from tests.upload_support import (
    KiB,
    MiB,
    image_bytes,
    random_file,
    sha256_of,
    stored_sha,
    sync_uploader,
    write,
)


@pytest.fixture
def fake() -> Iterator[FakeFal]:
    with FakeFal.serve() as served:
        yield served


@pytest.fixture
def uploader(fake: FakeFal) -> Iterator[SyncUploader]:
    with sync_uploader(fake) as up:
        yield up


def settle(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as unchanged for long enough to be trusted by identity (as any file not written in the
    last 50 ms is)."""
    monkeypatch.setattr(sources, "RACY_NS", 0)
    monkeypatch.setattr(sources, "FINE_RACY_NS", 0)


def freshen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as changed just now (as one written in the last 50 ms is), whatever the test's speed."""
    monkeypatch.setattr(sources, "RACY_NS", 10**15)
    monkeypatch.setattr(sources, "FINE_RACY_NS", 10**15)


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    settle(monkeypatch)


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    freshen(monkeypatch)


def rewrite_keeping_size_and_mtime(path: Path, data: bytes) -> None:
    info = path.stat()
    assert len(data) == info.st_size
    with path.open("r+b") as f:
        f.write(data)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (info.st_size, info.st_mtime_ns)


def test_a_settled_file_is_trusted_by_identity_and_read_no_more(
    fake: FakeFal, uploader: SyncUploader, tmp_path: Path, settled: None
) -> None:
    path = write(tmp_path / "a.png", image_bytes(1, 300 * KiB))
    [url] = uploader.upload_many([path])
    assert stored_sha(fake, url) == sha256_of(path)
    fake.reset()
    assert uploader.upload_many([path]) == [url]
    assert fake.requests == []


def test_an_edit_with_size_and_mtime_restored_never_reuses_the_old_url(
    fake: FakeFal, uploader: SyncUploader, tmp_path: Path, settled: None
) -> None:
    path = write(tmp_path / "a.png", image_bytes(1, 300 * KiB))
    [old] = uploader.upload_many([path])
    rewrite_keeping_size_and_mtime(path, image_bytes(2, 300 * KiB))
    [new] = uploader.upload_many([path])
    assert new != old and stored_sha(fake, new) == sha256_of(image_bytes(2, 300 * KiB))


def test_a_file_changed_just_now_is_not_trusted_by_identity(
    fake: FakeFal, uploader: SyncUploader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: None
) -> None:
    # A filesystem whose timestamps do not move within a tick: the identity alone cannot see the edit.
    def coarse(info: os.stat_result) -> readers.Identity:
        return (info.st_dev, info.st_ino, info.st_size, 0, 0)

    monkeypatch.setattr(readers, "file_identity", coarse)
    monkeypatch.setattr(sources, "file_identity", coarse)
    path = write(tmp_path / "a.png", image_bytes(1, 300 * KiB))
    [old] = uploader.upload_many([path])
    rewrite_keeping_size_and_mtime(path, image_bytes(2, 300 * KiB))
    [new] = uploader.upload_many([path])
    assert new != old and stored_sha(fake, new) == sha256_of(image_bytes(2, 300 * KiB))
    fake.reset()
    # Unchanged since: recognised by content (hashed, since its identity is not trusted), nothing sent.
    assert uploader.upload_many([path]) == [new] and fake.requests == []


def read_whole(prepared: sources.PreparedSource) -> None:
    chunks = prepared.reader.open_range(0, prepared.size)
    while chunks.read_chunk() is not None:
        pass
    chunks.close()


def test_fresh_files_are_hashed_while_streaming_and_settled_ones_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = image_bytes(1, 300 * KiB)
    path = write(tmp_path / "a.png", data)
    source = LocalFile(path, "f", str(path), path.stat().st_size)
    freshen(monkeypatch)
    fresh = prepare_source(source, "stream")
    assert fresh.file_key is None and fresh.sha256 is None
    read_whole(fresh)
    assert fresh.cache_keys() == [f"sha256:{sha256_of(data)}"]
    settle(monkeypatch)
    settled = prepare_source(source, "stream")
    assert settled.key == settled.file_key and settled.sha256 is None
    read_whole(settled)
    assert settled.cache_keys() == [settled.file_key]


def test_the_racy_margin_follows_the_timestamp_resolution() -> None:
    assert sources.racy_margin(1_700_000_000_123_456_789) == sources.FINE_RACY_NS
    assert sources.racy_margin(1_700_000_000_000_000_000) == sources.RACY_NS  # whole seconds: FAT, ext3


@pytest.mark.parametrize("settled_files", [False, True])
def test_equal_content_in_different_files_is_uploaded_once(
    fake: FakeFal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled_files: bool
) -> None:
    (settle if settled_files else freshen)(monkeypatch)
    size = 200 * KiB
    same = image_bytes(1, size)
    # Same size, same bytes where files are sampled (start, middle, end), one byte apart elsewhere: must not
    # be taken for `same`.
    middle = bytearray(same)
    middle[size // 4] ^= 0xFF
    other = image_bytes(3, size)
    paths = [
        write(tmp_path / "a.png", same),
        write(tmp_path / "m.png", bytes(middle)),
        write(tmp_path / "b.png", same),
        write(tmp_path / "o.png", other),
    ]
    with sync_uploader(fake) as up:
        urls = up.upload_many(paths)
        assert urls[0] == urls[2] and len(set(urls)) == 3
        assert fake.counts["cdnUpload"] == 3
        assert [stored_sha(fake, u) for u in urls] == [sha256_of(p) for p in paths]
        fake.reset()
        # The same content as bytes, as an object, or as a file already sent: found in the cache.
        again = up.upload_many([same, io.BytesIO(bytes(middle)), paths[2], paths[3]])
        assert again == [urls[0], urls[1], urls[0], urls[3]]
        assert fake.requests == []
        # A copy at a new path: found by content when the original was hashed while it streamed (it had
        # changed just now); a copy of a settled file, which was sent unhashed, is uploaded again.
        [copied] = up.upload_many([write(tmp_path / "copy.png", other)])
        assert stored_sha(fake, copied) == sha256_of(other)
        assert fake.counts["cdnUpload"] == (1 if settled_files else 0)


def test_a_file_hashed_while_streaming_serves_bytes_of_the_same_content(
    fake: FakeFal, uploader: SyncUploader, tmp_path: Path, fresh: None
) -> None:
    data = image_bytes(4, 100 * KiB)
    [url] = uploader.upload_many([write(tmp_path / "lone.png", data)])
    fake.reset()
    assert uploader.upload_many([data]) == [url] and fake.requests == []


def test_a_file_rewritten_in_place_during_its_upload_fails(
    fake: FakeFal, tmp_path: Path, settled: None
) -> None:
    big = random_file(tmp_path / "big.bin", 4 * 256 * KiB)
    replacement = image_bytes(8, 4 * 256 * KiB)
    edited: list[bool] = []

    def edit(event: UploadProgress) -> None:
        if not edited:
            edited.append(True)
            rewrite_keeping_size_and_mtime(big, replacement)

    with (
        sync_uploader(fake, concurrency=1, multipart_threshold=MiB // 2, part_size=256 * KiB) as up,
        pytest.raises(UploadError) as info,
    ):
        up.upload_many([big], on_progress=edit)
    [error] = info.value.errors
    assert isinstance(error, SourceChangedError)


@pytest.mark.anyio
async def test_async_client_keeps_the_same_guarantees(
    fake: FakeFal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(monkeypatch)
    data = image_bytes(5, 300 * KiB)
    a, b = write(tmp_path / "a.png", data), write(tmp_path / "b.png", data)
    async with async_uploader(fake) as up:
        first = await up.upload_many([a, b])
        assert first[0] == first[1] and fake.counts["cdnUpload"] == 1
        fake.reset()
        assert await up.upload_many([b, data]) == first and fake.requests == []
        rewrite_keeping_size_and_mtime(a, image_bytes(6, 300 * KiB))
        [new] = await up.upload_many([a])
    assert new != first[0] and stored_sha(fake, new) == sha256_of(image_bytes(6, 300 * KiB))


def test_a_trusted_identity_is_reused_only_under_the_same_lifecycle(
    fake: FakeFal, uploader: SyncUploader, tmp_path: Path, settled: None
) -> None:
    path = write(tmp_path / "a.png", image_bytes(7, 100 * KiB))
    day = Lifecycle(expires_in=86400)
    [first] = uploader.upload_many([path], lifecycle=day)
    assert uploader.upload_many([path], lifecycle=Lifecycle(expires_in=86400)) == [first]
    assert fake.counts["cdnUpload"] == 1
    # Another expiry (or none) is another upload: a URL that expires in a day is not one that never does.
    [other] = uploader.upload_many([path], lifecycle=Lifecycle(expires_in="never"))
    [plain] = uploader.upload_many([path])
    assert len({first, other, plain}) == 3 and fake.counts["cdnUpload"] == 3


# -- content types and names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n....", "image/png"),
        (b"\xff\xd8\xff\xe0..", "image/jpeg"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"GIF87a..", "image/gif"),
        (b"GIF89a..", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", None),
        (b"hello", None),
        (b"", None),
    ],
)
def test_sniffing(head: bytes, expected: str | None) -> None:
    assert sniff_content_type(head) == expected


def test_name_wins_over_sniffing_then_octet_stream() -> None:
    assert content_type_for("x.jpg", b"\x89PNG\r\n\x1a\n") == "image/jpeg"
    assert content_type_for("x", b"\x89PNG\r\n\x1a\n") == "image/png"
    assert content_type_for(None, b"???") == "application/octet-stream"


def test_bytes_get_a_derived_name_and_header_safe_names(tmp_path: Path) -> None:
    data = b"\x89PNG\r\n\x1a\n" + b"x" * 10
    prepared = prepare_source(MemoryBytes("in", "f", memoryview(data)))
    assert prepared.file_name == f"upload-{hashlib.sha256(data).hexdigest()[:8]}.png"
    assert prepared.sha256 == hashlib.sha256(data).hexdigest() and prepared.size == len(data)
    path = tmp_path / "Ünïcode photo%\n.png"
    path.write_bytes(data)
    named = prepare_source(LocalFile(path, "f", str(path), len(data)))
    assert named.file_name == "Ünïcode photo%\n.png"
    assert named.header_name == "%C3%9Cn%C3%AFcode photo%25%0A.png"


def test_file_object_name_is_used_when_it_has_one(tmp_path: Path) -> None:
    path = tmp_path / "from-disk.webp"
    path.write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 8)
    with path.open("rb") as stream:
        prepared = prepare_source(FileObject(stream, "f", stream, 0, path.stat().st_size))
    assert (prepared.file_name, prepared.content_type) == ("from-disk.webp", "image/webp")


def test_reading_ranges_streams_chunks_and_detects_changes(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(b"a" * (CHUNK_SIZE + 10))
    prepared = prepare_source(LocalFile(path, "f", str(path), CHUNK_SIZE + 10))
    chunks = prepared.reader.open_range(5, CHUNK_SIZE + 2)
    sizes = []
    while (chunk := chunks.read_chunk()) is not None:
        sizes.append(len(chunk))
    chunks.close()
    assert sizes == [CHUNK_SIZE, 2]

    reading = prepared.reader.open_range(0, 100)
    with path.open("ab") as f:
        f.write(b"grown")
    assert reading.read_chunk() is not None
    with pytest.raises(SourceChangedError):
        reading.read_chunk()  # the end-of-range check sees the new size
    reading.close()
    with pytest.raises(SourceChangedError):
        prepared.reader.open_range(0, 1)


def test_seekable_object_ranges_share_one_object_safely() -> None:
    data = bytes(range(256)) * 10_000
    stream = io.BytesIO(b"xx" + data)
    prepared = prepare_source(FileObject(stream, "f", stream, 2, len(data)))
    assert prepared.sha256 == hashlib.sha256(data).hexdigest()
    first, second = prepared.reader.open_range(0, 1000), prepared.reader.open_range(1000, 1000)
    assert second.read_chunk() == data[1000:2000] and first.read_chunk() == data[:1000]


def test_prepare_reports_an_unreadable_file_object() -> None:
    class Broken(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            raise OSError("device gone")

    with pytest.raises(ValidationError, match="device gone") as info:
        prepare_source(FileObject("in", "files[3]", Broken(), None, None))  # type: ignore[arg-type]
    assert info.value.field == "files[3]"
