"""fal's own clients, which nobody here wrote, upload to the served FakeFal on every route they use.

fal-client (Python, in the dev extra) is driven in-process; @fal-ai/client (JavaScript) runs under Node,
installed by npm into a temporary folder (npm's own cache keeps repeat installs offline-fast). The Node test
is skipped, with its reason, only when ``node`` is not on PATH. Every upload's bytes are compared with what
the fake stored (sha256 of the whole file, and the bytes read back from the fake's CDN).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fal_assets import FalAssets
from fal_assets.testing import FakeFal

from tests import paths

fal_client = pytest.importorskip("fal_client", reason="fal-client is in the dev extra")
import fal_client.client as fal_module  # noqa: E402

FAL_JS_CLIENT = "@fal-ai/client@1.10.1"
# @fal-ai/client's own switch to multipart: files over 90 MiB (a constant in its storage.js).
JS_MULTIPART_BYTES = 90 * 1024 * 1024 + 1
NODE_SCRIPT = paths.FIXTURES / "fal_js_upload.cjs"


def payload(size: int, seed: int) -> bytes:
    block = hashlib.sha256(str(seed).encode()).digest() * 2048  # 64 KiB, not one repeated byte
    return (block * (size // len(block) + 1))[:size]


@pytest.fixture
def fake() -> Iterator[FakeFal]:
    with FakeFal.serve(keep_data=True) as served:
        yield served


@pytest.fixture
def fal_sync(fake: FakeFal, monkeypatch: pytest.MonkeyPatch) -> Any:
    """fal-client pointed at the fake: its hosts are module constants, read at call time."""
    monkeypatch.setattr(fal_module, "REST_URL", fake.storage_base_url)
    monkeypatch.setattr(fal_module, "CDN_URL", fake.cdn_base_url)
    # SyncClient has no close(); its connections end when the fake stops.
    return fal_client.SyncClient(key=fake.api_key)


def assert_stored(fake: FakeFal, url: str, data: bytes, via: str) -> None:
    stored = fake.files[url]
    assert (stored.via, stored.size, stored.sha256) == (via, len(data), hashlib.sha256(data).hexdigest())
    got = httpx.get(url, headers={"Authorization": f"Key {fake.api_key}"}, trust_env=False)
    assert got.status_code == 200 and got.content == data


# -- fal-client (Python) -------------------------------------------------------------------------------


def test_fal_client_small_upload_uses_the_cdn_token_route(
    fake: FakeFal, fal_sync: Any, tmp_path: Path
) -> None:
    data = payload(200_000, 1)
    (tmp_path / "small.png").write_bytes(data)
    url = fal_sync.upload_file(tmp_path / "small.png")
    assert_stored(fake, url, data, "single")
    assert fake.files[url].name == "small.png" and fake.files[url].content_type == "image/png"
    assert fake.counts["storageToken"] == 1 and fake.counts["cdnUpload"] == 1


def test_fal_client_multipart_is_byte_exact(
    fake: FakeFal, fal_sync: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # fal-client's own thresholds, scaled down: over 1 MiB goes multipart, in 256 KiB parts.
    monkeypatch.setattr(fal_module, "MULTIPART_THRESHOLD", 1024 * 1024)
    monkeypatch.setattr(fal_module, "MULTIPART_CHUNK_SIZE", 256 * 1024)
    data = payload(1024 * 1024 + 300_000, 2)
    (tmp_path / "big.bin").write_bytes(data)
    url = fal_sync.upload_file(tmp_path / "big.bin")
    assert_stored(fake, url, data, "multipart")
    assert fake.counts["multipartInitiate"] == 1 and fake.counts["multipartPart"] == 6


def test_fal_client_falls_back_to_initiate_gcs_when_the_cdn_fails(fake: FakeFal, fal_sync: Any) -> None:
    fake.fail_next(1, 500, path="/cdn/files/upload")
    data = payload(50_000, 3)
    url = fal_sync.upload(data, "image/jpeg", file_name="fallback.jpg")
    assert_stored(fake, url, data, "presigned")
    (put,) = [r for r in fake.requests if r.operation == "presignedPut"]
    assert put.status == 200
    initiate = next(r for r in fake.requests if r.operation == "uploadInitiate")
    assert initiate.query["storage_type"] == "gcs" and initiate.status == 200


def test_fal_client_lifecycle_with_rules_and_no_default(fake: FakeFal, fal_sync: Any) -> None:
    settings = fal_client.StorageSettings(
        expires_in="1h", initial_acl=fal_client.StorageACL(rules=[fal_client.StorageACLRule("bob", "forbid")])
    )
    url = fal_sync.upload(b"with rules", "text/plain", file_name="r.txt", lifecycle=settings)
    with FalAssets(**fake.client_kwargs()) as ours:
        acl = ours.storage.get_acl(url)
    assert acl.default == "allow"  # fal's default, as no account setting says otherwise
    assert [(rule.user, rule.decision) for rule in acl.rules] == [("bob", "forbid")]
    expires = fake.file_expires_at(url)
    assert expires is not None and abs(expires - time.time() - 3600) < 5


@pytest.mark.parametrize("preset", ["immediate", "1h", "1d", "7d", "30d", "1y", "never"])
def test_lifecycle_presets_mean_what_they_mean_to_fal_client(
    fake: FakeFal, fal_sync: Any, preset: str
) -> None:
    from fal_assets import Lifecycle

    fal_sync.upload(b"theirs", "text/plain", lifecycle=fal_client.StorageSettings(expires_in=preset))
    with FalAssets(**fake.client_kwargs()) as ours:
        ours.files.upload(b"ours", lifecycle=Lifecycle(expires_in=preset))  # type: ignore[arg-type]
    theirs_sent, ours_sent = (
        json.loads(r.headers.get("x-fal-object-lifecycle") or "{}").get("expiration_duration_seconds")
        for r in fake.requests
        if r.operation == "cdnUpload"
    )
    # fal-client leaves "never" out (the account's default); ours sends null, fal's "no expiration"
    assert ours_sent == (theirs_sent if preset != "never" else None)
    if preset == "immediate":
        assert ours_sent == 60  # not 0: fal reads 0 as "never"


# -- @fal-ai/client (JavaScript, Node) ------------------------------------------------------------------


@pytest.fixture(scope="module")
def fal_js(tmp_path_factory: pytest.TempPathFactory) -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None:
        pytest.skip("node is not on PATH: @fal-ai/client (fal's JavaScript SDK) cannot run")
    if npm is None:
        pytest.fail("node is installed but npm is not: cannot install @fal-ai/client")
    folder = tmp_path_factory.mktemp("fal-js")
    (folder / "package.json").write_text('{"name": "fal-assets-js-check", "private": true}')
    # --prefer-offline: npm's cache (~/.npm) answers repeat runs without asking the registry.
    installed = subprocess.run(
        [
            npm,
            "install",
            "--prefix",
            str(folder),
            "--no-audit",
            "--no-fund",
            "--prefer-offline",
            "--loglevel=error",
            FAL_JS_CLIENT,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if installed.returncode != 0:
        pytest.fail(f"npm install {FAL_JS_CLIENT} failed:\n{installed.stderr}")
    shutil.copy(NODE_SCRIPT, folder / NODE_SCRIPT.name)
    return folder


def run_js(folder: Path, fake: FakeFal, files: list[Path], lifecycle: dict[str, Any] | None = None) -> Any:
    env = {**os.environ, "FAL_KEY": fake.api_key, "FAKE_STORAGE_URL": fake.storage_base_url}
    env.pop("FAL_KEY_ID", None)
    env.pop("FAL_KEY_SECRET", None)
    argv = ["node", str(folder / NODE_SCRIPT.name), json.dumps(lifecycle), *map(str, files)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env, cwd=folder)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_fal_js_client_small_upload_via_initiate_fal_cdn_v3(
    fal_js: Path, fake: FakeFal, tmp_path: Path
) -> None:
    data = payload(300_000, 4)
    (tmp_path / "small.webp").write_bytes(data)
    (url,) = run_js(fal_js, fake, [tmp_path / "small.webp"], {"expiresIn": "1d"})
    assert_stored(fake, url, data, "presigned")
    initiate = next(r for r in fake.requests if r.operation == "uploadInitiate")
    assert initiate.query["storage_type"] == "fal-cdn-v3" and initiate.auth_scheme == "Key"
    put = next(r for r in fake.requests if r.operation == "presignedPut")
    assert "authorization" not in put.headers  # a presigned PUT carries no credentials
    expires = fake.file_expires_at(url)
    assert expires is not None and abs(expires - time.time() - 86400) < 5


def test_fal_js_client_multipart_via_initiate_multipart(fal_js: Path, tmp_path: Path) -> None:
    data = payload(JS_MULTIPART_BYTES, 5)
    (tmp_path / "big.mp4").write_bytes(data)
    with FakeFal.serve() as fake:  # keeps no bytes over 1 MiB: the sha256 of the assembled file is checked
        (url,) = run_js(fal_js, fake, [tmp_path / "big.mp4"])
    stored = fake.files[url]
    assert (stored.via, stored.size, stored.sha256) == (
        "multipart",
        len(data),
        hashlib.sha256(data).hexdigest(),
    )
    parts = [r for r in fake.requests if r.operation == "signedMultipartPart"]
    assert len(parts) == -(-len(data) // (10 * 1024 * 1024)) and all(r.status == 200 for r in parts)
    assert all("authorization" not in r.headers for r in parts)
    assert fake.writes_applied["signedMultipartComplete"] == 1
