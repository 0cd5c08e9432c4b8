"""A download's file side: content already in place is skipped (by hash without a request, by size without
reading the body), a wrong hash leaves no file."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from fal_assets import (
    ContentMismatchError,
    DownloadProgress,
    ValidationError,
)
from fal_assets.testing import FakeFal

from tests.support import sync_client

DATA = os.urandom(300_000)


def cdn_gets(fake: FakeFal) -> list[int]:
    return [r.status for r in fake.requests if r.operation == "fileGet"]


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
