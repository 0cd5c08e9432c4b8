"""The async upload engine against a served FakeFal: the same behaviour as the sync one."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fal_assets import UNSET, UploadError, ValidationError
from fal_assets._core.engine import AsyncEngine
from fal_assets._uploads import AsyncUploader, UploadProgress
from fal_assets._uploads.references import plan_images
from fal_assets._uploads.sources import SourceChangedError
from fal_assets.testing import FakeFal

from tests.upload_support import (
    Events,
    KiB,
    MiB,
    Sleeps,
    by_operation,
    config_for,
    image_bytes,
    random_file,
    sha256_of,
    stored_sha,
    write,
)

pytestmark = pytest.mark.anyio
VECTOR_ID = "019e6d0a-e5be-7b82-b329-35ae64296902"


@pytest.fixture
def fake() -> Iterator[FakeFal]:
    with FakeFal.serve() as served:
        yield served


@asynccontextmanager
async def async_uploader(
    fake: FakeFal, *, http: httpx.AsyncClient | None = None, max_retries: int | None = None, **uploads: Any
) -> AsyncIterator[AsyncUploader]:
    client = http or httpx.AsyncClient()
    uploader = AsyncUploader(
        AsyncEngine(client, Sleeps().async_sleep), config_for(fake, max_retries=max_retries, **uploads)
    )
    try:
        yield uploader
    finally:
        await uploader.aclose()
        await client.aclose()


async def test_mixed_inputs_keep_their_order(fake: FakeFal, tmp_path: Path) -> None:
    front = write(tmp_path / "front.png", image_bytes(1))
    stream = io.BytesIO(image_bytes(3))
    fal_url = f"{fake.cdn_base_url}/files/abc/existing.png"
    plan = plan_images(
        reference_images=[front, VECTOR_ID, image_bytes(2), stream, fal_url, tmp_path / "front.png"],
        cover_image=image_bytes(4),
        fal_hosts=fake.fal_hosts,
        allow_external_urls=False,
    )
    async with async_uploader(fake) as up:
        resolved = await up.resolve(plan)
    refs = resolved.references
    assert isinstance(refs, list) and isinstance(resolved.cover, str)
    assert refs[1] == VECTOR_ID and refs[4] == fal_url and refs[5] == refs[0]
    assert [stored_sha(fake, refs[i]) for i in (0, 2, 3)] == [
        sha256_of(front),
        sha256_of(image_bytes(2)),
        sha256_of(image_bytes(3)),
    ]
    assert stored_sha(fake, resolved.cover) == sha256_of(image_bytes(4))
    assert fake.counts["cdnUpload"] == 4 and fake.counts["storageToken"] == 1


async def test_nothing_to_upload_and_invalid_inputs_send_nothing(fake: FakeFal, tmp_path: Path) -> None:
    async with async_uploader(fake) as up:
        plan = plan_images(
            reference_images=[VECTOR_ID],
            cover_image=None,
            fal_hosts=fake.fal_hosts,
            allow_external_urls=False,
        )
        resolved = await up.resolve(plan)
        assert (resolved.references, resolved.cover) == ([VECTOR_ID], None)
        with pytest.raises(ValidationError) as info:
            await up.upload_many([image_bytes(1), tmp_path / "missing.png"])
        assert info.value.field == "files[1]"
    assert fake.requests == []


async def test_multipart_is_byte_exact_and_parts_retry_on_their_own(fake: FakeFal, tmp_path: Path) -> None:
    big = random_file(tmp_path / "clip.bin", 5 * 256 * KiB + 999)
    fake.fail_next(1, 503, path=r"/multipart/[^/]+/2$", method="PUT")
    fake.drop_after_write(1, path=r"/multipart/[^/]+/5$", method="PUT")
    async with async_uploader(fake, multipart_threshold=MiB, part_size=256 * KiB) as up:
        [url] = await up.upload_many([big])
    stored = fake.files[url]
    assert (stored.via, stored.sha256, stored.size, stored.parts_sorted) == (
        "multipart",
        sha256_of(big),
        big.stat().st_size,
        True,
    )
    parts = sorted(r.path.rsplit("/", 1)[1] for r in by_operation(fake, "multipartPart"))
    assert parts == ["1", "2", "2", "3", "4", "5", "5", "6"]


async def test_dedupe_cache_and_concurrent_calls_share_uploads(fake: FakeFal, tmp_path: Path) -> None:
    data = image_bytes(5, 128 * KiB)
    a = write(tmp_path / "a.png", data)
    b = write(tmp_path / "b.png", data)
    fake.latency = 0.1
    async with async_uploader(fake) as up:
        first, second = await asyncio.gather(up.upload_many([a, b, data]), up.upload_many([data]))
        assert len({*first, *second}) == 1 and fake.counts["cdnUpload"] == 1
        before = fake.counts
        assert await up.upload_many([b]) == second
        assert fake.counts == before


async def test_one_token_and_bounded_concurrency(fake: FakeFal) -> None:
    fake.latency = 0.05
    async with async_uploader(fake, concurrency=4) as up:
        urls = await up.upload_many([image_bytes(i, 32 * KiB) for i in range(20)])
    assert len(set(urls)) == 20
    assert fake.counts["storageToken"] == 1
    # Every request waits 50 ms in the fake, so 20 of them overlap: exactly up to the configured bound.
    assert fake.peak_concurrency == 4


async def test_token_refresh_on_401(fake: FakeFal) -> None:
    async with async_uploader(fake) as up:
        await up.upload_many([image_bytes(1)])
        fake.expire_tokens()
        await up.upload_many([image_bytes(2), image_bytes(3)])
    assert fake.counts["storageToken"] == 2


async def test_fallback_presigned_put_has_no_authorization(fake: FakeFal) -> None:
    fake.fail_next(2, 500, path=r"/cdn/files/upload$")
    leaky = httpx.AsyncClient(headers={"Authorization": "Key leaked-default"})
    async with async_uploader(fake, http=leaky, max_retries=1) as up:
        [url] = await up.upload_many([image_bytes(1)])
    assert fake.files[url].via == "presigned"
    [put] = by_operation(fake, "presignedPut")
    assert put.auth_scheme is None
    assert {r.operation: r.auth_scheme for r in fake.requests} == {
        "storageToken": "Key",
        "cdnUpload": "Bearer",
        "uploadInitiate": "Key",
        "presignedPut": None,
    }


async def test_partial_failure_reports_every_input(fake: FakeFal, tmp_path: Path) -> None:
    big = random_file(tmp_path / "big.bin", MiB)
    fake.fail_next(1, 500, path=r"/files/upload/multipart$")
    fake.fail_next(1, 500, path="/storage/upload/initiate")
    async with async_uploader(fake, max_retries=0, multipart_threshold=MiB // 2) as up:
        with pytest.raises(UploadError) as info:
            await up.upload_many([image_bytes(1), big])
    first, second = info.value.results
    assert first.url is not None and first.error is None
    assert second.url is None and second.error is not None and second.input == big


async def test_file_changed_during_upload_is_detected(fake: FakeFal, tmp_path: Path) -> None:
    big = random_file(tmp_path / "grows.bin", 4 * 256 * KiB)

    def grow(event: UploadProgress) -> None:
        with big.open("ab") as f:
            f.write(b"more")

    async with async_uploader(fake, concurrency=1, multipart_threshold=MiB // 2, part_size=256 * KiB) as up:
        with pytest.raises(UploadError) as info:
            await up.upload_many([big], on_progress=grow)
    assert isinstance(info.value.errors[0], SourceChangedError)


async def test_progress_events(fake: FakeFal, tmp_path: Path) -> None:
    big = random_file(tmp_path / "big.bin", 2 * MiB + 3)
    events = Events()
    async with async_uploader(fake) as up:
        [url] = await up.upload_many([big], on_progress=events)
    sent = [e.bytes_sent for e in events.events]
    assert sent == sorted(sent) and sent[-1] == big.stat().st_size
    assert events.events[-1].done and events.events[-1].url == url
    assert sum(e.done for e in events.events) == 1


async def test_cancelling_a_call_leaves_nothing_in_flight(fake: FakeFal) -> None:
    fake.latency = 0.3
    async with async_uploader(fake) as up:
        task = asyncio.ensure_future(up.upload_many([image_bytes(1)]))
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        fake.latency = 0
        # The content is not stuck as "being uploaded": a new call uploads it.
        [url] = await asyncio.wait_for(up.upload_many([image_bytes(1)]), 5)
    assert stored_sha(fake, url) == sha256_of(image_bytes(1))


async def test_unseekable_stream_and_empty_one(fake: FakeFal) -> None:
    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            chunk = self._data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    payload = image_bytes(8, 300 * KiB)
    async with async_uploader(fake) as up:
        [url] = await up.upload_many([io.BufferedReader(Pipe(payload))])
        assert stored_sha(fake, url) == sha256_of(payload)
        with pytest.raises(ValidationError, match="no bytes left"):
            await up.upload_many([image_bytes(9), io.BufferedReader(Pipe(b""))])
    assert fake.counts["cdnUpload"] == 1


async def test_closed_uploader_refuses_work(fake: FakeFal) -> None:
    async with async_uploader(fake) as up:
        await up.aclose()
        with pytest.raises(RuntimeError, match="closed"):
            await up.upload_many([image_bytes(1)])
    assert fake.requests == []


def test_unset_plan_resolves_without_a_loop_running_anything(fake: FakeFal) -> None:
    async def run() -> Any:
        async with async_uploader(fake) as up:
            plan = plan_images(
                reference_images=UNSET, cover_image=UNSET, fal_hosts=fake.fal_hosts, allow_external_urls=False
            )
            return await up.resolve(plan)

    resolved = asyncio.run(run())
    assert resolved.references is UNSET and resolved.cover is UNSET


async def test_token_prefetch_is_settled_when_hashing_fails(fake: FakeFal, tmp_path: Path) -> None:
    good = write(tmp_path / "good.png", image_bytes(1))
    gone = write(tmp_path / "gone.png", image_bytes(2))
    plan = plan_images(
        reference_images=[good, gone], cover_image=UNSET, fal_hosts=fake.fal_hosts, allow_external_urls=False
    )
    gone.unlink()
    fake.latency = 0.2  # the token request is still in flight when hashing fails
    async with async_uploader(fake) as up:
        with pytest.raises(ValidationError):
            await up.resolve(plan)
        # Cancelled with the call: no task of ours is left running on the loop.
        ours = [t for t in asyncio.all_tasks() if "AsyncUploader" in t.get_coro().__qualname__]  # type: ignore[union-attr]
        assert ours == []
    assert not any(r.operation == "cdnUpload" for r in fake.requests)


async def test_token_is_requested_while_hashing(fake: FakeFal) -> None:
    async with async_uploader(fake) as up:
        await up.upload_many([image_bytes(1), image_bytes(2)])
        assert fake.requests[0].operation == "storageToken"
        fake.reset()
        await up.upload_many([image_bytes(1), image_bytes(2)])
    assert fake.requests == []
