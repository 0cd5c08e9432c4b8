"""`fal-assets assets|collections|tags|storage …` against a served FakeFal: JSON output, exit codes, the
human tables, and `assets search --image ./photo.png` (as a real subprocess, from its working directory)."""

from __future__ import annotations

import contextlib
import io
import json
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fal_assets.cli import EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE, main
from fal_assets.testing import FakeFal

from tests.library_support import png

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


def ok(fake: FakeFal, *args: str) -> Any:
    code, out, err = run(fake, *args, "--json")
    assert code == EXIT_OK, err
    return json.loads(out)


def test_library_commands_end_to_end(fake: FakeFal, tmp_path: Path) -> None:
    photo = tmp_path / "alice.png"
    photo.write_bytes(png(12, 12))
    tag = ok(fake, "tags", "create", "alice")
    assert ok(fake, "tags", "update", tag["id"], "Alice")["name"] == "Alice"
    assert [t["name"] for t in ok(fake, "tags", "list")] == ["Alice"]

    asset = ok(fake, "assets", "upload", str(photo), "--prompt", "Alice with red hair", "--tag", tag["id"])
    assert asset["type"] == "image" and [t["id"] for t in asset["tags"]] == [tag["id"]]
    aid = asset["asset_id"]
    assert ok(fake, "assets", "get", aid)["prompt"] == "Alice with red hair"
    assert ok(fake, "assets", "list", "--media-type", "image")["assets"][0]["asset_id"] == aid
    assert [a["asset_id"] for a in ok(fake, "assets", "list", "--all", "--tag", tag["id"])] == [aid]
    assert ok(fake, "assets", "favorite", aid) == {"is_favorited": True}
    assert ok(fake, "assets", "unfavorite", "--vector-id", asset["vector_id"]) == {"is_favorited": False}
    assert ok(fake, "assets", "tags", aid, "--clear") == []
    ok(fake, "tags", "assign", tag["id"], aid)
    assert [t["id"] for t in ok(fake, "assets", "tags", aid)] == [tag["id"]]
    ok(fake, "tags", "unassign", tag["id"], aid)

    top = ok(fake, "collections", "create", "Alice", "--description", "refs")
    child = ok(fake, "collections", "create", "Close-ups", "--parent", top["id"])
    ok(fake, "collections", "add", top["id"], aid)
    assert [a["asset_id"] for a in ok(fake, "collections", "assets", top["id"])] == [aid]
    ok(fake, "collections", "remove", top["id"], aid)
    assert ok(fake, "collections", "assets", top["id"]) == []
    assert ok(fake, "collections", "hierarchy", top["id"])["hierarchy"]["children"][0]["id"] == child["id"]
    assert ok(fake, "collections", "move", child["id"], "--top")["parent_collection_id"] is None
    assert ok(fake, "collections", "favorite", top["id"])["is_favorited"] is True
    assert ok(fake, "collections", "unfavorite", top["id"])["is_favorited"] is False
    assert ok(fake, "collections", "update", top["id"], "--name", "All")["name"] == "All"
    assert {c["id"] for c in ok(fake, "collections", "list", "--all")} == {top["id"], child["id"]}
    assert ok(fake, "collections", "delete", child["id"], "--yes") == {"deleted": child["id"]}
    assert ok(fake, "tags", "delete", tag["id"], "-y") == {"deleted": tag["id"]}

    found = ok(fake, "assets", "search", "red hair")
    assert [a["asset_id"] for a in found] == [aid] and found[0]["similarity"] == 1.0

    url = asset["url"]
    acl = ok(fake, "storage", "acl", url, "--default", "forbid", "--rule", "bob=allow")
    assert acl == {"default": "forbid", "rules": [{"user": "bob", "decision": "allow"}]}
    assert ok(fake, "storage", "acl", url)["default"] == "forbid"
    assert ok(fake, "storage", "sign", url, "--expires-in", "60")["signed_url"].startswith(url + "?")
    assert ok(fake, "storage", "settings")["expiration_duration_seconds"] is None
    changed = ok(fake, "storage", "settings", "--expiration", "3600", "--initial-acl", "hide")
    assert changed["expiration_duration_seconds"] == 3600 and changed["initial_acl"]["default"] == "hide"
    assert ok(fake, "storage", "settings", "--expiration", "never")["expiration_duration_seconds"] is None


def test_human_output_and_exit_codes(fake: FakeFal) -> None:
    code, _, _ = run(fake, "assets", "upload", "-", "--type", "image")
    assert code == EXIT_USAGE  # "-" is neither a file nor a fal URL
    code, out, err = run(fake, "assets", "list")
    assert (code, out.strip()) == (EXIT_OK, "no assets")
    code, _, err = run(fake, "assets", "get", "nope")
    assert code == EXIT_NOT_FOUND and err.startswith("error: 404")
    code, _, err = run(fake, "assets", "favorite", "a", "--vector-id", "b")
    assert code == EXIT_USAGE and "exactly one" in err
    code, _, err = run(fake, "tags", "create", "x" * 51)
    assert code == EXIT_USAGE
    code, _, err = run(fake, "collections", "delete", "c1")
    assert code == EXIT_USAGE and "--yes" in err
    with pytest.raises(SystemExit) as exited:
        run(fake, "assets")  # like `characters`: argparse's usage error
    assert exited.value.code == EXIT_USAGE
    assert [r for r in fake.requests if r.path.startswith("/v1/")][-1].operation == "getAsset"


def test_search_by_a_local_image_as_a_subprocess(fake: FakeFal, tmp_path: Path) -> None:
    (tmp_path / "photo.png").write_bytes(png(7, 7))
    # The fake's search approximation matches an image that is not a library asset by its file name.
    code, _, err = run(fake, "assets", "upload", str(tmp_path / "photo.png"), "--prompt", "Alice photo")
    assert code == EXIT_OK, err
    argv = [sys.executable, "-m", "fal_assets", "--base-url", fake.api_base_url]
    argv += ["--storage-url", fake.storage_base_url, "assets", "search", "--image", "./photo.png"]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["ASSET", "ID"] and "SIMILARITY" in lines[0]
    assert len(lines) == 2 and "Alice photo" in lines[1]
    uploads = [r for r in fake.requests if r.operation == "cdnUpload"]
    assert len(uploads) == 2  # the subprocess uploaded ./photo.png before searching


def test_upload_expiry_from_the_command_line(fake: FakeFal, tmp_path: Path) -> None:
    photo = tmp_path / "a.png"
    photo.write_bytes(png(5, 5))
    ok(fake, "storage", "settings", "--expiration", "60")
    kept = ok(fake, "assets", "upload", str(photo), "--expires-in", "never")
    assert fake.file_expires_at(kept["url"]) is None
    photo.write_bytes(png(6, 6))
    default = ok(fake, "assets", "upload", str(photo))
    assert fake.file_expires_at(default["url"]) is not None
    photo.write_bytes(png(7, 7))
    now = time.time()
    day = ok(fake, "assets", "upload", str(photo), "--expires-in", "1d")
    assert fake.file_expires_at(day["url"]) == pytest.approx(now + 86400, abs=5)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), pytest.raises(SystemExit) as refused:
        run(fake, "assets", "upload", str(photo), "--expires-in", "2h")
    assert refused.value.code == 2 and "1h" in err.getvalue() and "immediate" in err.getvalue()
