"""A hostile contributor's lock, and two applies at once, against the served FakeFal: the lock is checked,
never trusted, and `apply` holds the manifest's OS lock.

Each hostile case failed before issue 22 (the lock was believed, coerced or raced); the last tests pin the
guarantees that must still hold (an interrupted apply, rerun, gives a complete lock).
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fal_assets import FalAssets, SourceChangedError, ValidationError
from fal_assets.cli import EXIT_USAGE, main
from fal_assets.cli.demo import gradient_png
from fal_assets.testing import FakeFal

from tests.plan_support import by_identifier, write_cast, write_many, writes
from tests.support import sync_client


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    return write_cast(tmp_path)


@pytest.fixture
def client(fal_fake: FakeFal) -> FalAssets:
    return sync_client(fal_fake)


def lock_path(manifest: Path) -> Path:
    return manifest.parent / "characters.lock"


def read_lock(manifest: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(lock_path(manifest).read_text())
    return data


def write_lock(manifest: Path, data: dict[str, Any]) -> None:
    lock_path(manifest).write_text(json.dumps(data))


def applied(client: FalAssets, fake: FakeFal, manifest: Path) -> None:
    client.characters.apply(client.characters.plan(manifest))
    fake.reset()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(fake: FakeFal, *args: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.setenv("FAL_KEY", fake.api_key)
    err = io.StringIO()
    base = ["--base-url", fake.api_base_url, "--storage-url", fake.storage_base_url]
    code = main([*base, *args], stdout=io.StringIO(), stderr=err, stdin=io.StringIO())
    return code, err.getvalue()


def test_a_lock_cannot_point_an_entry_at_a_character_it_does_not_manage(
    client: FalAssets, fal_fake: FakeFal, manifest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    applied(client, fal_fake, manifest)
    production = client.characters.create(
        name="Production Bob", description="live", reference_images=[gradient_png((9, 9, 9), size=5)]
    )
    data = read_lock(manifest)
    data["characters"]["alice"]["id"] = production.id
    write_lock(manifest, data)
    with pytest.raises(ValidationError, match=r"characters\['alice'\].*does not manage"):
        client.characters.plan(manifest)
    code, err = cli(fal_fake, "apply", "--yes", str(manifest), monkeypatch=monkeypatch)
    assert code == EXIT_USAGE and "characters['alice']" in err
    assert fal_fake.characters[production.id]["name"] == "Production Bob"


def test_a_lock_only_entry_cannot_prune_a_character_it_does_not_manage(
    client: FalAssets, fal_fake: FakeFal, manifest: Path
) -> None:
    applied(client, fal_fake, manifest)
    production = fal_fake.add_character(name="Production Bob", character_identifier="prod-bob")
    data = read_lock(manifest)
    data["characters"]["ghost"] = {**data["characters"]["bob"], "id": production["id"]}
    write_lock(manifest, data)
    with pytest.raises(ValidationError, match=r"characters\['ghost'\]"):
        client.characters.plan(manifest, prune=True)
    assert production["id"] in fal_fake.characters and writes(fal_fake) == {}


def test_a_url_the_lock_swapped_in_is_not_written_and_the_content_is_uploaded_again(
    client: FalAssets, fal_fake: FakeFal, manifest: Path
) -> None:
    other = client.files.upload(gradient_png((1, 1, 1), size=20))  # a real fal URL, other content
    front = manifest.parent / "alice" / "1.png"
    write_lock(manifest, {"version": 1, "characters": {}, "uploads": {f"sha256:{sha(front)}": other}})
    plan = client.characters.plan(manifest)
    assert "alice/1.png" in [s.label for s in plan.uploads]  # plan says so: it does not look clean
    client.characters.apply(plan)
    alice = next(c for c in fal_fake.characters.values() if c["character_identifier"] == "alice")
    assert other not in alice["reference_images"]
    assert fal_fake.files[alice["reference_images"][0]].sha256 == sha(front)


def test_a_url_whose_content_matches_is_reused_without_uploading(
    client: FalAssets, fal_fake: FakeFal, manifest: Path
) -> None:
    front = manifest.parent / "alice" / "1.png"
    url = client.files.upload(front)  # what an interrupted apply leaves in "uploads"
    write_lock(manifest, {"version": 1, "characters": {}, "uploads": {f"sha256:{sha(front)}": url}})
    fal_fake.reset()
    plan = client.characters.plan(manifest)
    assert "alice/1.png" not in [s.label for s in plan.uploads]
    fetches = [r for r in fal_fake.requests if r.operation == "fileGet"]
    assert len(fetches) == 1 and fetches[0].auth_scheme is None  # fetched once, without credentials


def lock_with(value: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": "d7tatpsregjaga2cf3d0", "updated_at": "", "references": [], "cover": None}
    return {"version": 1, "characters": {"alice": {**entry, **value}}}


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (json.dumps(lock_with({"id": 123})), "id"),
        (json.dumps(lock_with({"id": None})), "id"),
        (json.dumps(lock_with({"references": [{"source": "sha256:00", "url": None}]})), "url"),
        ('{"version": 1, "characters": {}, "characters": {}}', "duplicate key"),
        ('{"version": 1, "characters": {"a": ' + "[" * 100_000 + "]" * 100_000 + "}}", "nested too deeply"),
        (b'{"version": 1, "characters": {"\xff": {}}}', "not UTF-8"),
        (json.dumps(lock_with({"id": "../../../v1/storage/settings"})), "not a valid id"),
        (json.dumps({**lock_with({}), "characters": {"Alice": lock_with({})["characters"]["alice"]}})[:-1]
         + ', "extra": 1}', "unknown key"),
    ],
    ids=["id-int", "id-null", "url-null", "duplicate", "deep", "undecodable", "id-path", "unknown"],
)  # fmt: skip
def test_a_bad_lock_is_refused_before_any_request(
    fal_fake: FakeFal, manifest: Path, content: str | bytes, match: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock = lock_path(manifest)
    lock.write_bytes(content if isinstance(content, bytes) else content.encode())
    with sync_client(fal_fake) as client, pytest.raises(ValidationError, match=match) as info:
        client.characters.plan(manifest)
    assert str(lock) in str(info.value) and fal_fake.requests == []
    code, err = cli(fal_fake, "plan", str(manifest), monkeypatch=monkeypatch)
    assert code == EXIT_USAGE and err.count("\n") == 1


def test_a_lock_over_the_size_cap_is_refused(fal_fake: FakeFal, manifest: Path) -> None:
    lock_path(manifest).write_bytes(b" " * (33 * 1024 * 1024))
    with sync_client(fal_fake) as client, pytest.raises(ValidationError, match="larger than"):
        client.characters.plan(manifest)


def test_invented_lock_entries_cost_a_bounded_number_of_requests(fal_fake: FakeFal, tmp_path: Path) -> None:
    manifest = write_many(tmp_path, 40)
    ghosts = {f"ghost{i}": lock_with({"id": f"invented{i:06d}"})["characters"]["alice"] for i in range(5_000)}
    mine = {f"c{i:04d}": lock_with({"id": f"made-up{i:04d}"})["characters"]["alice"] for i in range(40)}
    write_lock(manifest, {"version": 1, "characters": {**ghosts, **mine}})
    with sync_client(fal_fake) as client:
        plan = client.characters.plan(manifest, prune=True)
    assert plan.count("create") == 40
    assert fal_fake.counts["getAssetCharacter"] <= 16 and fal_fake.counts["listAssetCharacters"] <= 2


def test_a_second_apply_on_the_same_manifest_is_refused_at_once(fal_fake: FakeFal, tmp_path: Path) -> None:
    manifest = write_many(tmp_path, 24)
    first, second = sync_client(fal_fake), sync_client(fal_fake)
    plans = [first.characters.plan(manifest), second.characters.plan(manifest)]
    fal_fake.latency = 0.02
    worker = threading.Thread(target=first.characters.apply, args=(plans[0],))
    worker.start()
    while not fal_fake.counts["cdnUpload"]:
        time.sleep(0.005)
    started = time.monotonic()
    with pytest.raises(ValidationError, match="another apply is running"):
        second.characters.apply(plans[1])
    assert time.monotonic() - started < 0.5
    worker.join()
    assert len(read_lock(manifest)["characters"]) == 24
    assert all(len(ids) == 1 for ids in by_identifier(fal_fake).values())


def test_the_cli_refuses_while_another_process_holds_the_lock(
    fal_fake: FakeFal, manifest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open(manifest.parent / ".characters.lock.flock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # what a running apply holds
        code, err = cli(fal_fake, "apply", "--yes", str(manifest), monkeypatch=monkeypatch)
    assert code == EXIT_USAGE and "another apply is running" in err and fal_fake.requests == []


def test_stale_temporary_files_are_removed_and_an_unwritable_folder_is_found_first(
    client: FalAssets, fal_fake: FakeFal, manifest: Path
) -> None:
    stale, other = manifest.parent / ".characters.lock.tmp-k9dead", manifest.parent / ".cast.lock.tmp-x"
    stale.write_text("{")
    other.write_text("{")
    applied(client, fal_fake, manifest)
    assert not stale.exists() and other.exists()  # only this manifest's
    (manifest.parent / "characters.lock").unlink()
    os.unlink(manifest.parent / ".characters.lock.flock")
    (manifest.parent / ".characters.lock.flock").mkdir()  # cannot be written, whoever runs the test
    plan = client.characters.plan(manifest)
    fal_fake.reset()
    with pytest.raises(ValidationError, match="cannot write beside the manifest"):
        client.characters.apply(plan)
    assert fal_fake.requests == []


def test_a_file_swapped_for_one_of_the_same_size_is_not_uploaded(
    client: FalAssets, fal_fake: FakeFal, manifest: Path
) -> None:
    plan = client.characters.plan(manifest)
    side = manifest.parent / "bob" / "side.png"
    data = bytearray(side.read_bytes())
    data[-20] ^= 0xFF  # same size, same name, another content
    side.write_bytes(bytes(data))
    with pytest.raises(SourceChangedError, match=r"bob/side\.png"):
        client.characters.apply(plan)
    assert fal_fake.files == {} and writes(fal_fake) == {} and not lock_path(manifest).exists()


def test_recreating_a_deleted_character_is_not_answered_with_a_replay(
    client: FalAssets, fal_fake: FakeFal, manifest: Path
) -> None:
    applied(client, fal_fake, manifest)
    first = read_lock(manifest)["characters"]["bob"]["id"]
    text = manifest.read_text()
    manifest.write_text(text[: text.index("[[character]]", 10)])  # bob removed from the manifest
    client.characters.apply(client.characters.plan(manifest, prune=True))
    assert first not in fal_fake.characters
    manifest.write_text(text)  # and added back, well within fal's 10-minute replay window
    result = client.characters.apply(client.characters.plan(manifest))
    [created] = [c for c in result.changes if c.identifier == "bob"]
    assert created.character_id != first and created.character_id in fal_fake.characters
    assert not any(r.idempotent_replay for r in fal_fake.requests)


def test_a_journal_cut_by_a_kill_is_replayed_and_folded_into_the_lock(
    client: FalAssets, fal_fake: FakeFal, manifest: Path
) -> None:
    applied(client, fal_fake, manifest)
    lock = read_lock(manifest)
    alice = lock["characters"].pop("alice")
    write_lock(manifest, lock)  # the lock from before alice was created ...
    journal = manifest.parent / ".characters.lock.journal"
    record = json.dumps({"record": "alice", "entry": alice})
    journal.write_text(record + "\n" + record[:25])  # ... its journal, cut mid-line by kill -9
    plan = client.characters.plan(manifest)
    assert not plan.has_changes and plan.unchanged == ("alice", "bob")  # alice is known: no duplicate
    client.characters.apply(plan)
    assert not journal.exists() and read_lock(manifest)["characters"]["alice"] == alice
    journal.write_text('{"record": "alice", "entry": {"id": 5}}\n')
    with pytest.raises(ValidationError, match="line 1: not a valid lock journal"):
        client.characters.plan(manifest)
