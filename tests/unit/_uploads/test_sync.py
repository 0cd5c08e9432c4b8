"""The sync upload engine against a served FakeFal (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import io
import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fal_assets import UNSET, APIConnectionError, UploadError, UploadSettings, ValidationError
from fal_assets._config import make_config
from fal_assets._core.engine import SyncEngine
from fal_assets._uploads import SyncUploader, UploadProgress
from fal_assets._uploads.references import plan_images
from fal_assets._uploads.sources import SourceChangedError
from fal_assets.testing import FakeFal

from tests.upload_support import (
    CDN_OPERATIONS,
    Events,
    KiB,
    MiB,
    Sleeps,
    by_operation,
    config_for,
    image_bytes,
    random_file,
    sha256_of,
    storage_requests,
    stored_sha,
    sync_uploader,
    write,
)

VECTOR_ID = "019e6d0a-e5be-7b82-b329-35ae64296902"


@pytest.fixture
def fake() -> Iterator[FakeFal]:
    with FakeFal.serve() as served:
        yield served


@pytest.fixture
def uploader(fake: FakeFal) -> Iterator[SyncUploader]:
    with sync_uploader(fake) as up:
        yield up


def resolve(up: SyncUploader, fake: FakeFal, refs: Any, cover: Any = UNSET, **kwargs: Any) -> Any:
    plan = plan_images(
        reference_images=refs, cover_image=cover, fal_hosts=fake.fal_hosts, allow_external_urls=False
    )
    return up.resolve(plan, **kwargs)


# -- resolution -----------------------------------------------------------------------------------------


def test_mixed_inputs_keep_their_order(fake: FakeFal, uploader: SyncUploader, tmp_path: Path) -> None:
    front = write(tmp_path / "front.png", image_bytes(1))
    raw = image_bytes(2)
    stream = io.BytesIO(b"prefix" + image_bytes(3))
    stream.seek(len(b"prefix"))
    fal_url = f"{fake.cdn_base_url}/files/abc/existing.png"
    cover = write(tmp_path / "cover.jpg", image_bytes(4))

    resolved = resolve(uploader, fake, [front, VECTOR_ID, raw, stream, fal_url], cover=str(cover))

    refs = resolved.references
    assert refs[1] == VECTOR_ID and refs[4] == fal_url
    assert [stored_sha(fake, refs[i]) for i in (0, 2, 3)] == [
        sha256_of(front),
        sha256_of(raw),
        sha256_of(image_bytes(3)),
    ]
    assert stored_sha(fake, resolved.cover) == sha256_of(cover)
    assert fake.counts["cdnUpload"] == 4


def test_folder_uploads_its_images_in_name_order(
    fake: FakeFal, uploader: SyncUploader, tmp_path: Path
) -> None:
    for i, name in enumerate(["c.png", "a.png", "b.webp", "skip.txt"]):
        write(tmp_path / name, image_bytes(i))
    resolved = resolve(uploader, fake, tmp_path)
    assert [fake.files[u].name for u in resolved.references] == ["a.png", "b.webp", "c.png"]


def test_nothing_to_upload_sends_nothing(fake: FakeFal, uploader: SyncUploader) -> None:
    resolved = resolve(uploader, fake, [VECTOR_ID], cover=None)
    assert (resolved.references, resolved.cover) == ([VECTOR_ID], None)
    assert resolve(uploader, fake, UNSET).references is UNSET
    assert fake.requests == []


def test_one_invalid_input_means_nothing_is_uploaded(
    fake: FakeFal, uploader: SyncUploader, tmp_path: Path
) -> None:
    good = write(tmp_path / "good.png", image_bytes(1))
    with pytest.raises(ValidationError) as info:
        resolve(uploader, fake, [good, image_bytes(2), tmp_path / "missing.png"])
    assert info.value.field == "reference_images[2]"
    with pytest.raises(ValidationError, match="no bytes left"):
        uploader.upload_many([good, io.BytesIO(b"")])

    class EmptyPipe(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            return 0

    # Known empty only once read (when hashing): still before any file data is sent. The storage token,
    # requested while hashing, is the one request such a late discovery may have cost.
    with pytest.raises(ValidationError, match="no bytes left") as empty:
        uploader.upload_many([good, image_bytes(3), io.BufferedReader(EmptyPipe())])
    assert empty.value.field == "files[2]"
    assert [r.operation for r in fake.requests] == ["storageToken"]


def test_input_that_vanishes_before_hashing_stops_the_call(
    fake: FakeFal, uploader: SyncUploader, tmp_path: Path
) -> None:
    good = write(tmp_path / "good.png", image_bytes(1))
    gone = write(tmp_path / "gone.png", image_bytes(2))
    plan = plan_images(
        reference_images=[good, gone], cover_image=UNSET, fal_hosts=fake.fal_hosts, allow_external_urls=False
    )
    gone.unlink()
    with pytest.raises(ValidationError) as info:
        uploader.resolve(plan)
    assert info.value.field == "reference_images[1]"
    # No file data: at most the storage token, requested while the inputs were hashed.
    assert [r.operation for r in fake.requests] == ["storageToken"]


# -- content types and names ----------------------------------------------------------------------------


def test_content_type_and_file_name(fake: FakeFal, uploader: SyncUploader, tmp_path: Path) -> None:
    named = write(tmp_path / "Café ü 100%.jpg", b"not really a jpeg")
    sniffed = write(tmp_path / "noext", image_bytes(1))
    unknown = write(tmp_path / "blob", b"\x00\x01\x02")
    webp = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 20
    urls = uploader.upload_many(
        [named, sniffed, unknown, webp, b"GIF89a" + b"\x00" * 10, b"\xff\xd8\xff\xe0xx"]
    )
    files = [fake.files[u] for u in urls]
    assert [(f.name, f.content_type) for f in files[:3]] == [
        ("Café ü 100%.jpg", "image/jpeg"),
        ("noext", "image/png"),
        ("blob", "application/octet-stream"),
    ]
    assert files[3].name == f"upload-{sha256_of(webp)[:8]}.webp" and files[3].content_type == "image/webp"
    assert files[4].content_type == "image/gif" and files[4].name.endswith(".gif")
    assert files[5].content_type == "image/jpeg" and files[5].name.endswith(".jpg")
    header = by_operation(fake, "cdnUpload")[0].headers["x-fal-file-name"]
    assert header.isascii()


def test_unseekable_stream_is_spooled_and_uploaded(fake: FakeFal, uploader: SyncUploader) -> None:
    payload = image_bytes(7, 3 * MiB + 5)

    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self._data = io.BytesIO(payload)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            chunk = self._data.read(min(len(buffer), 64 * KiB))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    [url] = uploader.upload_many([io.BufferedReader(Pipe())])
    assert stored_sha(fake, url) == sha256_of(payload) and fake.files[url].size == len(payload)


# -- multipart ------------------------------------------------------------------------------------------


def test_multipart_reassembly_is_byte_exact(fake: FakeFal, tmp_path: Path) -> None:
    big = random_file(tmp_path / "clip.bin", 5 * 256 * KiB + 12_345)
    with sync_uploader(fake, multipart_threshold=MiB, part_size=256 * KiB) as up:
        [url] = up.upload_many([big])
    stored = fake.files[url]
    assert (stored.via, stored.sha256, stored.size, stored.parts_sorted) == (
        "multipart",
        sha256_of(big),
        big.stat().st_size,
        True,
    )
    assert fake.counts["multipartPart"] == 6 and fake.counts["multipartComplete"] == 1
    # Exactly at the threshold is still one request.
    exact = random_file(tmp_path / "exact.bin", MiB)
    with sync_uploader(fake, multipart_threshold=MiB, part_size=256 * KiB) as up:
        [url] = up.upload_many([exact])
    assert fake.files[url].via == "single"


def test_each_part_is_retried_on_its_own(fake: FakeFal, tmp_path: Path) -> None:
    big = random_file(tmp_path / "clip.bin", 4 * 256 * KiB)
    fake.fail_next(2, 503, path=r"/multipart/[^/]+/3$", method="PUT")
    fake.drop_after_write(1, path=r"/multipart/[^/]+/2$", method="PUT")
    with sync_uploader(fake, multipart_threshold=MiB - 1, part_size=256 * KiB) as up:
        [url] = up.upload_many([big])
    assert stored_sha(fake, url) == sha256_of(big) and fake.files[url].via == "multipart"
    parts = [r.path.rsplit("/", 1)[1] for r in by_operation(fake, "multipartPart")]
    assert sorted(parts) == ["1", "2", "2", "3", "3", "3", "4"]
    assert fake.counts["multipartInitiate"] == 1 and fake.counts["presignedPut"] == 0


def test_a_part_failing_for_good_stops_the_others_and_falls_back(fake: FakeFal, tmp_path: Path) -> None:
    # One request at a time: part 1 fails (no retries), parts 2-4 are still queued and never sent; the
    # upload then goes to initiate + presigned PUT, and a second file of the call is uploaded as usual.
    big = random_file(tmp_path / "clip.bin", 4 * 256 * KiB)
    small = write(tmp_path / "small.png", image_bytes(4))
    fake.fail_next(1, 400, path=r"/multipart/[^/]+/1$", method="PUT")
    with sync_uploader(
        fake, max_retries=0, concurrency=1, multipart_threshold=MiB - 1, part_size=256 * KiB
    ) as up:
        urls = up.upload_many([big, small])
    assert [stored_sha(fake, url) for url in urls] == [sha256_of(big), sha256_of(small)]
    assert fake.files[urls[0]].via == "presigned" and fake.counts["presignedPut"] == 1
    assert fake.counts["multipartPart"] == 1 and fake.counts["multipartComplete"] == 0


def test_bytes_above_the_threshold_go_multipart(fake: FakeFal) -> None:
    payload = image_bytes(3, 3 * MiB + 1)
    with sync_uploader(fake, multipart_threshold=MiB, part_size=MiB) as up:
        [url] = up.upload_many([memoryview(payload)])
    assert fake.files[url].via == "multipart" and stored_sha(fake, url) == sha256_of(payload)
    assert fake.counts["multipartPart"] == 4


# -- deduplication and caching --------------------------------------------------------------------------


def test_equal_content_is_uploaded_once_and_cached(
    fake: FakeFal, uploader: SyncUploader, tmp_path: Path
) -> None:
    data = image_bytes(1)
    a = write(tmp_path / "a.png", data)
    b = write(tmp_path / "b.png", data)
    urls = uploader.upload_many([a, b, data, a, io.BytesIO(data)])
    assert len(set(urls)) == 1 and fake.counts["cdnUpload"] == 1

    before = fake.counts
    again = resolve(uploader, fake, [b, VECTOR_ID], cover=a)
    assert again.references == [urls[0], VECTOR_ID] and again.cover == urls[0]
    assert fake.counts == before  # not even a token request


def test_concurrent_calls_share_one_upload_of_the_same_content(fake: FakeFal, tmp_path: Path) -> None:
    data = image_bytes(9, 256 * KiB)
    fake.latency = 0.2
    results: list[list[str]] = []
    with sync_uploader(fake) as up:
        threads = [threading.Thread(target=lambda: results.append(up.upload_many([data]))) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(results) == 4 and len({r[0] for r in results}) == 1
    assert fake.counts["cdnUpload"] == 1 and fake.counts["storageToken"] == 1


# -- tokens ---------------------------------------------------------------------------------------------


def test_one_token_request_serves_20_concurrent_uploads(fake: FakeFal, uploader: SyncUploader) -> None:
    fake.latency = 0.02
    uploader.upload_many([image_bytes(i) for i in range(20)])
    uploader.upload_many([image_bytes(100 + i) for i in range(5)])
    assert fake.counts["storageToken"] == 1 and fake.counts["cdnUpload"] == 25


def test_token_is_refreshed_once_on_401(fake: FakeFal, uploader: SyncUploader) -> None:
    uploader.upload_many([image_bytes(1)])
    fake.expire_tokens()
    [url] = uploader.upload_many([image_bytes(2)])
    assert stored_sha(fake, url) == sha256_of(image_bytes(2))
    assert fake.counts["storageToken"] == 2
    assert [r.status for r in by_operation(fake, "cdnUpload")] == [200, 401, 200]


def test_the_token_request_is_an_empty_json_object_with_the_api_key(
    fake: FakeFal, uploader: SyncUploader
) -> None:
    uploader.upload_many([image_bytes(1)])
    [token] = by_operation(fake, "storageToken")
    assert (token.body, token.headers["content-type"], token.auth_scheme) == (
        b"{}",
        "application/json",
        "Key",
    )


def test_a_token_request_that_never_leaves_does_not_keep_the_call_waiting(tmp_path: Path) -> None:
    # Nothing listens on the storage host: the token request fails before it is sent, and the call (which
    # waits for that request to leave before preparing its inputs) fails instead of waiting forever.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    config = make_config(
        api_key="k",
        base_url=closed,
        storage_base_url=closed,
        fal_hosts={"127.0.0.1"},
        timeout=10.0,
        max_retries=0,
        uploads=UploadSettings(),
    )
    path = write(tmp_path / "a.png", image_bytes(1))
    errors: list[BaseException] = []

    def call() -> None:
        try:
            uploader.upload_many([path])
        except BaseException as exc:
            errors.append(exc)

    with httpx.Client() as http:
        uploader = SyncUploader(SyncEngine(http, Sleeps()), config)
        worker = threading.Thread(target=call, daemon=True)
        worker.start()
        worker.join(30)  # a liveness bound, not a timing: the call ends at once
        uploader.close()
    assert not worker.is_alive(), "the call kept waiting for a token request that never left"
    [error] = errors
    assert isinstance(error, UploadError) and isinstance(error.errors[0], APIConnectionError)


def test_token_request_failure_is_not_repeated_per_upload(fake: FakeFal) -> None:
    fake.fail_next(1, 500, path="/storage/auth/token")
    with sync_uploader(fake, max_retries=0) as up:
        urls = up.upload_many([image_bytes(i) for i in range(5)])
    # The CDN path needs the token; without it every upload took the fallback, after one token request.
    assert fake.counts["storageToken"] == 1 and fake.counts["presignedPut"] == 5
    assert all(fake.files[u].via == "presigned" for u in urls)


# -- concurrency ----------------------------------------------------------------------------------------


def test_uploads_run_concurrently_on_pooled_connections(fake: FakeFal) -> None:
    fake.latency = 0.05
    with sync_uploader(fake, concurrency=8) as up:
        started = time.perf_counter()
        up.upload_many([image_bytes(i, 64 * KiB) for i in range(20)])
        elapsed = time.perf_counter() - started
    assert 1 < fake.peak_concurrency <= 8
    assert fake.connections_opened <= 8
    assert elapsed < 20 * 0.05  # sequential would take at least this


# -- fallback and credentials ---------------------------------------------------------------------------


def test_fallback_to_presigned_put_carries_no_authorization(fake: FakeFal) -> None:
    # A caller's client with an Authorization default must not leak it anywhere.
    leaky = httpx.Client(headers={"Authorization": "Key leaked-default"})
    fake.fail_next(3, 502, path=r"/cdn/files/upload$")
    with sync_uploader(fake, http=leaky, max_retries=2) as up:
        [url] = up.upload_many([image_bytes(1)])
    assert fake.files[url].via == "presigned" and stored_sha(fake, url) == sha256_of(image_bytes(1))
    [put] = by_operation(fake, "presignedPut")
    assert put.auth_scheme is None and "authorization" not in put.headers
    [initiate] = by_operation(fake, "uploadInitiate")
    assert initiate.auth_scheme == "Key"
    assert all(
        r.auth_scheme != "Key" or r.operation in ("storageToken", "uploadInitiate") for r in fake.requests
    )


def test_api_key_never_reaches_the_cdn(fake: FakeFal, tmp_path: Path) -> None:
    big = random_file(tmp_path / "big.bin", 3 * 256 * KiB)
    with sync_uploader(fake, multipart_threshold=MiB // 2, part_size=256 * KiB) as up:
        up.upload_many([big, image_bytes(1)])
    seen = {r.operation: r.auth_scheme for r in storage_requests(fake)}
    assert seen == {
        "storageToken": "Key",
        "cdnUpload": "Bearer",
        "multipartInitiate": "Bearer",
        "multipartPart": "Bearer",
        "multipartComplete": "Bearer",
    }
    assert all(r.auth_scheme == "Bearer" for r in fake.requests if r.operation in CDN_OPERATIONS)


def test_token_is_never_sent_to_a_foreign_access_url(fake: FakeFal, tmp_path: Path) -> None:
    # A multipart initiate answering with an access_url on another host: the parts would carry the upload
    # token there, so the engine refuses and takes the fallback instead. The other host is a second fake
    # (reachable as "localhost", not the CDN's 127.0.0.1), so a leak would show up in its records.
    with FakeFal.serve() as elsewhere:
        foreign = elsewhere.cdn_base_url.replace("127.0.0.1", "localhost")
        fake.fail_next(
            1, 200, body={"access_url": f"{foreign}/files/abc/big.bin", "uploadId": "u1"}, path=r"/multipart$"
        )
        big = random_file(tmp_path / "big.bin", 3 * 256 * KiB)
        with sync_uploader(fake, multipart_threshold=MiB // 2, part_size=256 * KiB) as up:
            [url] = up.upload_many([big])
        assert elsewhere.requests == []
    assert fake.files[url].via == "presigned" and fake.counts["multipartPart"] == 0


def test_malformed_storage_answers_fall_back(fake: FakeFal) -> None:
    fake.corrupt_next("wrong_shape", path=r"/cdn/files/upload$")
    with sync_uploader(fake, max_retries=0) as up:
        [url] = up.upload_many([image_bytes(1)])
    assert fake.files[url].via == "presigned"


# -- failures -------------------------------------------------------------------------------------------


def test_partial_failure_reports_every_input(fake: FakeFal, tmp_path: Path) -> None:
    small_a, small_b = image_bytes(1), image_bytes(2)
    big = random_file(tmp_path / "big.bin", MiB)
    fake.fail_next(1, 500, path=r"/files/upload/multipart$")
    fake.fail_next(1, 500, path="/storage/upload/initiate")
    with (
        sync_uploader(fake, max_retries=0, multipart_threshold=MiB // 2) as up,
        pytest.raises(UploadError) as info,
    ):
        up.upload_many([small_a, big, small_b])
    results = info.value.results
    assert [r.input for r in results] == [small_a, big, small_b]
    assert results[0].url and results[2].url and results[1].url is None
    assert stored_sha(fake, results[0].url) == sha256_of(small_a)
    assert len(info.value.errors) == 1 and "1 of 3 uploads failed" in str(info.value)
    assert "big.bin" in str(info.value) and "500" in str(info.value)


def test_file_changed_during_upload_is_detected(fake: FakeFal, tmp_path: Path) -> None:
    big = random_file(tmp_path / "grows.bin", 4 * 256 * KiB)

    def grow(event: UploadProgress) -> None:
        with big.open("ab") as f:
            f.write(b"more")

    with (
        sync_uploader(fake, concurrency=1, multipart_threshold=MiB // 2, part_size=256 * KiB) as up,
        pytest.raises(UploadError) as info,
    ):
        up.upload_many([big], on_progress=grow)
    [error] = info.value.errors
    assert isinstance(error, SourceChangedError)
    assert fake.counts["presignedPut"] == 0  # a local problem does not take the fallback


def test_retries_then_a_connection_error_is_reported(fake: FakeFal, tmp_path: Path) -> None:
    fake.drop_after_write(1, path=r"/cdn/files/upload$")
    with sync_uploader(fake, max_retries=1) as up:
        [url] = up.upload_many([image_bytes(1)])
    assert fake.counts["cdnUpload"] == 2 and stored_sha(fake, url) == sha256_of(image_bytes(1))


def test_non_retryable_cdn_error_falls_back_without_retrying(fake: FakeFal) -> None:
    fake.fail_next(1, 409, path=r"/cdn/files/upload$")
    with sync_uploader(fake, max_retries=3) as up:
        [url] = up.upload_many([image_bytes(1)])
    assert fake.counts["cdnUpload"] == 1 and fake.files[url].via == "presigned"


# -- progress and logging -------------------------------------------------------------------------------


def test_progress_events(fake: FakeFal, tmp_path: Path) -> None:
    big = random_file(tmp_path / "big.bin", 3 * MiB + 7)
    small = image_bytes(1)
    events = Events()
    with sync_uploader(fake, multipart_threshold=MiB, part_size=MiB) as up:
        urls = up.upload_many([big, small, small], on_progress=events)
    big_events = events.for_input(big)
    sent = [e.bytes_sent for e in big_events]
    assert sent == sorted(sent) and sent[-1] == big.stat().st_size
    assert all(e.total_bytes == big.stat().st_size for e in big_events)
    assert [e.done for e in big_events][-1] and big_events[-1].url == urls[0]
    finals = events.final()
    assert len(finals) == 3 and {e.url for e in finals} == set(urls)
    events.events.clear()
    up2_events = Events()
    with sync_uploader(fake) as up2:
        up2.upload_many([small])
        up2.upload_many([small], on_progress=up2_events)
    [cached] = up2_events.events
    assert cached.done and cached.reused and cached.bytes_sent == cached.total_bytes


def test_a_raising_progress_callback_is_logged_and_ignored(
    fake: FakeFal, uploader: SyncUploader, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[UploadProgress] = []

    def broken(event: UploadProgress) -> None:
        calls.append(event)
        raise RuntimeError("progress bar bug")

    urls = uploader.upload_many([image_bytes(1), image_bytes(2)], on_progress=broken)
    assert len(urls) == 2 and len(calls) == 1
    assert "on_progress callback raised" in caplog.text


def test_one_debug_line_per_storage_request_without_secrets(
    fake: FakeFal, uploader: SyncUploader, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="fal_assets")
    fake.fail_next(1, 502, path=r"/cdn/files/upload$")
    uploader.upload_many([image_bytes(1)])
    lines = [r.getMessage() for r in caplog.records if " -> " in r.getMessage()]
    assert len(lines) == len(fake.requests) == 3
    assert "storageToken POST 127.0.0.1" in lines[0] and "/storage/auth/token -> 200 attempt=1 in" in lines[0]
    assert "cdnUpload POST" in lines[1] and "-> 502" in lines[1]
    text = caplog.text
    assert fake.api_key not in text and "storage_type" not in text and "Bearer" not in text


def test_uploader_close_shuts_down_and_refuses_new_work(fake: FakeFal) -> None:
    http = httpx.Client()
    up = SyncUploader(SyncEngine(http, time.sleep), config_for(fake))
    up.upload_many([image_bytes(1)])
    up.close()
    up.close()
    with pytest.raises(RuntimeError, match="closed"):
        up.upload_many([image_bytes(2)])
    http.close()


def test_an_aborted_call_leaves_nothing_in_flight(fake: FakeFal, uploader: SyncUploader) -> None:
    class Abort(BaseException):
        """Not an Exception: escapes the progress guard, like an interrupt would."""

    def abort(event: UploadProgress) -> None:
        raise Abort

    data = image_bytes(1, 256 * KiB)
    with pytest.raises(Abort):
        uploader.upload_many([data], on_progress=abort)
    # Not left claimed as "being uploaded" (a second call would wait forever), nor cached.
    finished: list[list[str]] = []
    worker = threading.Thread(target=lambda: finished.append(uploader.upload_many([data])), daemon=True)
    worker.start()
    worker.join(10)
    assert finished and stored_sha(fake, finished[0][0]) == sha256_of(data)


def test_token_is_requested_while_hashing_and_reused_afterwards(
    fake: FakeFal, uploader: SyncUploader, tmp_path: Path
) -> None:
    files = [write(tmp_path / f"{i}.png", image_bytes(10 + i)) for i in range(3)]
    uploader.upload_many(files)
    operations = [r.operation for r in fake.requests]
    assert operations.count("storageToken") == 1
    assert operations[0] == "storageToken"
    fake.reset()
    # A cached token: the next call asks for none, and content already uploaded sends nothing at all.
    uploader.upload_many(files)
    assert fake.requests == []


class _Unreadable(io.BytesIO):
    """Seekable, with an image's first bytes (so it passes local validation, which sniffs them), but fails
    when read again, i.e. when hashed in the pool."""

    reads = 0

    def read(self, size: int | None = -1) -> bytes:
        self.reads += 1
        if self.reads == 1:
            return super().read(size)
        raise OSError("device went away")


@pytest.mark.parametrize("unreadable_first", [False, True])
def test_the_first_bad_input_is_reported_whichever_thread_prepared_it(
    fake: FakeFal, uploader: SyncUploader, tmp_path: Path, unreadable_first: bool
) -> None:
    # A local file is prepared in the calling thread, a file object (hashed) in the pool: both fail here,
    # and the error reported is the first in input order, with no file data sent.
    emptied = write(tmp_path / "emptied.png", image_bytes(2))
    unreadable = _Unreadable(image_bytes(3))
    refs: list[Any] = [unreadable, emptied] if unreadable_first else [emptied, unreadable]
    plan = plan_images(
        reference_images=[write(tmp_path / "good.png", image_bytes(1)), *refs],
        cover_image=UNSET,
        fal_hosts=fake.fal_hosts,
        allow_external_urls=False,
    )
    emptied.write_bytes(b"")  # after local validation: found when the file is prepared
    with pytest.raises(ValidationError) as info:
        uploader.resolve(plan)
    assert info.value.field == "reference_images[1]"
    assert ("file object cannot be read" in str(info.value)) is unreadable_first
    assert [r.operation for r in fake.requests] == ["storageToken"]
