"""`characters.toml` with every kind: [[character]] beside [[prop]], [[environment]], [[style]] and
[[scene]], planned and applied on the served fake with the characters' guarantees (one upload per content,
no write when nothing changed, drift, prune), sync, async and on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fal_assets import ManifestError
from fal_assets.cli import EXIT_CHANGES
from fal_assets.testing import FakeFal

from tests.library_support import png
from tests.plan_support import uploads
from tests.support import api_requests, async_client, sync_client
from tests.unit.cli.test_cast import cli

ENTITY_WRITES = frozenset({"createAssetEntity", "updateAssetEntity", "deleteAssetEntity"})
CHARACTER_WRITES = frozenset({"createAssetCharacter", "updateAssetCharacter", "deleteAssetCharacter"})

MANIFEST = """\
[[character]]
identifier = "ann"
name = "Ann"
description = "A sailor in a yellow coat"
references = ["ann.png"]

[[prop]]
handle = "skiff"
name = "Skiff"
references = ["skiff/bow.png", "skiff/side.png"]
cover = "skiff/side.png"

[[style]]
handle = "ink"
name = "Ink wash"
description = "Loose black ink, wet edges"
references = ["ink.png"]
"""


def write_world(root: Path, manifest: str = MANIFEST) -> Path:
    (root / "skiff").mkdir(parents=True, exist_ok=True)
    for index, name in enumerate(("ann.png", "skiff/bow.png", "skiff/side.png", "ink.png")):
        (root / name).write_bytes(png(30 + index, 10))
    path = root / "characters.toml"
    path.write_text(manifest)
    return path


def writes(fake: FakeFal) -> list[str]:
    return [r.operation for r in fake.requests if r.operation in ENTITY_WRITES | CHARACTER_WRITES]


def by_handle(fake: FakeFal) -> dict[str, dict[str, object]]:
    return {str(e["handle"]): e for e in fake.entities.values()}


def test_a_character_a_prop_and_a_style_apply_then_nothing_changes(fal_fake: FakeFal, tmp_path: Path) -> None:
    manifest = write_world(tmp_path)
    with sync_client(fal_fake) as client:
        plan = client.characters.plan(manifest)
        assert [(c.action, c.kind, c.identifier) for c in plan.changes] == [
            ("create", "character", "ann"),
            ("create", "prop", "skiff"),
            ("create", "style", "ink"),
        ]
        result = client.characters.apply(plan)
        assert result.uploaded == 4
        world = by_handle(fal_fake)
        assert (world["ann"]["type"], world["skiff"]["type"], world["ink"]["type"]) == (
            "character",
            "prop",
            "style",
        )
        assert world["skiff"]["description"] is None
        assert world["skiff"]["cover_image_url"] == world["skiff"]["reference_images"][1]  # type: ignore[index]
        lock = json.loads((tmp_path / "characters.lock").read_text())
        assert set(lock["characters"]) == {"ann"}
        assert {name: e["type"] for name, e in lock["entities"].items()} == {"skiff": "prop", "ink": "style"}

        before = len(fal_fake.requests)
        again = client.characters.plan(manifest)
        assert not again.has_changes and sorted(again.unchanged) == ["ann", "ink", "skiff"]
        assert client.characters.apply(again).changes == ()
        later = fal_fake.requests[before:]
        assert not [r for r in later if r.operation in ENTITY_WRITES | CHARACTER_WRITES | uploads_ops()]


def uploads_ops() -> frozenset[str]:
    return frozenset({"storageToken", "cdnUpload", "multipartInitiate", "multipartPart", "presignedPut"})


def test_edits_drift_and_prune_work_for_every_kind(fal_fake: FakeFal, tmp_path: Path) -> None:
    manifest = write_world(tmp_path)
    with sync_client(fal_fake) as client:
        client.characters.apply(client.characters.plan(manifest))
        skiff = by_handle(fal_fake)["skiff"]
        client.entities.update(str(skiff["id"]), name="Renamed on the dashboard")
        manifest.write_text(
            MANIFEST.replace('name = "Ink wash"', 'name = "Ink"').replace("[[prop]]", "[[scene]]")
        )
        with pytest.raises(Exception, match="is a prop on fal"):
            client.characters.plan(manifest)
        manifest.write_text(MANIFEST.replace('name = "Ink wash"', 'name = "Ink"'))
        plan = client.characters.plan(manifest)
        changes = {c.identifier: c for c in plan.changes}
        assert changes["skiff"].action == "update" and changes["skiff"].drift
        assert [f.field for f in changes["ink"].fields] == ["name"]
        client.characters.apply(plan)
        assert by_handle(fal_fake)["skiff"]["name"] == "Skiff"
        assert by_handle(fal_fake)["ink"]["name"] == "Ink"

        manifest.write_text(MANIFEST.split("[[style]]")[0])
        kept = client.characters.plan(manifest)
        assert kept.unmanaged_in_lock == ("ink",) and not kept.has_changes
        pruned = client.characters.plan(manifest, prune=True)
        assert [(c.action, c.kind, c.identifier) for c in pruned.changes] == [("delete", "style", "ink")]
        client.characters.apply(pruned)
    assert "ink" not in by_handle(fal_fake)
    assert "ink" not in json.loads((tmp_path / "characters.lock").read_text()).get("entities", {})
    assert writes(fal_fake).count("deleteAssetEntity") == 1


@pytest.mark.anyio
async def test_the_async_client_applies_every_kind(fal_fake: FakeFal, tmp_path: Path) -> None:
    manifest = write_world(tmp_path)
    async with async_client(fal_fake) as client:
        await client.characters.apply(await client.characters.plan(manifest))
        assert not (await client.characters.plan(manifest)).has_changes
    assert sorted(by_handle(fal_fake)) == ["ann", "ink", "skiff"]
    assert sorted(writes(fal_fake)) == ["createAssetCharacter", "createAssetEntity", "createAssetEntity"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            MANIFEST + '\n[[scene]]\nhandle = "Skiff"\nname = "x"\nreferences = ["ink.png"]\n',
            "duplicate handle",
        ),
        (
            MANIFEST + '\n[[prop]]\nhandle = "ann"\nname = "x"\nreferences = ["ink.png"]\n',
            "already used by character",
        ),
        (
            MANIFEST.replace('cover = "skiff/side.png"', 'cover = "ink.png"'),
            "cover must be one of the references",
        ),
        (MANIFEST.replace('handle = "ink"', 'identifier = "ink"'), "unknown key(s) identifier"),
        (MANIFEST.replace('handle = "ink"', 'handle = "@ink"'), "without the leading @"),
        (MANIFEST + "\n[[vehicle]]\n", "unknown top-level key(s) vehicle"),
    ],
)
def test_manifest_problems_are_errors_before_any_request(
    fal_fake: FakeFal, tmp_path: Path, text: str, message: str
) -> None:
    manifest = write_world(tmp_path, text)
    with sync_client(fal_fake) as client, pytest.raises(ManifestError) as caught:
        client.characters.plan(manifest)
    assert message in str(caught.value)
    assert fal_fake.requests == []


def test_a_character_only_manifest_reads_no_entity_list(fal_fake: FakeFal, tmp_path: Path) -> None:
    manifest = write_world(tmp_path, MANIFEST.split("[[prop]]")[0])
    with sync_client(fal_fake) as client:
        client.characters.plan(manifest)
    assert api_requests(fal_fake, "listAssetEntities") == []


def test_the_command_line_applies_every_kind_and_a_second_plan_exits_0(
    fal_fake: FakeFal, tmp_path: Path
) -> None:
    write_world(tmp_path)
    planned = cli(fal_fake, "plan", cwd=tmp_path)
    assert planned.returncode == 0, planned.stderr
    assert "+ create ann" in planned.stdout and "+ create prop skiff" in planned.stdout
    assert "+ create style ink" in planned.stdout
    document = json.loads(cli(fal_fake, "plan", "--json", cwd=tmp_path).stdout)
    assert [c["type"] for c in document["changes"]] == ["character", "prop", "style"]
    applied = cli(fal_fake, "apply", "--yes", cwd=tmp_path)
    assert applied.returncode == 0, applied.stderr
    second = cli(fal_fake, "plan", "--exit-code", cwd=tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    assert cli(fal_fake, "plan", "--exit-code", "--prune", cwd=tmp_path).returncode == 0
    (tmp_path / "characters.toml").write_text(MANIFEST.replace("Loose black ink", "Dry brush ink"))
    assert cli(fal_fake, "plan", "--exit-code", cwd=tmp_path).returncode == EXIT_CHANGES
    assert uploads(fal_fake)["cdnUpload"] == 4, "each file once, in the first apply"


def test_the_lock_keeps_each_kind_and_refuses_a_wrong_one(fal_fake: FakeFal, tmp_path: Path) -> None:
    from fal_assets.cast.lock import Lock, LockError

    manifest = write_world(tmp_path)
    with sync_client(fal_fake) as client:
        client.characters.apply(client.characters.plan(manifest))
    lock_path = tmp_path / "characters.lock"
    kinds = {name: entry.kind for name, entry in Lock.read(lock_path).entries.items()}
    assert kinds == {"ann": "character", "skiff": "prop", "ink": "style"}
    data = json.loads(lock_path.read_text())
    data["entities"]["ink"]["type"] = "vehicle"
    lock_path.write_text(json.dumps(data))
    with pytest.raises(LockError, match="type must be one of"):
        Lock.read(lock_path)
    data["entities"]["ink"]["type"] = "style"
    data["characters"]["ink2"] = {**data["entities"]["ink"]}
    lock_path.write_text(json.dumps(data))
    with pytest.raises(LockError, match="belongs under 'entities'"):
        Lock.read(lock_path)
