"""Downloads from fal's CDN through the public API, against a served FakeFal: files land complete under
their final name only, are named safely, skipped when already there, verified, fetched without any
credential from fal hosts only, and through a signed URL when an ACL forbids them; sync and async."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fal_assets import (
    FalAssets,
    NotFoundError,
)
from fal_assets.testing import FakeFal

from tests import paths
from tests.support import sync_client

DATA = os.urandom(300_000)


def test_no_credential_is_sent_to_the_cdn(fal_fake: FakeFal, tmp_path: Path) -> None:
    url = fal_fake.add_file(DATA, "a.bin")
    with sync_client(fal_fake) as client:
        client.files.download(url, tmp_path / "a.bin")
    [get] = [r for r in fal_fake.requests if r.operation == "fileGet"]
    assert get.auth_scheme is None and "authorization" not in {k.lower() for k in get.headers}


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
