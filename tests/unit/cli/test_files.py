"""`fal-assets download`, `assets download` and `collections download` against a served FakeFal: the
files land in -o DIR, stdout lists them (or one JSON summary), stderr has a line per file and the summary
of files, bytes, skipped and failed; a rerun skips what is there; a failure sets the exit code."""

from __future__ import annotations

import io
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from fal_assets.cli import EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE, main
from fal_assets.testing import FakeFal

KEY = f"cli-{secrets.token_hex(6)}:{secrets.token_hex(16)}"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeFal]:
    for name in ("FAL_KEY_ID", "FAL_KEY_SECRET", "FAL_ASSETS_BASE_URL", "FAL_ASSETS_STORAGE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FAL_KEY", KEY)
    with FakeFal.serve(api_key=KEY) as served:
        yield served


def run(fake: FakeFal, *args: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    argv = ["--base-url", fake.api_base_url, "--storage-url", fake.storage_base_url, *args]
    code = main(argv, stdout=stdout, stderr=stderr, stdin=io.StringIO())
    return code, stdout.getvalue(), stderr.getvalue()


def test_download_urls_then_rerun_skips(fake: FakeFal, tmp_path: Path) -> None:
    contents = [os.urandom(1000 + n) for n in range(3)]
    urls = [fake.add_file(c, f"f{n}.bin") for n, c in enumerate(contents)]
    code, out, err = run(fake, "download", *urls, "-o", str(tmp_path / "out"))
    assert code == EXIT_OK, err
    assert out.splitlines() == [str(tmp_path / "out" / f"f{n}.bin") for n in range(3)]
    assert [(tmp_path / "out" / f"f{n}.bin").read_bytes() for n in range(3)] == contents
    assert err.count("bytes\n") == 3
    assert err.splitlines()[-1] == f"3 files, {sum(map(len, contents))} bytes downloaded; 0 skipped, 0 failed"
    code, out, err = run(fake, "download", *urls, "-o", str(tmp_path / "out"), "--json")
    assert code == EXIT_OK
    assert json.loads(out) == {
        "files": 0,
        "bytes": 0,
        "skipped": 3,
        "failed": 0,
        "paths": [str(tmp_path / "out" / f"f{n}.bin") for n in range(3)],
    }


def test_a_failed_file_is_counted_and_sets_the_exit_code(fake: FakeFal, tmp_path: Path) -> None:
    good = fake.add_file(b"good", "good.bin")
    missing = good.rsplit("/", 2)[0] + "/gone/missing.bin"
    code, out, err = run(fake, "download", good, missing, "-o", str(tmp_path))
    assert code == EXIT_NOT_FOUND
    assert out.splitlines() == [str(tmp_path / "good.bin")]
    assert "1 files, 4 bytes downloaded; 0 skipped, 1 failed" in err and "error:" in err


def test_a_url_not_on_fal_is_a_usage_error_before_any_request(fake: FakeFal, tmp_path: Path) -> None:
    code, _, err = run(fake, "download", "https://example.com/x.png", "-o", str(tmp_path))
    assert code == EXIT_USAGE and "allow_external_urls" in err
    assert [r for r in fake.requests if r.operation == "fileGet"] == []


def test_assets_and_collections_download(fake: FakeFal, tmp_path: Path) -> None:
    first = fake.add_asset(title="one")
    fake.add_asset(title="two", type="image")
    code, out, err = run(fake, "assets", "download", "--media-type", "image", "-o", str(tmp_path / "all"))
    assert code == EXIT_OK, err
    written = out.splitlines()
    assert len(written) == 2 and all(Path(p).read_bytes()[:4] == b"\x89PNG" for p in written)
    code, out, err = run(fake, "collections", "create", "picks", "--json")
    collection = json.loads(out)["id"]
    assert run(fake, "collections", "add", collection, first["asset_id"])[0] == EXIT_OK
    code, out, err = run(fake, "collections", "download", collection, "-o", str(tmp_path / "picks"))
    assert code == EXIT_OK, err
    assert [Path(p).parent for p in out.splitlines()] == [tmp_path / "picks"]
    assert err.splitlines()[-1].startswith("1 files,")
