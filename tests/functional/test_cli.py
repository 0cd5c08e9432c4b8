"""The `fal-assets` command line, run as a subprocess against a served FakeFal (plus a few in-process
checks of what a subprocess cannot show: terminal-only progress and confirmation)."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fal_assets import DEFAULT_FAL_HOSTS
from fal_assets._uploads import UploadProgress
from fal_assets.cli import _secrets_from_env, fal_hosts, main
from fal_assets.cli.demo import gradient_png
from fal_assets.cli.output import ProgressPrinter, SecretMaskingFilter
from fal_assets.testing import FakeFal

KEY = f"cli-{secrets.token_hex(6)}:{secrets.token_hex(16)}"
VECTOR_ID = "019e6d0a-e5be-7b82-b329-35ae64296902"
ERROR_LINE = re.compile(r"^error: (\d{3}) (\w+): (.+?)(?: \(request_id=([\w-]+)\))?$")


@pytest.fixture
def fake() -> Iterator[FakeFal]:
    with FakeFal.serve(api_key=KEY) as served:
        yield served


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("images")
    (root / "refs").mkdir()
    for i, colour in enumerate([(250, 0, 0), (0, 250, 0), (0, 0, 250)]):
        (root / "refs" / f"{i}.png").write_bytes(gradient_png(colour, size=16 + i))
    (root / "refs" / "notes.txt").write_text("not an image: a folder expands to its images only")
    (root / "extra.png").write_bytes(gradient_png((200, 200, 0), size=20))
    (root / "cover.png").write_bytes(gradient_png((90, 0, 200), size=24))
    return root


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAL_")}
    env.update(extra)
    return env


def cli(
    fake: FakeFal, *args: str, key: str | None = KEY, stdin: Any = subprocess.DEVNULL, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = clean_env(**({"FAL_KEY": key} if key is not None else {}))
    argv = [sys.executable, "-m", "fal_assets", "--base-url", fake.api_base_url]
    argv += ["--storage-url", fake.storage_base_url, *args]
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, stdin=stdin, cwd=cwd)


def ok_json(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def uploaded(fake: FakeFal, url: str, source: Path) -> bool:
    stored = fake.files.get(url)
    return stored is not None and stored.data == source.read_bytes()


def test_character_lifecycle(fake: FakeFal, images: Path) -> None:
    refs = images / "refs"
    create = ["characters", "create", "--name", "Alice", "--description", "red hair", "--identifier", "alice"]
    created = ok_json(cli(fake, *create, "--ref", str(refs), "--json"))
    cid = created["id"]
    assert created["name"] == "Alice" and created["character_identifier"] == "alice"
    # The folder became its three images, in name order, each uploaded with its exact bytes.
    assert len(created["reference_images"]) == 3
    for url, name in zip(created["reference_images"], ["0.png", "1.png", "2.png"], strict=True):
        assert uploaded(fake, url, refs / name)
    assert fake.characters[cid]["reference_images"] == created["reference_images"]

    # Files (relative to the working directory), an asset ID and a fal URL from the first call, mixed.
    kept_url = created["reference_images"][1]
    refs_args = ["--ref", "extra.png", "--ref", VECTOR_ID, "--ref", kept_url]
    updated = ok_json(
        cli(fake, "characters", "update", cid, *refs_args, "--cover", "cover.png", "--json", cwd=images)
    )
    new_refs = updated["reference_images"]
    assert len(new_refs) == 3
    assert uploaded(fake, new_refs[0], images / "extra.png")
    assert VECTOR_ID in new_refs[1] and new_refs[1] not in fake.files
    assert new_refs[2] == kept_url
    assert uploaded(fake, updated["cover_image_url"], images / "cover.png")
    assert updated["name"] == "Alice", "fields not given must not change"

    cleared = ok_json(cli(fake, "--json", "characters", "update", cid, "--clear-cover"))
    assert cleared["cover_image_url"] is None
    patch = [r for r in fake.requests if r.operation == "updateAssetCharacter"][-1]
    assert json.loads(patch.body) == {"cover_image_url": None}, "only the cover is sent, as an explicit null"

    favored = ok_json(cli(fake, "characters", "favorite", cid, "--json"))
    assert favored["is_favorited"] is True

    raw = cli(fake, "characters", "list", "--json")
    listed = ok_json(raw)
    assert [c["id"] for c in listed] == list(fake.characters) == [cid]
    assert listed[0] == favored
    # Stable for scripts: keys sorted, exactly the Character's fields.
    assert raw.stdout == json.dumps(listed, sort_keys=True, indent=2) + "\n"
    assert set(listed[0]) >= {"id", "name", "reference_images", "is_favorited", "updated_at", "created_at"}

    table = cli(fake, "characters", "list")
    assert table.returncode == 0, table.stderr
    header, row = table.stdout.splitlines()
    assert header.split() == ["ID", "NAME", "FAV", "REFS", "UPDATED", "(UTC)"]
    assert re.fullmatch(rf"{cid}\s+Alice\s+yes\s+3\s+\d{{4}}-\d\d-\d\d \d\d:\d\d", row)

    shown = cli(fake, "characters", "get", cid)
    assert shown.returncode == 0, shown.stderr
    fields = dict(re.findall(r"^(\w+):\s+(.*)$", shown.stdout, re.MULTILINE))
    assert fields["id"] == cid and fields["name"] == "Alice" and fields["favorite"] == "yes"
    assert fields["cover_image_url"] == "-" and fields["reference_images"] == "3"
    assert [line.strip() for line in shown.stdout.splitlines()[-3:]] == new_refs

    unfavored = ok_json(cli(fake, "characters", "unfavorite", cid, "--json"))
    assert unfavored["is_favorited"] is False

    refused = cli(fake, "characters", "delete", cid)
    assert refused.returncode == 2
    assert "stdin is not a terminal; pass --yes" in refused.stderr
    assert cid in fake.characters

    deleted = cli(fake, "characters", "delete", cid, "--yes")
    assert (deleted.returncode, deleted.stdout) == (0, f"deleted {cid}\n")
    assert cid not in fake.characters

    missing = cli(fake, "characters", "get", cid)
    assert missing.returncode == 4
    assert missing.stdout == ""
    match = ERROR_LINE.match(missing.stderr.rstrip("\n"))
    assert match is not None, missing.stderr
    assert match.groups()[:3] == ("404", "not_found", "Character not found")
    assert match.group(4), "the request id is part of the line"


def test_list_all_pages(fake: FakeFal) -> None:
    ids = {fake.add_character(name=f"page-{i}")["id"] for i in range(5)}
    everything = ok_json(cli(fake, "characters", "list", "--all", "--limit", "2", "--json"))
    assert {c["id"] for c in everything} == ids and len(everything) == 5
    pages = [r.query for r in fake.requests if r.operation == "listAssetCharacters"]
    assert pages == [
        {"limit": "2", "offset": "0"},
        {"limit": "2", "offset": "2"},
        {"limit": "2", "offset": "4"},
    ]
    page = ok_json(cli(fake, "characters", "list", "--limit", "2", "--offset", "1", "--json"))
    assert [c["id"] for c in page] == [c["id"] for c in everything[1:3]]


def test_upload_prints_urls_in_input_order(fake: FakeFal, images: Path) -> None:
    files = [images / "cover.png", images / "refs" / "0.png", images / "extra.png"]
    result = cli(fake, "upload", *map(str, files))
    assert result.returncode == 0, result.stderr
    urls = result.stdout.splitlines()
    assert len(urls) == 3
    assert all(uploaded(fake, url, path) for url, path in zip(urls, files, strict=True))
    # Not a terminal: no progress line.
    assert result.stderr == ""
    as_json = ok_json(cli(fake, "--json", "upload", str(files[0])))
    assert isinstance(as_json, list) and uploaded(fake, as_json[0], files[0])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["characters", "create", "--name", "", "--description", "d", "--ref", VECTOR_ID], "name must be"),
        (["characters", "create", "--name", "n", "--description", "d", "--ref", "./nope.png"], "nope.png"),
        (["characters", "create", "--name", "n"], "the following arguments are required"),
        ([], "usage: fal-assets"),
    ],
)
def test_bad_input_exits_2_before_any_request(fake: FakeFal, args: list[str], message: str) -> None:
    result = cli(fake, *args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert result.stdout == ""
    assert fake.requests == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["characters", "update", "abc"], "needs at least one of --name, --description, --ref, --cover"),
        (["characters", "get", ".."], "is not a valid id"),
        (["characters", "list", "--limit", "0"], "limit must be 1..100"),
        (["characters", "list", "--limit", "x"], "not an integer"),
        (["characters", "update", "x", "--cover", "a.png", "--clear-cover"], "not allowed with argument"),
        (
            [
                "characters",
                "create",
                "--name",
                "n",
                "--description",
                "d",
                "--ref",
                VECTOR_ID,
                "--cover",
                "abc",
            ],
            "--cover 'abc': no such file or folder",
        ),
        # A bare word that is no path, URL or ID shape: a mistyped folder, refused with a hint.
        (
            ["characters", "create", "--name", "n", "--description", "d", "--ref", "nope"],
            "--ref 'nope': no such file or folder; --ref takes a local file or folder, a fal-hosted URL, "
            "or an asset ID",
        ),
        (["characters", "update", "c1", "--ref", "refs"], "--ref 'refs': no such file or folder"),
        (["characters", "update", "c1", "--cover", VECTOR_ID], "not an ID"),
        # The library's names become the flags the user typed.
        (
            ["characters", "update", "c1", "--ref", "https://example.com/x.png"],
            "--ref #1: example.com is not a fal-hosted domain",
        ),
        (["characters"], "characters needs an action"),
        (["upload", "https://v3.fal.media/files/x.png"], "is a URL, not a local file"),
        (["--timeout", "0", "characters", "list"], "--timeout must be positive"),
        (["--base-url", "http://api.example.com/v1", "characters", "list"], "must use https"),
    ],
)
def test_more_bad_input_in_process(
    fake: FakeFal,
    args: list[str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FAL_KEY", KEY)
    base = ["--base-url", fake.api_base_url, "--storage-url", fake.storage_base_url]
    out, err = io.StringIO(), io.StringIO()
    try:
        code = main([*base, *args], stdout=out, stderr=err)
    except SystemExit as exit:  # argparse reports on sys.stderr and exits
        code = exit.code  # type: ignore[assignment]
    assert code == 2
    said = err.getvalue() + capsys.readouterr().err
    assert message in said
    assert not re.search(r"cover_image|reference_images|allow_external_urls|update\(\)", said)
    assert out.getvalue() == ""
    assert fake.requests == []


def test_authentication_errors_exit_3(fake: FakeFal) -> None:
    wrong = cli(fake, "characters", "list", key="wrong-key")
    assert wrong.returncode == 3
    match = ERROR_LINE.match(wrong.stderr.rstrip("\n"))
    assert match is not None and match.group(1) == "401" and match.group(2) == "authorization_error"
    assert "wrong-key" not in wrong.stderr

    missing = cli(fake, "characters", "list", key=None)
    assert missing.returncode == 3
    assert missing.stderr.startswith("error: no fal API key") and missing.stderr.count("\n") == 1

    split = subprocess.run(
        [sys.executable, "-m", "fal_assets", "--base-url", fake.api_base_url, "characters", "list", "--json"],
        env=clean_env(FAL_KEY_ID=KEY.split(":")[0], FAL_KEY_SECRET=KEY.split(":")[1]),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert split.returncode == 0, split.stderr


def test_verbose_logs_never_show_the_key(fake: FakeFal, images: Path) -> None:
    create = ["characters", "create", "--name", "Bob", "--description", "d"]
    files = ["--ref", str(images / "extra.png"), "--cover", str(images / "cover.png")]
    result = cli(fake, "-vv", *create, *files)
    assert result.returncode == 0, result.stderr
    # The logs are there (library, httpx and httpcore), so the absence of the key means something.
    assert "DEBUG fal_assets: createAssetCharacter POST 127.0.0.1:" in result.stderr
    assert "/v1/assets/characters -> 201 attempt=1" in result.stderr
    assert "INFO httpx: HTTP Request: POST" in result.stderr
    assert "DEBUG httpcore" in result.stderr
    for secret in (KEY, *KEY.split(":")):
        assert secret not in result.stderr and secret not in result.stdout
    assert not re.search(r"(Key|Bearer) (?!\*\*\*)\S", result.stderr)

    rejected = KEY + "x"
    failed = cli(fake, "-v", "characters", "get", "nope", key=rejected)
    assert failed.returncode == 3
    assert "DEBUG fal_assets: getAssetCharacter GET 127.0.0.1:" in failed.stderr
    assert "/v1/assets/characters/nope -> 401 attempt=1" in failed.stderr
    assert rejected[:12] not in failed.stderr


# --- in process: what needs a terminal, and the pieces -------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal(fake: FakeFal, images: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAL_KEY", KEY)
    out, err = io.StringIO(), Terminal()
    files = [str(images / "extra.png"), str(images / "cover.png")]
    base = ["--base-url", fake.api_base_url, "--storage-url", fake.storage_base_url]
    code = main([*base, "upload", *files], stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    assert len(out.getvalue().splitlines()) == 2
    progress = err.getvalue()
    size = sum(Path(f).stat().st_size for f in files)
    final = progress.rsplit("\r", 1)[-1]
    assert re.fullmatch(rf"uploading: 2/2 files, {size} B/{size} B, [\d.]+ \w*B/s\s*\n", final), progress
    assert "\n" not in progress[:-1], "one status line, redrawn in place"


def test_delete_asks_on_a_terminal(fake: FakeFal, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAL_KEY", KEY)
    cid = fake.add_character(name="ask me")["id"]
    base = ["--base-url", fake.api_base_url, "characters", "delete", cid]

    class Answer(Terminal):
        pass

    out, err = io.StringIO(), io.StringIO()
    assert main(base, stdout=out, stderr=err, stdin=Answer("n\n")) == 0
    assert f"Delete character {cid}?" in err.getvalue() and "not deleted" in err.getvalue()
    assert cid in fake.characters
    assert main(base, stdout=out, stderr=err, stdin=Answer("yes\n")) == 0
    assert out.getvalue() == f"deleted {cid}\n"
    assert cid not in fake.characters


def test_fal_hosts_add_loopback_hosts_only() -> None:
    assert fal_hosts(None, None, []) == DEFAULT_FAL_HOSTS
    local = fal_hosts("http://127.0.0.1:8000/v1", "http://localhost:9000", ["CDN.Example.com"])
    assert local == DEFAULT_FAL_HOSTS | {"127.0.0.1", "localhost", "cdn.example.com"}
    assert fal_hosts("https://api.example.com/v1", "https://rest.example.com", []) == DEFAULT_FAL_HOSTS


def test_masking_filter() -> None:
    mask = SecretMaskingFilter(["abc:s3cret-value"]).mask
    assert mask("Authorization: Key abc:s3cret-value") == "Authorization: Key ***"
    assert mask("{'authorization': 'Bearer tok.en-123'}") == "{'authorization': 'Bearer ***'}"
    assert mask("[(b'Authorization', b'Key xyz')]") == "[(b'Authorization', b'Key ***')]"
    assert mask("body mentions abc:s3cret-value inline") == "body mentions *** inline"
    assert mask("a Key point, nothing secret") == "a Key ***, nothing secret"  # errs on the safe side

    record = logging.LogRecord(
        "httpx", logging.DEBUG, __file__, 1, "sent %s", ("Key abc:s3cret-value",), None
    )
    assert SecretMaskingFilter(["abc:s3cret-value"]).filter(record)
    assert record.getMessage() == "sent Key ***"


def test_secrets_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAL_KEY", "kid1:topsecret")
    monkeypatch.setenv("FAL_KEY_ID", "kid2")
    monkeypatch.setenv("FAL_KEY_SECRET", "othersecret")
    expected = {"kid1:topsecret", "topsecret", "othersecret", "kid2:othersecret"}
    assert set(_secrets_from_env()) == expected
    mask = SecretMaskingFilter(_secrets_from_env()).mask
    assert mask("url?x=topsecret&y=kid2") == "url?x=***&y=kid2"


def test_progress_printer_counts_files_and_bytes() -> None:
    stream = Terminal()
    printer = ProgressPrinter(stream, total_files=3, interval=0)
    printer(UploadProgress("a.png", 512, 2048, False))
    printer(UploadProgress(b"raw", 1024, 1024, True, url="https://v3.fal.media/files/x"))
    assert printer.status_line().startswith("uploading: 1/3 files, 1.5 KiB/3.0 KiB, ")
    printer(UploadProgress(bytearray(b"unhashable"), 10, 10, False))
    printer(UploadProgress("a.png", 2048, 2048, True))  # the same input again: updated, not added
    assert printer.status_line().startswith("uploading: 2/3 files, 3.0 KiB/3.0 KiB, ")
    printer.finish()
    assert stream.getvalue().endswith("\n") and stream.getvalue().count("\r") == 5


def test_progress_printer_counts_only_what_was_uploaded() -> None:
    printer = ProgressPrinter(Terminal(), total_files=3, interval=0)
    printer(UploadProgress("a.png", 100, 100, True, url="https://v3.fal.media/files/a"))
    printer(UploadProgress("b.png", 40, 100, True, error=KeyboardInterrupt()))  # cancelled by Ctrl-C
    printer(UploadProgress("b.png", 80, 100, False))  # a late event of a cancelled upload: ignored
    assert printer.status_line().startswith("uploading: 1/3 files (1 failed or cancelled), 140 B/200 B, ")


def test_version() -> None:
    from fal_assets import __version__

    result = subprocess.run([sys.executable, "-m", "fal_assets", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout == f"fal-assets {__version__}\n"


def test_usage_errors_are_one_line_and_json_with_json(fake: FakeFal) -> None:
    result = cli(fake, "characters", "create", "--name", "n")
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("fal-assets characters create: error: the following arguments are required")
    assert line.endswith("(see: fal-assets characters create --help)")
    result = cli(fake, "--json", "characters", "create", "--name", "n")
    (line,) = result.stderr.splitlines()
    error = json.loads(line)["error"]
    assert result.returncode == 2 and error["exit_code"] == 2 and "--description" in error["message"]
    assert error["kind"] == "UsageError"
    # One encoding for every --json error, argparse's included: sorted keys, as a script diffing them expects.
    local = cli(fake, "--json", "characters", "create", "--name", "n", "--description", "d", "--ref", "nope")
    assert local.returncode == 2 and json.loads(local.stderr)["error"]["kind"] == "UsageError"
    assert list(json.loads(line)["error"]) == sorted(error) == list(json.loads(local.stderr)["error"])
    assert fake.requests == []


def test_api_and_local_errors_are_json_on_stderr_with_json(fake: FakeFal) -> None:
    result = cli(fake, "characters", "get", "d7tatpsregjaga2cf3d0", "--json")
    assert result.returncode == 4 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    error = json.loads(line)["error"]
    assert error["kind"] == "NotFoundError" and error["status_code"] == 404 and error["exit_code"] == 4
    assert error["error_type"] == "not_found" and error["request_id"] == fake.requests[-1].request_id
    result = cli(
        fake, "--json", "characters", "create", "--name", "", "--description", "d", "--ref", VECTOR_ID
    )
    error = json.loads(result.stderr)["error"]
    assert result.returncode == 2 and error["kind"] == "ValidationError" and error["field"] == "name"


def test_command_help_lists_the_global_options() -> None:
    for argv in (["characters", "--help"], ["assets", "--help"], ["characters", "list", "--help"]):
        shown = subprocess.run([sys.executable, "-m", "fal_assets", *argv], capture_output=True, text=True)
        assert shown.returncode == 0 and "global options" in shown.stdout
        assert all(flag in shown.stdout for flag in ("--base-url", "--storage-url", "--json", "--timeout"))
