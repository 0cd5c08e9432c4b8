"""FakeFal's fault injection and inspection over real HTTP: fail, drop, corrupt, latency, masking, reset."""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fal_assets.testing import FakeFal

TLS = ssl.create_default_context()
VALID = {"name": "Alice", "description": "desc", "reference_images": ["019e6d0a-e5be-7b82-b329-35ae64296902"]}


@pytest.fixture
def api(fal_fake: FakeFal) -> Iterator[httpx.Client]:
    auth = {"Authorization": f"Key {fal_fake.api_key}"}
    with httpx.Client(base_url=fal_fake.api_base_url, headers=auth, verify=TLS) as client:
        yield client


def test_fail_next_answers_without_applying(fal_fake: FakeFal, api: httpx.Client) -> None:
    fal_fake.fail_next(2, 503, headers={"Retry-After": "2"})
    assert fal_fake.pending_faults == 2
    for _ in range(2):
        failed = api.post("/assets/characters", json=VALID)
        assert failed.status_code == 503 and failed.headers["retry-after"] == "2"
        error = failed.json()["error"]
        assert error["type"] == "server_error" and error["request_id"] == failed.headers["x-fal-request-id"]
    assert fal_fake.characters == {} and fal_fake.writes_applied.total() == 0
    assert api.post("/assets/characters", json=VALID).status_code == 201
    assert [r.fault for r in fal_fake.requests] == ["fail", "fail", None]
    assert fal_fake.counts["createAssetCharacter"] == 3 and fal_fake.pending_faults == 0


def test_fail_next_comes_before_auth(fal_fake: FakeFal) -> None:
    # An ingress error does not look at credentials.
    fal_fake.fail_next(status=429, headers={"x-ratelimit-reset": "3"})
    with httpx.Client(verify=TLS) as bare:
        limited = bare.get(f"{fal_fake.api_base_url}/assets/characters")
    assert limited.status_code == 429 and limited.json()["error"]["type"] == "rate_limited"
    assert limited.headers["x-ratelimit-reset"] == "3"


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b"\x00raw", "application/octet-stream", b"\x00raw"),
        ("upstream timeout", "text/plain; charset=utf-8", b"upstream timeout"),
        ({"detail": "Bad gateway"}, "application/json", b'{"detail":"Bad gateway"}'),
    ],
)
def test_fail_next_bodies(
    fal_fake: FakeFal,
    api: httpx.Client,
    body: bytes | str | dict[str, str],
    content_type: str,
    expected: bytes,
) -> None:
    fal_fake.fail_next(status=502, body=body)
    response = api.get("/assets/characters")
    assert (response.status_code, response.headers["content-type"], response.content) == (
        502,
        content_type,
        expected,
    )


def test_faults_match_path_and_method(fal_fake: FakeFal, api: httpx.Client) -> None:
    cid = api.post("/assets/characters", json=VALID).json()["character"]["id"]
    fal_fake.fail_next(status=500, path=r"/favorite$", method="post")
    assert api.get(f"/assets/characters/{cid}").status_code == 200
    assert api.post(f"/assets/characters/{cid}/unfavorite").status_code == 200
    assert api.post(f"/assets/characters/{cid}/favorite").status_code == 500
    assert api.post(f"/assets/characters/{cid}/favorite").status_code == 200


def test_drop_after_write_applies_then_hangs_up(fal_fake: FakeFal, api: httpx.Client) -> None:
    fal_fake.drop_after_write()
    assert api.get("/assets/characters").status_code == 200  # reads do not use up a write fault
    headers = {"Idempotency-Key": "retry-me"}
    with pytest.raises(httpx.RemoteProtocolError):
        api.post("/assets/characters", json=VALID, headers=headers)
    assert len(fal_fake.characters) == 1 and fal_fake.writes_applied["createAssetCharacter"] == 1
    (applied,) = fal_fake.characters.values()
    retry = api.post("/assets/characters", json=VALID, headers=headers)
    assert retry.status_code == 201 and retry.headers["x-idempotent-replayed"] == "true"
    assert retry.json()["character"] == applied
    assert fal_fake.writes_applied["createAssetCharacter"] == 1
    assert [r.fault for r in fal_fake.requests] == [None, "drop", None]


def test_drop_can_target_reads_explicitly(fal_fake: FakeFal, api: httpx.Client) -> None:
    fal_fake.drop_after_write(method="GET", path=r"/characters$")
    with pytest.raises(httpx.RemoteProtocolError):
        api.get("/assets/characters")
    assert api.get("/assets/characters").status_code == 200


def test_corrupt_truncated(fal_fake: FakeFal, api: httpx.Client) -> None:
    fal_fake.corrupt_next("truncated", method="POST")
    with pytest.raises(httpx.RemoteProtocolError, match=r"without sending complete message body"):
        api.post("/assets/characters", json=VALID)
    assert len(fal_fake.characters) == 1  # the write itself went through
    assert api.get("/assets/characters").status_code == 200  # and a new connection works


def test_corrupt_bodies(fal_fake: FakeFal, api: httpx.Client) -> None:
    fal_fake.corrupt_next("non_json")
    fal_fake.corrupt_next("html", status=502)
    fal_fake.corrupt_next("wrong_shape", count=1)
    non_json = api.get("/assets/characters")
    assert non_json.status_code == 200 and non_json.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        non_json.json()
    html = api.get("/assets/characters")
    assert html.status_code == 502 and html.headers["content-type"].startswith("text/html")
    assert b"<html>" in html.content
    wrong = api.get("/assets/characters")
    assert wrong.status_code == 200 and "characters" not in wrong.json()
    assert api.get("/assets/characters").json() == {"characters": []}
    assert [r.fault for r in fal_fake.requests] == [
        "corrupt:non_json",
        "corrupt:html",
        "corrupt:wrong_shape",
        None,
    ]


def test_fault_arguments_are_checked(fal_fake: FakeFal) -> None:
    with pytest.raises(ValueError, match="count"):
        fal_fake.fail_next(0)
    with pytest.raises(ValueError, match="status"):
        fal_fake.fail_next(status=99)
    with pytest.raises(ValueError, match="kind"):
        fal_fake.corrupt_next("garbled")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="method"):
        fal_fake.drop_after_write(method="GET /x")
    with pytest.raises(ValueError, match="latency"):
        fal_fake.latency = -1
    assert fal_fake.pending_faults == 0


def test_faults_are_used_exactly_once_under_concurrency(fal_fake: FakeFal, api: httpx.Client) -> None:
    fal_fake.fail_next(5, 503)
    with ThreadPoolExecutor(10) as pool:
        statuses = list(pool.map(lambda _: api.get("/assets/characters").status_code, range(40)))
    assert statuses.count(503) == 5 and statuses.count(200) == 35


def test_latency_and_peak_concurrency(fal_fake: FakeFal, api: httpx.Client) -> None:
    fal_fake.latency = 0.2
    started = time.perf_counter()
    assert api.get("/assets/characters").status_code == 200
    assert time.perf_counter() - started >= 0.2
    barrier = threading.Barrier(6)

    def call(_: int) -> int:
        barrier.wait()
        return api.get("/assets/characters").status_code

    with ThreadPoolExecutor(6) as pool:
        assert set(pool.map(call, range(6))) == {200}
    assert fal_fake.peak_concurrency == 6
    assert fal_fake.connections_opened == 6  # the pool opened one connection per concurrent request


def test_keep_alive_reuses_one_connection(fal_fake: FakeFal, api: httpx.Client) -> None:
    for _ in range(5):
        api.get("/assets/characters")
    assert fal_fake.connections_opened == 1 and fal_fake.peak_concurrency == 1


def test_reset_clears_faults_and_stats_not_data(fal_fake: FakeFal, api: httpx.Client) -> None:
    api.post("/assets/characters", json=VALID)
    fal_fake.fail_next(3)
    fal_fake.latency = 0.5
    fal_fake.reset()
    assert fal_fake.pending_faults == 0 and fal_fake.latency == 0
    assert fal_fake.requests == [] and not fal_fake.counts and not fal_fake.writes_applied
    assert fal_fake.peak_concurrency == 0 and fal_fake.connections_opened == 0
    assert len(fal_fake.characters) == 1
    assert api.get("/assets/characters").status_code == 200


def test_secrets_never_recorded_in_clear() -> None:
    secret = "sk-live-Abc123SuperSecret"
    with FakeFal.serve(api_key=f"key-id:{secret}") as fake, httpx.Client(verify=TLS) as http:
        auth = {"Authorization": f"Key {fake.api_key}"}
        http.post(
            f"{fake.api_base_url}/assets/characters",
            params={"debug": f"key-id:{secret}"},
            json={**VALID, "description": f"pasted by mistake: {secret}"},
            headers={**auth, "X-Debug": f"Key key-id:{secret}", "X-Other": f"Bearer {secret}"},
        )
        token = http.post(f"{fake.storage_base_url}/storage/auth/token", json={}, headers=auth).json()[
            "token"
        ]
        http.post(
            f"{fake.cdn_base_url}/files/upload", content=b"x", headers={"Authorization": f"Bearer {token}"}
        )
        http.get(
            f"{fake.api_base_url}/assets/characters", headers={"Authorization": "Key wrong-but-long-key"}
        )
        recorded = fake.requests
    dump = repr(recorded)
    for leaked in (secret, token, "wrong-but-long-key"):
        assert leaked not in dump
    create, _, upload, rejected = recorded
    assert create.headers["authorization"] == "Key ***" and create.auth_scheme == "Key"
    assert create.headers["x-debug"] == "Key ***" and create.headers["x-other"] == "Bearer ***"
    assert create.query["debug"] == "***" and b"pasted by mistake: ***" in create.body
    assert upload.headers["authorization"] == "Bearer ***" and upload.auth_scheme == "Bearer"
    assert rejected.status == 401 and rejected.headers["authorization"] == "Key ***"
