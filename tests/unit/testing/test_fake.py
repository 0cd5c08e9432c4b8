"""FakeFal's two modes and its lifecycle: served start/stop leaves nothing behind, in-process transports
(sync and async) behave like the server, the pytest plugin's fixtures, the response-validator hook."""

from __future__ import annotations

import hashlib
import os
import socket
import ssl
import threading
import time
from collections.abc import AsyncIterator, Mapping
from concurrent.futures import ThreadPoolExecutor

import anyio
import httpx
import pytest
from fal_assets import AsyncFalAssets, FalAssets
from fal_assets.testing import FakeFal, RecordedRequest

from tests.conftest import SPEC_PATH, SpecResponseChecker

TLS = ssl.create_default_context()
VECTOR_ID = "019e6d0a-e5be-7b82-b329-35ae64296902"
VALID = {"name": "Alice", "description": "desc", "reference_images": [VECTOR_ID]}


def open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1].split("/", 1)[0])


def test_stop_leaves_no_thread_or_socket() -> None:
    # Threads are compared as sets: a thread an earlier test left winding down may end meanwhile.
    before, fds = set(threading.enumerate()), open_fds()
    fake = FakeFal().start()
    assert fake.serving and fake.api_base_url.startswith("http://127.0.0.1:")
    port = port_of(fake.api_base_url)
    client = httpx.Client(headers={"Authorization": f"Key {fake.api_key}"}, verify=TLS)
    fake.latency = 0.05
    with ThreadPoolExecutor(4) as pool:
        assert set(
            pool.map(lambda _: client.get(f"{fake.api_base_url}/assets/characters").status_code, range(4))
        ) == {200}
    assert fake.connections_opened == 4
    assert len(set(threading.enumerate()) - before) >= 5  # the accept loop and four kept-alive connections
    fake.stop()  # with the client's connections still open
    assert set(threading.enumerate()) - before == set()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    client.close()
    assert open_fds() - fds == set()  # nothing opened since is still open (others may have closed)
    fake.stop()  # a second stop is harmless


def test_serve_is_a_context_manager_and_keeps_data_after_stop() -> None:
    with FakeFal.serve(api_key="k:secret") as fake, httpx.Client(verify=TLS) as http:
        assert fake.fal_hosts == frozenset({"127.0.0.1"})
        assert fake.storage_base_url == fake.api_base_url.removesuffix("/v1")
        assert fake.cdn_base_url == f"{fake.storage_base_url}/cdn"
        assert fake.client_kwargs() == {
            "api_key": "k:secret",
            "base_url": fake.api_base_url,
            "storage_base_url": fake.storage_base_url,
            "fal_hosts": frozenset({"127.0.0.1"}),
        }
        with pytest.raises(RuntimeError, match="already serving"):
            fake.start()
        response = http.post(
            f"{fake.api_base_url}/assets/characters", json=VALID, headers={"Authorization": "Key k:secret"}
        )
        assert response.status_code == 201
    assert not fake.serving and len(fake.characters) == 1 and len(fake.requests) == 1


def test_restart_serves_the_same_data_on_a_new_port() -> None:
    fake = FakeFal()
    fake.add_character(name="kept")
    with FakeFal.serve() as other:
        assert other.api_base_url != fake.api_base_url
    fake.start()
    try:
        with httpx.Client(verify=TLS) as http:
            listed = http.get(
                f"{fake.api_base_url}/assets/characters", headers={"Authorization": f"Key {fake.api_key}"}
            )
        assert [c["name"] for c in listed.json()["characters"]] == ["kept"]
    finally:
        fake.stop()


# -- in-process transports ---------------------------------------------------------------------------------


def test_sync_transport_flow() -> None:
    fake = FakeFal()
    assert fake.api_base_url == "http://localhost/v1"
    assert fake.storage_base_url == "http://localhost"
    assert fake.cdn_base_url == "http://localhost/cdn"
    assert fake.fal_hosts == frozenset({"localhost"}) and not fake.serving
    auth = {"Authorization": f"Key {fake.api_key}"}
    with httpx.Client(transport=fake.transport(), headers=auth) as http:
        created = http.post(f"{fake.api_base_url}/assets/characters", json=VALID).json()["character"]
        ref_url = created["reference_images"][0]
        assert ref_url == f"http://localhost/cdn/files/ref/{VECTOR_ID}.png"
        assert http.get(ref_url).content.startswith(b"\x89PNG")
        assert (
            http.get(f"{fake.api_base_url}/assets/characters/{created['id']}").json()["character"] == created
        )
        assert (
            http.get(
                f"{fake.api_base_url}/assets/characters", headers={"Authorization": "Bearer x"}
            ).status_code
            == 401
        )

        token = http.post(f"{fake.storage_base_url}/storage/auth/token", json={}).json()
        data = os.urandom(3 * 1024 * 1024)
        uploaded = http.post(
            f"{token['base_url']}/files/upload",
            content=iter([data[:1_000_000], data[1_000_000:]]),
            headers={"Authorization": f"Bearer {token['token']}", "X-Fal-File-Name": "a.bin"},
        ).json()["access_url"]
        assert fake.files[uploaded].sha256 == hashlib.sha256(data).hexdigest()

        fake.drop_after_write()
        with pytest.raises(httpx.RemoteProtocolError):
            http.delete(f"{fake.api_base_url}/assets/characters/{created['id']}")
        assert fake.characters == {}
        fake.corrupt_next("truncated")
        with pytest.raises(httpx.RemoteProtocolError):
            http.get(f"{fake.api_base_url}/assets/characters")
    assert fake.connections_opened == 0
    assert [r.operation for r in fake.requests][:3] == [
        "createAssetCharacter",
        "fileGet",
        "getAssetCharacter",
    ]
    assert all(r.host == "localhost" for r in fake.requests)


@pytest.mark.anyio
async def test_async_transport_flow() -> None:
    fake = FakeFal()
    fake.latency = 0.1
    auth = {"Authorization": f"Key {fake.api_key}"}
    async with httpx.AsyncClient(
        transport=fake.async_transport(), headers=auth, base_url=fake.api_base_url
    ) as http:
        created = await http.post("/assets/characters", json=VALID)
        cid = created.json()["character"]["id"]

        started = time.perf_counter()
        async with anyio.create_task_group() as tasks:
            for _ in range(5):
                tasks.start_soon(http.post, f"/assets/characters/{cid}/favorite")
        assert time.perf_counter() - started < 0.45  # five 0.1 s requests overlapped
        assert fake.peak_concurrency == 5 and fake.writes_applied["favoriteAssetCharacter"] == 5

        fake.latency = 0
        token = (await http.post(f"{fake.storage_base_url}/storage/auth/token", json={})).json()

        async def chunks() -> AsyncIterator[bytes]:
            for piece in (b"abc", b"", b"def"):
                yield piece

        uploaded = await http.post(
            f"{token['base_url']}/files/upload",
            content=chunks(),
            headers={"Authorization": f"Bearer {token['token']}"},
        )
        stored = fake.files[uploaded.json()["access_url"]]
        assert (stored.data, stored.name, stored.content_type) == (
            b"abcdef",
            "file",
            "application/octet-stream",
        )

        fake.drop_after_write(path=r"/favorite$")
        with pytest.raises(httpx.RemoteProtocolError):
            await http.post(f"/assets/characters/{cid}/favorite")
        assert fake.writes_applied["favoriteAssetCharacter"] == 6


# -- pytest plugin -----------------------------------------------------------------------------------------


def test_plugin_fal_fake_is_served(fal_fake: FakeFal) -> None:
    assert fal_fake.serving and fal_fake.api_base_url.startswith("http://127.0.0.1:")


def test_plugin_fal_fake_client(fal_fake: FakeFal, fal_fake_client: FalAssets) -> None:
    character = fal_fake_client.characters.create(
        name="Alice", description="desc", reference_images=[VECTOR_ID]
    )
    assert fal_fake.characters[character.id]["name"] == "Alice"
    assert [c.id for c in fal_fake_client.characters.list()] == [character.id]


@pytest.mark.anyio
async def test_plugin_fal_fake_async_client(fal_fake: FakeFal, fal_fake_async_client: AsyncFalAssets) -> None:
    async with fal_fake_async_client as client:
        character = await client.characters.create(
            name="Bob", description="desc", reference_images=[VECTOR_ID]
        )
        assert (await client.characters.get(character.id)).name == "Bob"
    assert fal_fake.writes_applied["createAssetCharacter"] == 1


# -- response validation hook ------------------------------------------------------------------------------


def test_response_validator_sees_api_responses_but_not_storage_or_faults() -> None:
    seen: list[tuple[str, int, str, bytes]] = []

    def validator(request: RecordedRequest, headers: Mapping[str, str], body: bytes) -> None:
        seen.append((request.operation, request.status, headers["content-type"], body[:14]))

    fake = FakeFal(response_validator=validator)
    with httpx.Client(transport=fake.transport(), headers={"Authorization": f"Key {fake.api_key}"}) as http:
        http.get(f"{fake.api_base_url}/assets/characters")
        http.post(f"{fake.storage_base_url}/storage/auth/token", json={})
        fake.fail_next()
        http.get(f"{fake.api_base_url}/assets/characters")
        http.get(f"{fake.api_base_url}/assets/characters/missing")
    assert seen == [
        ("listAssetCharacters", 200, "application/json", b'{"characters":'),
        ("getAssetCharacter", 404, "application/json", b'{"error":{"typ'),
    ]


def test_the_session_spec_check_catches_a_nonconforming_response(
    fake_responses_conform_to_spec: SpecResponseChecker,
) -> None:
    checker = SpecResponseChecker(SPEC_PATH)  # not the session's: these violations are on purpose
    request = RecordedRequest(
        method="GET",
        path="/v1/assets/characters/abc",
        query={},
        headers={},
        body=b"",
        body_size=0,
        status=200,
        operation="getAssetCharacter",
        auth_scheme="Key",
        request_id="r",
    )
    checker(request, {"content-type": "application/json"}, b'{"character": {"id": "abc"}}')
    checker(request, {"content-type": "application/json"}, b'{"characters": []}')
    # Each is caught twice: by openapi.yaml and by fal's own document.
    assert sorted(v.split(" (")[1].split(")")[0] for v in checker.violations) == [
        "fal's document",
        "fal's document",
        "openapi.yaml",
        "openapi.yaml",
    ]
    before = fake_responses_conform_to_spec.checked
    fake = FakeFal()
    with httpx.Client(transport=fake.transport(), headers={"Authorization": f"Key {fake.api_key}"}) as http:
        http.get(f"{fake.api_base_url}/assets/characters")
    assert fake_responses_conform_to_spec.checked == before + 1


def test_a_burst_of_connections_is_not_reset(fal_fake: FakeFal) -> None:
    # socketserver's default listen backlog (5) resets connections in a burst; the fake's must not.
    port = port_of(fal_fake.api_base_url)
    burst = 64
    barrier = threading.Barrier(burst)
    request = (
        f"GET /v1/assets/characters HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Key {fal_fake.api_key}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()

    def call(_: int) -> bytes:
        barrier.wait()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(request)
            return conn.recv(12)

    with ThreadPoolExecutor(burst) as pool:
        answers = list(pool.map(call, range(burst)))
    assert answers == [b"HTTP/1.1 200"] * burst
    assert fal_fake.connections_opened == burst
