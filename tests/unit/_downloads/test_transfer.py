"""Downloads from fal's CDN through the public API, against a served FakeFal: files land complete under
their final name only, are named safely, skipped when already there, verified, fetched without any
credential from fal hosts only, and through a signed URL when an ACL forbids them; sync and async."""

from __future__ import annotations

import asyncio
import hashlib
import os
from pathlib import Path

import pytest
from fal_assets import (
    AsyncFalAssets,
    ContentMismatchError,
    DownloadError,
    DownloadProgress,
    FalAssets,
    NotFoundError,
    ValidationError,
)
from fal_assets.testing import FakeFal

from tests import paths
from tests.support import Sleeps, async_client, sync_client

DATA = os.urandom(300_000)


def cdn_gets(fake: FakeFal) -> list[int]:
    return [r.status for r in fake.requests if r.operation == "fileGet"]


def test_download_to_a_folder_names_the_file_from_the_url(fal_fake: FakeFal, tmp_path: Path) -> None:
    url = fal_fake.add_file(DATA, "portrait.png")
    seen: list[DownloadProgress] = []
    with sync_client(fal_fake) as client:
        path = client.files.download(url, tmp_path, on_progress=seen.append)
    assert path == tmp_path / "portrait.png"
    assert path.read_bytes() == DATA
    assert sorted(os.listdir(tmp_path)) == ["portrait.png"]  # no temporary file left behind
    assert seen[-1].done and seen[-1].received == len(DATA) == seen[-1].total
    assert [p.received for p in seen] == sorted(p.received for p in seen)


def test_no_credential_is_sent_to_the_cdn(fal_fake: FakeFal, tmp_path: Path) -> None:
    url = fal_fake.add_file(DATA, "a.bin")
    with sync_client(fal_fake) as client:
        client.files.download(url, tmp_path / "a.bin")
    [get] = [r for r in fal_fake.requests if r.operation == "fileGet"]
    assert get.auth_scheme is None and "authorization" not in {k.lower() for k in get.headers}


def test_only_fal_hosted_urls_unless_allowed(fal_fake: FakeFal, tmp_path: Path) -> None:
    with sync_client(fal_fake) as client:
        for url in ("https://example.com/x.png", "ftp://v3.fal.media/x", "http://v3.fal.media/x"):
            with pytest.raises(ValidationError):
                client.files.download(url, tmp_path / "x")
        with pytest.raises(ValidationError, match="credentials"):
            client.files.download("https://user:pw@v3.fal.media/files/x", tmp_path / "x")
    assert fal_fake.requests == []
    external = fal_fake.add_file(DATA, "e.bin").replace("127.0.0.1", "localhost")
    with sync_client(fal_fake, fal_hosts=["127.0.0.1"]) as client:
        with pytest.raises(ValidationError, match="allow_external_urls"):
            client.files.download(external, tmp_path / "e.bin")
        assert (
            client.files.download(external, tmp_path / "e.bin", allow_external_urls=True).read_bytes() == DATA
        )


def test_a_forbidden_file_is_fetched_through_a_signed_url(fal_fake: FakeFal, tmp_path: Path) -> None:
    url = fal_fake.add_file(DATA, "secret.bin")
    with sync_client(fal_fake) as client:
        client.storage.set_acl(url, default="forbid")
        path = client.files.download(url, tmp_path / "secret.bin")
    assert path.read_bytes() == DATA
    ops = [(r.operation, r.status) for r in fal_fake.requests][1:]
    assert ops == [("fileGet", 403), ("signStorageFileUrl", 200), ("fileGet", 200)]
    assert "identity" in fal_fake.requests[-1].query


def test_a_hidden_file_is_not_found_and_nothing_is_written(fal_fake: FakeFal, tmp_path: Path) -> None:
    url = fal_fake.add_file(DATA, "hidden.bin")
    with sync_client(fal_fake) as client:
        client.storage.set_acl(url, default="hide")
        with pytest.raises(NotFoundError):
            client.files.download(url, tmp_path / "hidden.bin")
    assert os.listdir(tmp_path) == []


def test_same_content_in_place_is_skipped(fal_fake: FakeFal, tmp_path: Path) -> None:
    url = fal_fake.add_file(DATA, "a.bin")
    digest = hashlib.sha256(DATA).hexdigest()
    with sync_client(fal_fake) as client:
        client.files.download(url, tmp_path / "a.bin")
        before = (tmp_path / "a.bin").stat().st_mtime_ns
        seen: list[DownloadProgress] = []
        # Known hash: no request at all.
        client.files.download(url, tmp_path / "a.bin", sha256=digest, on_progress=seen.append)
        assert cdn_gets(fal_fake) == [200] and seen[-1].skipped
        # Unknown hash: the announced size matches, the body is not read, the file is untouched.
        client.files.download(url, tmp_path / "a.bin", on_progress=seen.append)
        assert seen[-1].skipped and (tmp_path / "a.bin").stat().st_mtime_ns == before
        # Other content of another size is replaced.
        (tmp_path / "a.bin").write_bytes(b"old")
        client.files.download(url, tmp_path / "a.bin")
    assert (tmp_path / "a.bin").read_bytes() == DATA


def test_a_wrong_hash_fails_typed_and_leaves_no_file(fal_fake: FakeFal, tmp_path: Path) -> None:
    url = fal_fake.add_file(DATA, "a.bin")
    with sync_client(fal_fake) as client:
        with pytest.raises(ContentMismatchError):
            client.files.download(url, tmp_path / "a.bin", sha256="0" * 64)
        with pytest.raises(ValidationError):
            client.files.download(url, tmp_path / "a.bin", sha256="not-hex")
    assert os.listdir(tmp_path) == []


def test_download_many_keeps_order_and_reports_each_failure(fal_fake: FakeFal, tmp_path: Path) -> None:
    contents = [os.urandom(10_000 + n) for n in range(12)]
    urls = [fal_fake.add_file(c, f"f{n}.bin") for n, c in enumerate(contents)]
    missing = urls[0].rsplit("/", 2)[0] + "/nothing/here.bin"
    with sync_client(fal_fake) as client:
        paths = client.files.download_many([(u, tmp_path) for u in urls])
        assert [p.read_bytes() for p in paths] == contents
        with pytest.raises(DownloadError) as caught:
            client.files.download_many([(urls[0], tmp_path / "x.bin"), (missing, tmp_path / "y.bin")])
        with pytest.raises(ValidationError, match="two downloads"):
            client.files.download_many([(urls[0], tmp_path / "z"), (urls[1], tmp_path / "z")])
    [ok, failed] = caught.value.results
    assert ok.error is None and isinstance(failed.error, NotFoundError)
    assert (tmp_path / "x.bin").read_bytes() == contents[0] and not (tmp_path / "y.bin").exists()


def test_assets_download_names_files_from_their_urls(fal_fake: FakeFal, tmp_path: Path) -> None:
    fal_fake.add_asset(title="one")
    fal_fake.add_asset(title="two")
    with sync_client(fal_fake) as client:
        assets = client.assets.list().assets
        [first] = [client.assets.download(assets[0], tmp_path)]
        paths = client.assets.download_many(assets, tmp_path / "all")
    assert first.parent == tmp_path and first.name.endswith(".png")
    assert len(set(paths)) == 2 and all(p.read_bytes().startswith(b"\x89PNG") for p in paths)


def test_async_downloads(fal_fake: FakeFal, tmp_path: Path) -> None:
    contents = [os.urandom(50_000) for _ in range(5)]
    urls = [fal_fake.add_file(c, f"f{n}.bin") for n, c in enumerate(contents)]

    async def run() -> list[Path]:
        async with async_client(fal_fake) as client:
            await client.storage.set_acl(urls[0], default="forbid")
            one = await client.files.download(urls[1], tmp_path / "one.bin")
            many = await client.files.download_many([(u, f"{tmp_path / 'many'}/") for u in urls])
            return [one, *many]

    paths = asyncio.run(run())
    assert paths[0].read_bytes() == contents[1]
    assert [p.read_bytes() for p in paths[1:]] == contents


def test_async_resumes_a_cut_body(fal_fake: FakeFal, tmp_path: Path) -> None:
    url = fal_fake.add_file(DATA, "a.bin")
    fal_fake.body_fault_next("cut", amount=100_000)
    sleeps = Sleeps()

    async def run() -> Path:
        client: AsyncFalAssets = async_client(fal_fake, sleeps)
        async with client:
            return await client.files.download(url, tmp_path / "a.bin")

    assert asyncio.run(run()).read_bytes() == DATA
    ranges = [r.headers.get("range") for r in fal_fake.requests if r.operation == "fileGet"]
    assert ranges == [None, "bytes=100000-"] and len(sleeps.waits) == 1


def test_client_resource_types(fal_fake: FakeFal) -> None:
    with FalAssets(**fal_fake.client_kwargs()) as client:
        assert callable(client.files.download) and callable(client.files.download_many)


def test_the_readme_download_example_runs_as_written() -> None:
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Downloads: from fal to disk", 1)[1].split("\n## ", 1)[0]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(example, "README.md: Downloads", "exec"), {})  # noqa: S102 -- our README


def test_a_signed_url_stays_out_of_the_logs(
    fal_fake: FakeFal, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = fal_fake.add_file(DATA, "secret.bin")
    with sync_client(fal_fake) as client:
        client.storage.set_acl(url, default="forbid")
        with caplog.at_level("DEBUG"):
            client.files.download(url, tmp_path / "secret.bin")
    identity = fal_fake.requests[-1].query["identity"]
    assert identity and identity not in caplog.text and "[redacted]" in caplog.text
