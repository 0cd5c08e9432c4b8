"""`characters.pull` / `fal-assets pull` against a served FakeFal seeded with 50 characters: the manifest,
lock and refs it writes make `plan` report no change and `apply` send nothing; a second pull changes
nothing; existing entries are kept without force; characters that could not round-trip are reported."""

from __future__ import annotations

import asyncio
import io
import os
import secrets
from pathlib import Path

import pytest
from fal_assets import ValidationError
from fal_assets.cli import EXIT_OK, main
from fal_assets.testing import FakeFal

from tests.library_support import png
from tests.support import async_client, sync_client

CAST = 50


def seed(fake: FakeFal, count: int = CAST) -> list[str]:
    handles = []
    for n in range(count):
        refs = [
            fake.add_file(png(1000 + n, 8 + k), f"ref {k}.png", content_type="image/png") for k in range(2)
        ]
        cover = fake.add_file(png(2000 + n, 9), "cover.png", content_type="image/png") if n % 2 else None
        handle = f"hero-{n:02d}"
        fake.add_character(
            name=f'Hero {n} "the" \\ one',
            description=f"Character {n}\nwith two lines",
            reference_images=refs,
            cover_image_url=cover,
            character_identifier=handle,
        )
        handles.append(handle)
    return handles


def test_pull_then_plan_shows_no_changes_and_apply_sends_nothing(fal_fake: FakeFal, tmp_path: Path) -> None:
    handles = seed(fal_fake)
    fal_fake.add_character(name="Anonymous", description="no identifier", reference_images=[])
    manifest = tmp_path / "characters.toml"
    with sync_client(fal_fake) as client:
        result = client.characters.pull(manifest, kinds=["character"])
        assert sorted(result.written) == handles and len(result.skipped) == 1
        assert (tmp_path / "refs" / "hero-01" / "cover.png").is_file()
        assert (tmp_path / "refs" / "hero-00" / "ref-02.png").is_file()
        plan = client.characters.plan(manifest)
        assert not plan.has_changes, plan.to_dict()
        before = len(fal_fake.requests)
        client.characters.apply(plan)
        assert all(r.method == "GET" for r in fal_fake.requests[before:])
        text, lock = manifest.read_bytes(), manifest.with_suffix(".lock").read_bytes()
        files = {p: p.stat().st_mtime_ns for p in (tmp_path / "refs").rglob("*")}
        again = client.characters.pull(manifest, kinds=["character"])
        assert again.written == [] and sorted(again.kept) == handles
        assert manifest.read_bytes() == text and manifest.with_suffix(".lock").read_bytes() == lock
        assert {p: p.stat().st_mtime_ns for p in (tmp_path / "refs").rglob("*")} == files


def test_entities_of_every_kind_round_trip(fal_fake: FakeFal, tmp_path: Path) -> None:
    handles = seed(fal_fake, CAST)
    manifest = tmp_path / "characters.toml"
    with sync_client(fal_fake) as client:
        for n, kind in enumerate(["prop", "environment", "style", "scene"] * 2):
            refs = [
                fal_fake.add_file(png(3000 + n, 8 + k), "e.png", content_type="image/png") for k in range(2)
            ]
            client.entities.create(
                type=kind,
                name=f"{kind} {n}",
                handle=f"{kind}-{n}",
                reference_images=refs,
                description=None if n % 2 else "described",
            )
            handles.append(f"{kind}-{n}")
        result = client.characters.pull(manifest)
        assert sorted(result.written) == sorted(handles), result.skipped
        assert "[[prop]]" in manifest.read_text() and "[[scene]]" in manifest.read_text()
        assert not client.characters.plan(manifest).has_changes
        only_props = client.characters.pull(tmp_path / "props.toml", kinds=["prop"])
        assert sorted(only_props.written) == ["prop-0", "prop-4"]


def test_force_replaces_and_only_selects(fal_fake: FakeFal, tmp_path: Path) -> None:
    seed(fal_fake, 3)
    manifest = tmp_path / "characters.toml"
    with sync_client(fal_fake) as client:
        assert client.characters.pull(manifest, only=["hero-01"]).written == ["hero-01"]
        manifest.write_text(manifest.read_text().replace('"Hero 1', '"Edited 1'))
        assert client.characters.pull(manifest).kept == ["hero-01"]
        assert "Edited 1" in manifest.read_text()
        assert client.characters.pull(manifest, force=True, only=["hero-01"]).written == ["hero-01"]
        assert "Edited 1" not in manifest.read_text()
        assert not client.characters.plan(manifest).has_changes
        with pytest.raises(ValidationError, match="unknown kind"):
            client.characters.pull(manifest, kinds=["vehicle"])
        with pytest.raises(ValidationError):
            client.characters.pull(manifest, refs_dir="../outside")


def test_cli_pull(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    key = f"cli-{secrets.token_hex(6)}:{secrets.token_hex(16)}"
    for name in ("FAL_KEY_ID", "FAL_KEY_SECRET", "FAL_ASSETS_BASE_URL", "FAL_ASSETS_STORAGE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FAL_KEY", key)
    with FakeFal.serve(api_key=key) as fake:
        seed(fake, 4)
        base = ["--base-url", fake.api_base_url, "--storage-url", fake.storage_base_url]
        manifest = str(tmp_path / "cast.toml")
        out, err = io.StringIO(), io.StringIO()
        argv = [*base, "pull", manifest, "--dir", "images", "--only", "hero-00", "hero-02"]
        code = main(argv, stdout=out, stderr=err)
        assert code == EXIT_OK, err.getvalue()
        assert sorted(os.listdir(tmp_path / "images")) == ["hero-00", "hero-02"]
        code = main([*base, "plan", manifest, "--exit-code"], stdout=io.StringIO(), stderr=err)
        assert code == EXIT_OK, err.getvalue()


def test_async_pull_matches_the_sync_one(fal_fake: FakeFal, tmp_path: Path) -> None:
    handles = seed(fal_fake, 5)

    async def run() -> list[str]:
        async with async_client(fal_fake) as client:
            result = await client.characters.pull(tmp_path / "characters.toml")
            assert not (await client.characters.plan(tmp_path / "characters.toml")).has_changes
            return sorted(result.written)

    assert asyncio.run(run()) == handles
