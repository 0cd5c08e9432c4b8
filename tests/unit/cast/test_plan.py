"""Invalid manifests are rejected before any request, naming the file, the entry and the problem; and the
async client plans and applies exactly as the sync one does."""

from __future__ import annotations

from pathlib import Path

import pytest
from fal_assets import FalAssets, ManifestError, SourceChangedError, ValidationError
from fal_assets.cli.demo import gradient_png
from fal_assets.testing import FakeFal

from tests.plan_support import uploads, write_cast, writes
from tests.support import async_client, sync_client

ALICE = """
[[character]]
identifier = "alice"
name = "Alice"
description = "Red hair"
references = ["alice/"]
"""


def entry(identifier: str, references: str, extra: str = "") -> str:
    return (
        f'\n[[character]]\nidentifier = "{identifier}"\nname = "N"\ndescription = "D"\n'
        f"references = {references}\n{extra}"
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    write_cast(tmp_path)
    many = tmp_path / "many"
    many.mkdir()
    for i in range(21):
        (many / f"{i:02d}.png").write_bytes(gradient_png((i * 10, 0, 0), size=3))
    return tmp_path


@pytest.mark.parametrize(
    ("body", "where", "problem"),
    [
        (
            ALICE + entry("bob", '["bob/front.png"]', 'colour = "red"'),
            "character[1] 'bob'",
            "unknown key(s) colour",
        ),
        (ALICE + entry("bob", '["missing/"]'), "character[1] 'bob'", "no such file or folder"),
        (ALICE + entry("bob", '["many/"]'), "character[1] 'bob'", "21 images"),
        (ALICE + entry("alice", '["bob/front.png"]'), "character[1] 'alice'", "duplicate identifier"),
        (ALICE + entry("bob", "[]"), "character[1] 'bob'", "non-empty list"),
        (ALICE + entry("bob", '["bob/front.png"]', 'cover = "covers/"'), "character[1] 'bob'", "cover"),
        (ALICE + entry("bob", '["https://example.com/x.png"]'), "character[1] 'bob'", "not a fal-hosted"),
        (ALICE.replace('name = "Alice"\n', ""), "character[0] 'alice'", "missing key(s) name"),
        (ALICE + "\n[settings]\nx = 1\n", "", "unknown top-level key(s) settings"),
        ("[[character]\nidentifier = ", "", "not valid TOML"),
    ],
    ids=[
        "unknown-key",
        "missing-folder",
        "21-references",
        "duplicate-identifier",
        "no-references",
        "cover-folder",
        "external-url",
        "missing-name",
        "unknown-table",
        "not-toml",
    ],
)
def test_invalid_manifest_is_rejected_before_any_request(
    fal_fake: FakeFal, root: Path, body: str, where: str, problem: str
) -> None:
    manifest = root / "characters.toml"
    manifest.write_text(body)
    with sync_client(fal_fake) as client, pytest.raises(ManifestError) as caught:
        client.characters.plan(manifest)
    message = str(caught.value)
    assert isinstance(caught.value, ValidationError)
    assert message.startswith(f"{manifest}: ") and where in message and problem in message, message
    assert fal_fake.requests == []


def test_missing_manifest_is_a_validation_error(fal_fake: FakeFal, tmp_path: Path) -> None:
    with sync_client(fal_fake) as client, pytest.raises(ValidationError, match="cannot read manifest"):
        client.characters.plan(tmp_path / "characters.toml")
    assert fal_fake.requests == []


def test_a_file_changed_after_planning_is_not_uploaded(fal_fake: FakeFal, root: Path) -> None:
    manifest = root / "characters.toml"
    with sync_client(fal_fake) as client:
        plan = client.characters.plan(manifest)
        (root / "bob" / "side.png").write_bytes(gradient_png((1, 2, 3), size=9))
        with pytest.raises(SourceChangedError, match="changed since it was planned"):
            client.characters.apply(plan)
    assert fal_fake.files == {} and writes(fal_fake) == {}  # no file data sent, nothing written


def test_paths_are_relative_to_the_manifest_not_the_working_directory(
    fal_fake: FakeFal, root: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    with sync_client(fal_fake) as client:
        plan = client.characters.plan(root / "characters.toml")
    assert {s.label for s in plan.uploads} >= {"alice/1.png", "bob/front.png"}


@pytest.mark.anyio
async def test_async_plan_and_apply_match_the_sync_client(fal_fake: FakeFal, root: Path) -> None:
    manifest = root / "characters.toml"
    with sync_client(fal_fake) as sync:
        expected = sync.characters.plan(manifest).to_dict()
    async with async_client(fal_fake) as client:
        plan = await client.characters.plan(manifest)
        assert plan.to_dict() == expected
        result = await client.characters.apply(plan)
        assert sorted(c.identifier for c in result.changes) == ["alice", "bob"] and result.uploaded == 5
        fal_fake.reset()
        again = await client.characters.plan(manifest)
        assert not again.has_changes
        await client.characters.apply(again)
        assert dict(fal_fake.counts) == {"listAssetCharacters": 1}
        manifest.write_text(manifest.read_text().replace("Tall, grey beard", "Short"))
        await client.characters.apply(await client.characters.plan(manifest))
    assert writes(fal_fake) == {"updateAssetCharacter": 1} and uploads(fal_fake) == {}
    with FalAssets(**fal_fake.client_kwargs()) as sync:
        assert not sync.characters.plan(manifest).has_changes


def test_a_damaged_lock_is_refused_before_any_request(fal_fake: FakeFal, root: Path) -> None:
    (root / "characters.lock").write_text('{"version": 1, "characters": {"alice": {"id": 3}}')
    with sync_client(fal_fake) as client, pytest.raises(ValidationError, match="not a valid lock file"):
        client.characters.plan(root / "characters.toml")
    assert fal_fake.requests == []


def test_content_shared_by_two_characters_is_uploaded_once(fal_fake: FakeFal, root: Path) -> None:
    manifest = root / "characters.toml"
    manifest.write_text(
        manifest.read_text().replace('references = ["alice/"]', 'references = ["alice/", "bob/front.png"]')
    )
    with sync_client(fal_fake) as client:
        plan = client.characters.plan(manifest)
        assert len(plan.uploads) == 5  # bob/front.png once, though two characters use it
        client.characters.apply(plan)
    assert fal_fake.counts["cdnUpload"] == 5
    references = {c["character_identifier"]: c["reference_images"] for c in fal_fake.characters.values()}
    assert references["alice"][2] == references["bob"][0]
