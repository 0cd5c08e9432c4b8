"""`client.characters.plan` / `.apply` on the served FakeFal: the manifest, the lock, and what is sent."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import httpx
import pytest
from fal_assets import APIConnectionError, BadRequestError, FalAssets, ValidationError
from fal_assets.cli.demo import gradient_png
from fal_assets.testing import FakeFal

from tests.plan_support import VECTOR_ID, by_identifier, uploads, write_cast, writes
from tests.support import api_requests, json_body, sync_client


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    return write_cast(tmp_path)


@pytest.fixture
def client(fal_fake: FakeFal) -> FalAssets:
    return sync_client(fal_fake)


def applied(client: FalAssets, fake: FakeFal, manifest: Path) -> None:
    """Apply the manifest, then forget what the fake saw so that a test inspects only what follows."""
    client.characters.apply(client.characters.plan(manifest))
    fake.reset()


def lock_of(manifest: Path) -> dict[str, dict[str, object]]:
    data = json.loads((manifest.parent / "characters.lock").read_text())
    assert data["version"] == 1
    characters: dict[str, dict[str, object]] = data["characters"]
    return characters


def dashboard_patch(fake: FakeFal, cid: str, **fields: object) -> None:
    """An edit made on fal's side, as the dashboard or another tool would: a raw PATCH, not this library."""
    response = httpx.patch(
        f"{fake.api_base_url}/assets/characters/{cid}",
        json=fields,
        headers={"Authorization": f"Key {fake.api_key}"},
        trust_env=False,
    )
    response.raise_for_status()


def test_create_uploads_each_file_once_and_records_the_lock(
    client: FalAssets, fal_fake: FakeFal, manifest: Path
) -> None:
    plan = client.characters.plan(manifest)
    assert [(c.action, c.identifier) for c in plan.changes] == [("create", "alice"), ("create", "bob")]
    assert sorted(s.label for s in plan.uploads) == [
        "alice/1.png",
        "alice/2.png",
        "bob/front.png",
        "bob/side.png",
        "covers/alice.png",
    ]
    assert writes(fal_fake) == {} and uploads(fal_fake) == {}  # planning reads only

    result = client.characters.apply(plan)
    assert result.uploaded == 5 and {c.action for c in result.changes} == {"create"}
    assert fal_fake.counts["cdnUpload"] == 5 and writes(fal_fake) == {"createAssetCharacter": 2}
    stored = {f.sha256 for f in fal_fake.files.values()}
    root = manifest.parent
    for name in ("alice/1.png", "alice/2.png", "bob/front.png", "bob/side.png", "covers/alice.png"):
        assert hashlib.sha256((root / name).read_bytes()).hexdigest() in stored

    remote = {c["character_identifier"]: c for c in fal_fake.characters.values()}
    assert remote["alice"]["description"] == "Red hair, blue jacket, freckles"
    assert len(remote["alice"]["reference_images"]) == 2 and remote["alice"]["cover_image_url"]
    lock = lock_of(manifest)
    assert lock["alice"]["id"] == remote["alice"]["id"] and lock["bob"]["id"] == remote["bob"]["id"]
    bob_refs = lock["bob"]["references"]
    assert isinstance(bob_refs, list) and len(bob_refs) == 3
    front = hashlib.sha256((root / "bob" / "front.png").read_bytes()).hexdigest()
    assert bob_refs[0]["source"] == f"sha256:{front}"
    # The asset ID is recorded with what fal resolved it to.
    assert bob_refs[2] == {"source": VECTOR_ID, "url": remote["bob"]["reference_images"][2]}
    for request in api_requests(fal_fake, "createAssetCharacter"):
        assert (request.idempotency_key or "").startswith("fal-assets-apply-")


def test_second_apply_sends_no_write_and_no_upload(
    client: FalAssets, fal_fake: FakeFal, manifest: Path
) -> None:
    applied(client, fal_fake, manifest)
    lock_before = (manifest.parent / "characters.lock").read_text()

    plan = client.characters.plan(manifest)
    assert not plan.has_changes and plan.unchanged == ("alice", "bob") and plan.uploads == ()
    result = client.characters.apply(plan)
    assert result.changes == () and result.uploaded == 0
    assert dict(fal_fake.counts) == {"listAssetCharacters": 1}
    assert (manifest.parent / "characters.lock").read_text() == lock_before


def test_a_fresh_client_elsewhere_uploads_nothing_already_locked(
    fal_fake: FakeFal, manifest: Path, tmp_path: Path
) -> None:
    """Across processes and machines: the lock (committed with the manifest) is the memory, not a cache."""
    with sync_client(fal_fake) as first:
        applied(first, fal_fake, manifest)
    clone = tmp_path / "clone"
    write_cast(clone)
    (clone / "characters.lock").write_bytes((manifest.parent / "characters.lock").read_bytes())
    with sync_client(fal_fake) as second:
        plan = second.characters.plan(clone / "characters.toml")
        assert not plan.has_changes
        second.characters.apply(plan)
    assert uploads(fal_fake) == {} and writes(fal_fake) == {}


def test_editing_one_description_sends_one_patch_of_that_field(
    client: FalAssets, fal_fake: FakeFal, manifest: Path
) -> None:
    applied(client, fal_fake, manifest)
    manifest.write_text(manifest.read_text().replace("Tall, grey beard", "Tall, grey beard, green scarf"))

    plan = client.characters.plan(manifest)
    [change] = plan.changes
    assert (change.action, change.identifier, change.drift) == ("update", "bob", False)
    assert [(f.field, f.before, f.after) for f in change.fields] == [
        ("description", "Tall, grey beard", "Tall, grey beard, green scarf")
    ]
    client.characters.apply(plan)
    [patch] = api_requests(fal_fake, "updateAssetCharacter")
    assert json_body(patch) == {"description": "Tall, grey beard, green scarf"}
    assert writes(fal_fake) == {"updateAssetCharacter": 1} and uploads(fal_fake) == {}
    assert not client.characters.plan(manifest).has_changes


def test_replacing_one_image_uploads_exactly_that_image_and_sends_one_patch(
    client: FalAssets, fal_fake: FakeFal, manifest: Path
) -> None:
    applied(client, fal_fake, manifest)
    side = manifest.parent / "bob" / "side.png"
    side.write_bytes(gradient_png((10, 250, 10), size=15))
    new_hash = hashlib.sha256(side.read_bytes()).hexdigest()

    plan = client.characters.plan(manifest)
    [change] = plan.changes
    assert change.identifier == "bob" and [f.field for f in change.fields] == ["reference_images"]
    assert [(s.label, s.sha256) for s in plan.uploads] == [("bob/side.png", new_hash)]
    client.characters.apply(plan)

    assert fal_fake.counts["cdnUpload"] == 1 and writes(fal_fake) == {"updateAssetCharacter": 1}
    [stored] = [f for f in fal_fake.files.values() if f.sha256 == new_hash]
    [patch] = api_requests(fal_fake, "updateAssetCharacter")
    body = json_body(patch)
    assert set(body) == {"reference_images"} and body["reference_images"][1] == stored.url
    assert body["reference_images"][2] == VECTOR_ID  # IDs go as written; fal resolves them
    assert lock_of(manifest)["bob"]["references"][1] == {"source": f"sha256:{new_hash}", "url": stored.url}  # type: ignore[index]
    assert not client.characters.plan(manifest).has_changes


def test_an_edit_made_on_fal_shows_as_drift_and_apply_restores_it(
    client: FalAssets, fal_fake: FakeFal, manifest: Path
) -> None:
    applied(client, fal_fake, manifest)
    alice = lock_of(manifest)["alice"]["id"]
    assert isinstance(alice, str)

    for round_ in range(2):  # restoring the same state twice within fal's replay window: both applied
        dashboard_patch(fal_fake, alice, description="Edited in the dashboard", name=f"Alicia {round_}")
        plan = client.characters.plan(manifest)
        [change] = plan.changes
        assert (change.action, change.identifier, change.drift) == ("update", "alice", True)
        assert {f.field: (f.before, f.after) for f in change.fields} == {
            "name": (f"Alicia {round_}", "Alice"),
            "description": ("Edited in the dashboard", "Red hair, blue jacket, freckles"),
        }
        client.characters.apply(plan)
        restored = fal_fake.characters[alice]
        assert (restored["name"], restored["description"]) == ("Alice", "Red hair, blue jacket, freckles")
        assert not client.characters.plan(manifest).has_changes
    assert (
        fal_fake.writes_applied["updateAssetCharacter"] == 4
    )  # 2 dashboard edits + 2 restores, none replayed
    keys = [r.idempotency_key for r in api_requests(fal_fake, "updateAssetCharacter") if r.idempotency_key]
    assert len(keys) == len(set(keys)) == 2


def test_prune_deletes_only_managed_characters_missing_from_the_manifest(
    client: FalAssets, fal_fake: FakeFal, manifest: Path
) -> None:
    unmanaged = fal_fake.add_character(name="Zed", character_identifier="zed", reference_images=[])
    applied(client, fal_fake, manifest)
    bob = lock_of(manifest)["bob"]["id"]
    text = manifest.read_text()
    manifest.write_text(text[: text.index('[[character]]\nidentifier = "bob"')])

    plan = client.characters.plan(manifest)
    assert plan.changes == () and plan.unmanaged_in_lock == ("bob",)
    pruning = client.characters.plan(manifest, prune=True)
    assert [(c.action, c.identifier, c.character_id) for c in pruning.changes] == [("delete", "bob", bob)]
    client.characters.apply(pruning)
    assert writes(fal_fake) == {"deleteAssetCharacter": 1}
    assert bob not in fal_fake.characters and unmanaged["id"] in fal_fake.characters
    assert set(lock_of(manifest)) == {"alice"}
    # An empty manifest with --prune still never touches what the lock does not list.
    manifest.write_text("")
    client.characters.apply(client.characters.plan(manifest, prune=True))
    assert list(fal_fake.characters) == [unmanaged["id"]] and lock_of(manifest) == {}


def test_a_locked_character_deleted_on_fal_is_recreated(
    client: FalAssets, fal_fake: FakeFal, manifest: Path
) -> None:
    applied(client, fal_fake, manifest)
    old = lock_of(manifest)["alice"]["id"]
    assert isinstance(old, str)
    client.characters.delete(old)
    fal_fake.reset()

    plan = client.characters.plan(manifest)
    [change] = plan.changes
    assert (change.action, change.identifier) == ("create", "alice") and old in change.note
    assert fal_fake.counts["getAssetCharacter"] == 1  # not listed: confirmed gone (404) before recreating
    assert plan.uploads == ()  # its images are still on fal's storage: known by content from the lock
    client.characters.apply(plan)
    assert writes(fal_fake) == {"createAssetCharacter": 1} and uploads(fal_fake) == {}
    assert (
        fal_fake.writes_applied["createAssetCharacter"] == 1
    )  # not swallowed as a replay of the first create
    assert lock_of(manifest)["alice"]["id"] != old and by_identifier(fal_fake)["alice"] != [old]


def test_interrupted_apply_converges_without_duplicates_or_lost_lock_entries(
    fal_fake: FakeFal, manifest: Path
) -> None:
    # The first create reaches fal, but its answer is lost and the run stops (no retries): fal has the
    # character, the lock does not.
    with sync_client(fal_fake, max_retries=0) as client:
        fal_fake.drop_after_write(1, path=r"/v1/assets/characters$", method="POST")
        with pytest.raises(APIConnectionError):
            client.characters.apply(client.characters.plan(manifest), max_concurrency=1)
    assert sum(len(ids) for ids in by_identifier(fal_fake).values()) == 1
    assert set(lock_of(manifest)) == set()  # no character recorded, only the uploads

    with sync_client(fal_fake) as client:
        plan = client.characters.plan(manifest)
        adopted = [c for c in plan.changes if "found on fal" in c.note] + [
            i for i, _ in plan.relock if i in by_identifier(fal_fake)
        ]
        assert adopted, plan.changes
        client.characters.apply(plan)
        remote = by_identifier(fal_fake)
        assert sorted(remote) == ["alice", "bob"] and all(len(ids) == 1 for ids in remote.values())
        assert {name: entry["id"] for name, entry in lock_of(manifest).items()} == {
            name: ids[0] for name, ids in remote.items()
        }
        assert not client.characters.plan(manifest).has_changes


def test_a_failure_stops_the_run_and_keeps_every_completed_character_in_the_lock(
    client: FalAssets, fal_fake: FakeFal, manifest: Path
) -> None:
    seen: list[str] = []

    def crash_after_first(change: object) -> None:
        seen.append(getattr(change, "identifier", ""))
        raise KeyboardInterrupt  # as a Ctrl-C between two characters

    with pytest.raises(KeyboardInterrupt):
        client.characters.apply(
            client.characters.plan(manifest), max_concurrency=1, on_applied=crash_after_first
        )
    assert seen == ["alice"] and set(lock_of(manifest)) == {"alice"}
    assert writes(fal_fake) == {"createAssetCharacter": 1}
    client.characters.apply(client.characters.plan(manifest))
    assert sorted(by_identifier(fal_fake)) == ["alice", "bob"] and set(lock_of(manifest)) == {"alice", "bob"}
    assert fal_fake.counts["createAssetCharacter"] == 2


def test_plan_reads_remote_state_with_paged_lists_only(
    client: FalAssets, fal_fake: FakeFal, manifest: Path
) -> None:
    applied(client, fal_fake, manifest)
    for i in range(150):
        fal_fake.add_character(name=f"other {i}", character_identifier=f"other-{i}")
    fal_fake.reset()
    assert not client.characters.plan(manifest).has_changes
    lists = api_requests(fal_fake, "listAssetCharacters")
    assert dict(fal_fake.counts) == {"listAssetCharacters": 2}
    assert [r.query.get("limit") for r in lists] == ["100", "100"]


def test_a_plan_is_applied_once(client: FalAssets, fal_fake: FakeFal, manifest: Path) -> None:
    plan = client.characters.plan(manifest)
    client.characters.apply(plan)
    fal_fake.reset()
    with pytest.raises(ValidationError, match="changed since this plan was made"):
        client.characters.apply(plan)
    assert fal_fake.requests == []


def test_a_character_without_cover_keeps_the_cover_fal_has(
    client: FalAssets, fal_fake: FakeFal, manifest: Path
) -> None:
    applied(client, fal_fake, manifest)
    bob = lock_of(manifest)["bob"]["id"]
    assert isinstance(bob, str)
    cover = fal_fake.characters[str(lock_of(manifest)["alice"]["id"])]["cover_image_url"]
    dashboard_patch(fal_fake, bob, cover_image_url=cover)
    assert not client.characters.plan(manifest).has_changes


def test_apply_bounds_the_writes_in_flight(client: FalAssets, fal_fake: FakeFal, tmp_path: Path) -> None:
    # References by asset ID only: no uploads, so every request in flight during apply is a write.
    entries = [
        f'[[character]]\nidentifier = "c{i}"\nname = "C{i}"\ndescription = "d"\n'
        f'references = ["{VECTOR_ID}"]\n'
        for i in range(12)
    ]
    manifest = tmp_path / "cast.toml"
    manifest.write_text("\n".join(entries))
    plan = client.characters.plan(manifest)
    fal_fake.reset()
    fal_fake.latency = 0.05
    client.characters.apply(plan, max_concurrency=3)
    assert fal_fake.counts == {"createAssetCharacter": 12} and fal_fake.peak_concurrency == 3
    assert (tmp_path / "cast.lock").exists() and not (tmp_path / "characters.lock").exists()


def test_content_uploaded_before_an_interruption_is_not_uploaded_again(
    fal_fake: FakeFal, manifest: Path
) -> None:
    with sync_client(fal_fake, max_retries=0) as client:
        fal_fake.fail_next(1, status=400, path=r"/v1/assets/characters$", method="POST")
        with pytest.raises(BadRequestError):
            client.characters.apply(client.characters.plan(manifest), max_concurrency=1)
    assert fal_fake.counts["cdnUpload"] == 5 and writes(fal_fake) == {"createAssetCharacter": 1}
    pending = json.loads((manifest.parent / "characters.lock").read_text())["uploads"]
    assert len(pending) == 5 and all(url in fal_fake.files for url in pending.values())
    fal_fake.reset()

    with sync_client(fal_fake) as client:
        plan = client.characters.plan(manifest)
        assert [c.action for c in plan.changes] == ["create", "create"] and plan.uploads == ()
        client.characters.apply(plan)
    assert uploads(fal_fake) == {} and writes(fal_fake) == {"createAssetCharacter": 2}
    lock = json.loads((manifest.parent / "characters.lock").read_text())
    assert "uploads" not in lock and set(lock["characters"]) == {"alice", "bob"}  # all attached now


def test_two_unmanaged_characters_with_one_identifier_are_reported_not_guessed(
    client: FalAssets, fal_fake: FakeFal, manifest: Path
) -> None:
    first = fal_fake.add_character(name="A1", character_identifier="alice")
    second = fal_fake.add_character(name="A2", character_identifier="alice")
    with pytest.raises(ValidationError, match="2 characters on fal have this identifier") as caught:
        client.characters.plan(manifest)
    assert first["id"] in str(caught.value) and second["id"] in str(caught.value)
    assert writes(fal_fake) == {}


def test_a_managed_character_skipped_by_shifting_pages_is_not_recreated(
    fal_fake: FakeFal, manifest: Path
) -> None:
    with sync_client(fal_fake) as client:
        applied(client, fal_fake, manifest)
    newer = [fal_fake.add_character(name=f"n{i}", character_identifier=f"n{i}") for i in range(100)]

    def delete_one_after_first_page(response: httpx.Response) -> None:
        # Another tool deletes a character while plan pages through the list (newest first): the second
        # page then starts one later, and skips the oldest of what was page two, a managed character.
        if response.request.url.path.endswith("/assets/characters") and "offset=0" in str(
            response.request.url
        ):
            target = newer.pop()["id"]
            httpx.delete(
                f"{fal_fake.api_base_url}/assets/characters/{target}",
                headers={"Authorization": f"Key {fal_fake.api_key}"},
                trust_env=False,
            ).raise_for_status()

    fal_fake.reset()
    with (
        httpx.Client(event_hooks={"response": [delete_one_after_first_page]}, trust_env=False) as http,
        sync_client(fal_fake, http_client=http) as client,
    ):
        plan = client.characters.plan(manifest)
    assert fal_fake.counts["listAssetCharacters"] == 2 and fal_fake.counts["getAssetCharacter"] == 1
    assert not plan.has_changes and plan.unchanged == ("alice", "bob")
