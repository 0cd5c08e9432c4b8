"""Pure parts of the upload engine shared by both clients: no server involved."""

from __future__ import annotations

import hashlib
import io
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fal_assets import APIResponseValidationError, APIStatusError, ValidationError
from fal_assets._config import DEFAULT_CDN_BASE_URL, make_config
from fal_assets._core.body import Reply
from fal_assets._core.engine import Attempts, scrub
from fal_assets._core.retry import RetryPolicy
from fal_assets._uploads.batch import Registry
from fal_assets._uploads.protocol import (
    Step,
    StorageProtocolError,
    completion_body,
    part_layout,
    step_spec,
)
from fal_assets._uploads.references import FileObject, LocalFile, MemoryBytes
from fal_assets._uploads.sources import (
    CHUNK_SIZE,
    SourceChangedError,
    content_type_for,
    prepare_source,
    sniff_content_type,
)
from fal_assets._uploads.tokens import TokenCache, cdn_token, parse_token

CONFIG = make_config(
    api_key="id:secret",
    base_url=None,
    storage_base_url="https://rest.example.test",
    fal_hosts=None,
    timeout=5.0,
    max_retries=None,
    uploads=None,
)
TOKEN = cdn_token("Bearer tok", "https://v3.fal.media", time.monotonic() + 600, CONFIG.fal_hosts)


def _ignore(response: httpx.Response) -> None:
    return None


def reply(status: int, body: Any = None, headers: dict[str, str] | None = None) -> Reply:
    raw = response(status, body, headers)
    return Reply(raw, raw.content)


def response(status: int, body: Any = None, headers: dict[str, str] | None = None) -> httpx.Response:
    request = httpx.Request("POST", "https://rest.example.test/x")
    if body is None:
        return httpx.Response(status, headers=headers, request=request)
    return httpx.Response(status, json=body, headers=headers, request=request)


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


# -- multipart layout -----------------------------------------------------------------------------------


def test_part_layout_covers_the_file_exactly() -> None:
    layout = part_layout(25, 10)
    assert layout == [(1, 0, 10), (2, 10, 10), (3, 20, 5)]
    assert part_layout(20, 10) == [(1, 0, 10), (2, 10, 10)]
    huge = part_layout(10_000 * 10 + 1, 10)  # would need 10,001 parts of 10
    assert len(huge) <= 10_000 and sum(length for _, _, length in huge) == 100_001


def test_completion_lists_parts_sorted_by_number() -> None:
    assert completion_body({3: "c", 1: "a", 2: "b"}) == {
        "parts": [
            {"partNumber": 1, "etag": "a"},
            {"partNumber": 2, "etag": "b"},
            {"partNumber": 3, "etag": "c"},
        ]
    }


# -- tokens ---------------------------------------------------------------------------------------------


def test_token_is_refreshed_shortly_before_it_expires() -> None:
    in_an_hour = (datetime.now(UTC) + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    token = parse_token(
        response(
            200,
            {
                "token": "t",
                "token_type": "Bearer",
                "base_url": "https://v3b.fal.media",
                "expires_at": in_an_hour,
            },
        )
    )
    assert token.credential.authorization == "Bearer t" and token.base_url == "https://v3b.fal.media"
    assert 3290 < token.refresh_at - time.monotonic() <= 3300  # five minutes early
    short = parse_token(reply(200, {"token": "t", "token_type": "Bearer", "expires_at": time.time() + 60}))
    assert 53 < short.refresh_at - time.monotonic() <= 54  # 10% of a short lifetime
    assert short.base_url == DEFAULT_CDN_BASE_URL
    secret = parse_token(reply(200, {"token": "s3cr3t-token", "token_type": "Bearer"}))
    assert "s3cr3t" not in repr(secret)


@pytest.mark.parametrize(
    "body",
    [
        {"token_type": "Bearer"},
        {"token": "t", "base_url": "http://cdn.example.com"},  # plain http off loopback
        ["not", "an", "object"],
    ],
)
def test_bad_token_responses(body: Any) -> None:
    with pytest.raises(APIResponseValidationError):
        parse_token(reply(200, body))


def test_token_cache_expiry_and_staleness() -> None:
    now = [100.0]
    cache = TokenCache(clock=lambda: now[0])
    token = cdn_token("Bearer a", "https://v3.fal.media", 200.0, ())
    assert cache.usable() is None
    cache.store(token)
    assert cache.usable() is token
    assert cache.usable(stale=token.credential) is None  # a 401 marked it stale
    now[0] = 200.0
    assert cache.usable() is None


# -- requests -------------------------------------------------------------------------------------------


def _build(step: Step, credential: Any, url: str | None = None) -> httpx.Request:
    attempts = Attempts(step_spec(step, url or step.url, credential, None), CONFIG.budget())
    return attempts.build(attempts.begin(), credential)


def test_credentials_go_only_to_their_origins() -> None:
    key = CONFIG.api_credential
    key_step = Step(
        "uploadInitiate", "POST", "https://rest.example.test/storage/upload/initiate", "key", _ignore
    )
    assert _build(key_step, key).headers["Authorization"] == "Key id:secret"
    for elsewhere in (
        "https://rest.example.test.evil.com/storage",
        "https://rest.example.test:8443/storage",  # same host, another port
        "http://rest.example.test/storage",  # same host, plain http
    ):
        with pytest.raises(StorageProtocolError, match="refusing to send credentials"):
            _build(Step("x", "POST", elsewhere, "key", _ignore), key)

    timed = _build(key_step, key)
    assert timed.extensions["timeout"]["read"] <= 5.0  # the client's timeout, bounded by the attempt's
    cdn = _build(
        Step("cdnUpload", "POST", "/files/upload", "token", _ignore),
        TOKEN.credential,
        TOKEN.base_url + "/files/upload",
    )
    assert (
        str(cdn.url) == "https://v3.fal.media/files/upload" and cdn.headers["Authorization"] == "Bearer tok"
    )
    on_fal_host = Step(
        "multipartPart", "PUT", "https://v3b.fal.media/files/x/multipart/u/1", "token", _ignore
    )
    assert _build(on_fal_host, TOKEN.credential).headers["Authorization"]
    for foreign in ("https://storage.example.com/x/multipart/u/1", "https://v3.fal.media:444/x"):
        with pytest.raises(StorageProtocolError):
            _build(Step("multipartPart", "PUT", foreign, "token", _ignore), TOKEN.credential)

    presigned = Step(
        "presignedPut",
        "PUT",
        "https://storage.example.com/x?X-Sig=abc",
        "none",
        _ignore,
        {"Content-Type": "image/png"},
    )
    put = _build(presigned, None)
    assert "Authorization" not in put.headers and put.headers["Content-Type"] == "image/png"


def test_scrub_redacts_the_credential_after_sending() -> None:
    request = httpx.Request("POST", "https://x.test", headers={"Authorization": "Key secret"})
    scrub(request)
    assert request.headers["Authorization"] == "[redacted]"


def test_attempts_follow_the_retry_policy() -> None:
    step = Step("cdnUpload", "POST", "https://v3.fal.media/files/upload", "token", _ignore)
    spec = step_spec(step, step.url, None, None)
    budget = CONFIG.budget({"max_retries": 2})
    budget = type(budget)(
        budget.timeout, None, RetryPolicy(max_retries=2, jitter=lambda: 0.0), budget.deadline
    )
    attempts = Attempts(spec, budget)
    attempts.begin()
    assert attempts.after_reply(response(503), b"").delay > 0  # type: ignore[union-attr]
    attempts.begin()
    decision = attempts.after_reply(response(429, headers={"Retry-After": "3"}), b"")
    assert decision.delay == 3.0  # type: ignore[union-attr]
    attempts.begin()
    with pytest.raises(APIStatusError) as info:
        attempts.after_reply(response(503), b"")
    assert info.value.attempts == 3

    refresh = Attempts(spec, budget)
    refresh.begin()
    first = refresh.after_reply(response(401), b"")
    assert first.refresh and first.delay == 0  # type: ignore[union-attr]
    refresh.begin()
    with pytest.raises(APIStatusError):
        refresh.after_reply(response(401), b"")  # refreshed once already

    conflict_attempts = Attempts(spec, budget)
    conflict_attempts.begin()
    with pytest.raises(APIStatusError) as conflict:
        conflict_attempts.after_reply(response(409), b"")
    assert conflict.value.attempts == 1

    once = type(budget)(budget.timeout, None, RetryPolicy(max_retries=1, jitter=lambda: 0.0), budget.deadline)
    transport = Attempts(spec, once)
    request = httpx.Request("POST", step.url)
    transport.begin()
    assert transport.after_error(httpx.ConnectError("refused"), request) == 0.375
    transport.begin()
    with pytest.raises(Exception, match="ConnectError"):
        transport.after_error(httpx.ConnectError("refused"), request)


# -- the cache ------------------------------------------------------------------------------------------


def _claimed(outcome: str | tuple[object, bool]) -> tuple[object, bool]:
    assert isinstance(outcome, tuple), outcome
    return outcome


def test_registry_is_a_bounded_lru_with_single_flight_claims() -> None:
    registry: Registry[object] = Registry(max_entries=2)
    future, mine = _claimed(registry.claim("a", object))
    assert mine
    again, mine_too = _claimed(registry.claim("a", object))
    assert again is future and not mine_too
    registry.finish("a", future, "url-a")
    assert registry.claim("a", object) == "url-a"
    for key in ("b", "c"):
        claimed, _ = _claimed(registry.claim(key, object))
        registry.finish(key, claimed, f"url-{key}")
    assert len(registry) == 2 and registry.cached("a") is None and registry.cached("c") == "url-c"
    failed, _ = _claimed(registry.claim("d", object))
    registry.finish("d", failed, None)
    assert registry.cached("d") is None and _claimed(registry.claim("d", object))[0] is not failed
