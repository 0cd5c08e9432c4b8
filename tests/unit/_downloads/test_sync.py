"""The sync driver: many downloads at once, in order, each failure reported."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fal_assets import (
    DownloadError,
    NotFoundError,
    ValidationError,
)
from fal_assets.testing import FakeFal

from tests.support import sync_client


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
