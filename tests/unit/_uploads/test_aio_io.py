"""The async uploader's worker-thread I/O (`_uploads/aio_io.py`) through `AsyncFalAssets.files`: bodies of
any number of chunks arrive byte-exact with exact progress, and of several bad inputs the first (in input
order) is reported, whether or not it was hashed first, before anything is sent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fal_assets import ValidationError
from fal_assets._uploads.readers import CHUNK_SIZE
from fal_assets.testing import FakeFal

from tests.support import async_client
from tests.upload_support import Events, random_file, sha256_of, stored_sha

pytestmark = pytest.mark.anyio


@pytest.fixture
def fake() -> Iterator[FakeFal]:
    with FakeFal.serve() as served:
        yield served


async def test_bodies_of_any_number_of_chunks_arrive_byte_exact(fake: FakeFal, tmp_path: Path) -> None:
    sizes = [1, CHUNK_SIZE // 2, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE + CHUNK_SIZE // 2]
    files = [random_file(tmp_path / f"f{index}.bin", size) for index, size in enumerate(sizes)]
    events = Events()
    async with async_client(fake) as client:
        urls = await client.files.upload_many(files, on_progress=events)
    assert [stored_sha(fake, url) for url in urls] == [sha256_of(path) for path in files]
    for path, size in zip(files, sizes, strict=True):
        final = [e for e in events.final() if e.input == path]
        assert len(final) == 1 and final[0].bytes_sent == size


@pytest.mark.parametrize("memory_first", [True, False])
async def test_the_first_bad_input_is_reported_and_nothing_is_sent(
    fake: FakeFal, tmp_path: Path, memory_first: bool
) -> None:
    """In-memory inputs are hashed each in its own thread, settled files prepared together in one: the
    error reported is still the first bad input's, in input order."""
    good = random_file(tmp_path / "good.bin", 10_000)
    first: list[object] = [b"in memory", good] if memory_first else [good, b"in memory"]
    inputs = [*first, tmp_path / "missing-1.bin", b"more", tmp_path / "missing-2.bin"]
    async with async_client(fake) as client:
        with pytest.raises(ValidationError) as info:
            await client.files.upload_many(inputs)
    assert info.value.field == "files[2]"
    assert fake.counts["cdnUpload"] == 0 and fake.counts["presignedPut"] == 0
