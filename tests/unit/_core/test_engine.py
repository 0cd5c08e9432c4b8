"""The request engine against hostile servers: deadlines and timeouts bound whole attempts, bodies are
capped, credentials stay with their origins, redirects are not followed, the caller's client is untouched.

Every server here is a raw socket on 127.0.0.1 (tests/hostile.py) that gives up after a few seconds, so a
broken promise fails its test rather than hanging the suite. Timing asserts are upper bounds only.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fal_assets import (
    APIStatusError,
    APITimeoutError,
    AsyncFalAssets,
    FalAssets,
    ResponseTooLargeError,
    UploadError,
    UploadSettings,
)
from fal_assets.testing import FakeFal

from tests.hostile import (
    Behaviour,
    HostileServer,
    endless,
    never_answer,
    redirect,
    reply,
    routes,
    serving,
    slow_headers,
    trickle,
)
from tests.support import api_requests

KEY = "hostile-test-key:s3cr3t"
SLACK = 1.5  # generous: the machine is shared; the bounds below are what the client promises

CHARACTER = {
    "id": "c1",
    "type": "character",
    "name": "Alice",
    "description": None,
    "icon": None,
    "color": None,
    "cover_image_url": None,
    "character_identifier": None,
    "is_favorited": False,
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-01T00:00:00Z",
    "asset_count": 0,
    "reference_images": [],
    "parent_collection_id": None,
}
BODY = json.dumps({"character": CHARACTER}).encode()


def client_for(server: HostileServer, **overrides: Any) -> FalAssets:
    settings: dict[str, Any] = {
        "api_key": KEY,
        "base_url": f"{server.origin}/v1",
        "storage_base_url": server.origin,
        "fal_hosts": ["127.0.0.1"],
        **overrides,
    }
    return FalAssets(**settings)


def async_client_for(server: HostileServer, **overrides: Any) -> AsyncFalAssets:
    settings: dict[str, Any] = {
        "api_key": KEY,
        "base_url": f"{server.origin}/v1",
        "storage_base_url": server.origin,
        "fal_hosts": ["127.0.0.1"],
        **overrides,
    }
    return AsyncFalAssets(**settings)


def timed(call: Callable[[], object]) -> tuple[float, BaseException | None]:
    started = time.monotonic()
    try:
        call()
    except Exception as exc:
        return time.monotonic() - started, exc
    return time.monotonic() - started, None


SLOW_REPLIES: dict[str, Callable[[], Behaviour]] = {
    "trickling-body": lambda: trickle(BODY, interval=0.2),
    "slow-headers": lambda: slow_headers(interval=0.2),
    "endless-slow-body": lambda: endless(chunk=b" ", interval=0.2),
}


# -- deadline and timeout ---------------------------------------------------------------------------------


@pytest.mark.parametrize("attack", SLOW_REPLIES)
def test_deadline_bounds_a_slow_reply(attack: str) -> None:
    with serving(SLOW_REPLIES[attack]()) as server, client_for(server) as client:
        elapsed, error = timed(lambda: client.characters.get("c1", timeout=2, deadline=2))
    assert isinstance(error, APITimeoutError), error
    assert elapsed < 2 + SLACK


@pytest.mark.anyio
@pytest.mark.parametrize("attack", SLOW_REPLIES)
async def test_deadline_bounds_a_slow_reply_async(attack: str) -> None:
    with serving(SLOW_REPLIES[attack]()) as server:
        async with async_client_for(server) as client:
            started = time.monotonic()
            with pytest.raises(APITimeoutError):
                await client.characters.get("c1", timeout=2, deadline=2)
            assert time.monotonic() - started < 2 + SLACK


def test_a_number_timeout_bounds_the_whole_attempt_an_httpx_timeout_each_read() -> None:
    # The last 10 bytes arrive 0.15 s apart: every read is quick, the whole reply takes 1.5 s.
    behaviour = trickle(BODY, interval=0.15, head_start=len(BODY) - 10)
    with serving(behaviour) as server, client_for(server, max_retries=0) as client:
        elapsed, error = timed(lambda: client.characters.get("c1", timeout=0.8))
        assert isinstance(error, APITimeoutError), error
        assert elapsed < 0.8 + SLACK
        assert client.characters.get("c1", timeout=httpx.Timeout(0.8)).id == "c1"


def test_each_retry_gets_a_whole_attempt_and_the_deadline_stops_them() -> None:
    with serving(trickle(BODY, interval=0.2)) as server, client_for(server, max_retries=5) as client:
        elapsed, error = timed(lambda: client.characters.get("c1", timeout=0.5, deadline=1.8))
    assert isinstance(error, APITimeoutError), error
    assert "deadline" in str(error)
    assert 2 <= len(server.requests) <= 4  # retried within the deadline, then stopped
    assert elapsed < 1.8 + SLACK


def _stalled_storage(server_origin: Callable[[], str]) -> Behaviour:
    def token(conn: Any, request: Any) -> None:
        body = {"token": "upload-token", "token_type": "Bearer", "base_url": server_origin()}
        reply(200, body)(conn, request)

    return routes({"/storage/auth/token": token}, default=never_answer())


def _twenty_images(tmp_path: Path) -> list[Path]:
    paths = []
    for n in range(20):
        path = tmp_path / f"image-{n}.png"
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + n.to_bytes(4, "big") * 64)
        paths.append(path)
    return paths


def test_deadline_covers_uploads_and_nothing_is_written(tmp_path: Path, fal_fake: FakeFal) -> None:
    origin: list[str] = []
    with serving(_stalled_storage(lambda: origin[0])) as storage:
        origin.append(storage.origin)
        with FalAssets(
            **{**fal_fake.client_kwargs(), "storage_base_url": storage.origin, "fal_hosts": ["127.0.0.1"]}
        ) as client:
            elapsed, error = timed(
                lambda: client.characters.create(
                    name="A", description="d", reference_images=_twenty_images(tmp_path), deadline=2
                )
            )
    assert isinstance(error, APITimeoutError), error
    assert isinstance(error.__cause__, UploadError)
    assert elapsed < 2 + SLACK
    assert api_requests(fal_fake, "createAssetCharacter") == []


@pytest.mark.anyio
async def test_deadline_covers_uploads_async(tmp_path: Path, fal_fake: FakeFal) -> None:
    origin: list[str] = []
    with serving(_stalled_storage(lambda: origin[0])) as storage:
        origin.append(storage.origin)
        settings = {**fal_fake.client_kwargs(), "storage_base_url": storage.origin}
        async with AsyncFalAssets(**settings) as client:
            started = time.monotonic()
            with pytest.raises(APITimeoutError):
                await client.characters.create(
                    name="A", description="d", reference_images=_twenty_images(tmp_path), deadline=2
                )
            assert time.monotonic() - started < 2 + SLACK
    assert api_requests(fal_fake, "createAssetCharacter") == []


def test_the_calls_timeout_and_retries_govern_its_uploads(fal_fake: FakeFal) -> None:
    origin: list[str] = []
    with serving(_stalled_storage(lambda: origin[0])) as storage:
        origin.append(storage.origin)
        settings = {**fal_fake.client_kwargs(), "storage_base_url": storage.origin, "timeout": 30}
        with FalAssets(**settings) as client:
            elapsed, error = timed(lambda: client.files.upload(b"\x89PNG-one", timeout=0.5, max_retries=1))
    assert isinstance(error, UploadError), error
    uploads = [r for r in storage.requests if r.target.startswith("/files/upload")]
    inits = [r for r in storage.requests if r.target.startswith("/storage/upload/initiate")]
    assert (len(uploads), len(inits)) == (2, 2)  # CDN then presigned fallback, each tried twice
    assert elapsed < 4 * 0.5 + 2 + SLACK  # four attempts of 0.5 s and two backoffs


# -- bounded reads ----------------------------------------------------------------------------------------


def test_an_endless_body_is_cut_at_the_cap() -> None:
    with serving(endless()) as server, client_for(server, max_retries=0) as client:
        elapsed, error = timed(lambda: client.characters.get("c1"))
    assert isinstance(error, ResponseTooLargeError), error
    assert error.limit == 4 * 1024 * 1024
    assert elapsed < 3


# -- credentials, redirects, the caller's client -----------------------------------------------------------


@pytest.mark.parametrize("status", [302, 307])
def test_redirects_are_not_followed_with_the_key(status: int) -> None:
    with serving(reply(200, BODY)) as elsewhere:
        with (
            serving(redirect(f"{elsewhere.origin}/v1/assets/characters/c1", status)) as server,
            httpx.Client(follow_redirects=True) as http,
            client_for(server, http_client=http, max_retries=0) as client,
            pytest.raises(APIStatusError) as info,
        ):
            client.characters.get("c1")
        assert info.value.status_code == status
        assert elsewhere.requests == []


def test_the_callers_http_client_is_used_but_never_changed() -> None:
    with serving(reply(200, BODY)) as server, httpx.Client(headers={"X-Mine": "1"}) as http:
        before = (http.base_url, {k: list(v) for k, v in http.event_hooks.items()}, dict(http.headers))
        with client_for(server, http_client=http) as client:
            assert client.characters.get("c1").id == "c1"
        after = (http.base_url, {k: list(v) for k, v in http.event_hooks.items()}, dict(http.headers))
        assert before == after and not http.is_closed
        (request,) = server.requests
        assert request.headers["authorization"] == f"Key {KEY}"
        assert (
            "x-mine" not in request.headers
        )  # requests are built by the client, not from the pool's defaults


def test_the_upload_token_never_goes_to_another_port() -> None:
    with serving(reply(200, {"etag": "x"})) as other_port:
        origin: list[str] = []

        def token(conn: Any, request: Any) -> None:
            reply(200, {"token": "tok", "token_type": "Bearer", "base_url": origin[0]})(conn, request)

        def multipart(conn: Any, request: Any) -> None:
            # The part URLs on the same host, another port: the token must not follow.
            body = {"access_url": f"{other_port.origin}/files/x", "uploadId": "u1"}
            reply(200, body)(conn, request)

        table = {
            "/storage/auth/token": token,
            "/files/upload/multipart": multipart,
            "/storage/upload/initiate": reply(500, {"error": "no"}),
        }
        with serving(routes(table)) as storage:
            origin.append(storage.origin)
            settings = UploadSettings(multipart_threshold=8, part_size=8)
            with client_for(storage, uploads=settings, max_retries=0) as client, pytest.raises(UploadError):
                client.files.upload(b"0123456789abcdef")
        assert other_port.requests == []


def test_signed_urls_stay_out_of_httpx_log_lines(caplog: pytest.LogCaptureFixture) -> None:
    origin: list[str] = []

    def token(conn: Any, request: Any) -> None:
        reply(200, {"token": "tok", "token_type": "Bearer", "base_url": origin[0]})(conn, request)

    def initiate(conn: Any, request: Any) -> None:
        body = {
            "upload_url": f"{origin[0]}/put/x.png?X-Goog-Signature=SIGNATURE-SECRET",
            "file_url": "https://v3.fal.media/files/x.png",
        }
        reply(200, body)(conn, request)

    table = {
        "/storage/auth/token": token,
        "/files/upload": reply(500, {"error": "down"}),
        "/storage/upload/initiate": initiate,
        "/put/": reply(200, b""),
    }
    caplog.set_level(logging.DEBUG)
    with serving(routes(table)) as storage:
        origin.append(storage.origin)
        with client_for(storage, max_retries=0) as client:
            assert client.files.upload(b"\x89PNG-sig") == "https://v3.fal.media/files/x.png"
    put = [r for r in caplog.records if r.name == "httpx" and "/put/x.png" in r.getMessage()]
    assert put, "httpx logged the PUT"
    assert "SIGNATURE-SECRET" not in caplog.text
    assert "hostile-test-key" not in caplog.text


@pytest.mark.anyio
async def test_async_redirects_are_not_followed() -> None:
    with serving(reply(200, BODY)) as elsewhere:
        with serving(redirect(f"{elsewhere.origin}/v1/assets/characters/c1", 307)) as server:
            async with (
                httpx.AsyncClient(follow_redirects=True) as http,
                async_client_for(server, http_client=http, max_retries=0) as client,
            ):
                with pytest.raises(APIStatusError):
                    await asyncio.wait_for(client.characters.get("c1"), 5)
        assert elsewhere.requests == []


def _mock_reply(request: httpx.Request) -> httpx.Response:
    assert request.headers["authorization"] == f"Key {KEY}"
    return httpx.Response(200, content=BODY, headers={"Content-Type": "application/json"})


def test_a_mock_transport_in_the_callers_client_works() -> None:
    # MockTransport (like respx) hands over responses already read: no stream left to cap or decode.
    with (
        httpx.Client(transport=httpx.MockTransport(_mock_reply)) as http,
        FalAssets(api_key=KEY, base_url="https://api.example.test/v1", http_client=http) as client,
    ):
        assert client.characters.get("c1").id == "c1"


@pytest.mark.anyio
async def test_a_mock_transport_in_the_callers_async_client_works() -> None:
    async with (
        httpx.AsyncClient(transport=httpx.MockTransport(_mock_reply)) as http,
        AsyncFalAssets(api_key=KEY, base_url="https://api.example.test/v1", http_client=http) as client,
    ):
        assert (await client.characters.get("c1")).id == "c1"
