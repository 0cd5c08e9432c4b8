"""`fal-assets entities ...` as a subprocess against a served FakeFal: the issue's journey (upload, then a
prop from local files with a cover among them, list by type, update, delete), and the exit codes the other
commands use (2 for invalid input before any request, 4 for an unknown ID)."""

from __future__ import annotations

import json
from pathlib import Path

from fal_assets.cli.demo import gradient_png
from fal_assets.testing import FakeFal

from tests.functional.test_cli import cli, fake, images

__all__ = ["fake", "images"]


def test_the_entity_journey_on_the_command_line(fake: FakeFal, images: Path) -> None:
    upload = cli(fake, "--json", "upload", str(images / "extra.png"))
    assert upload.returncode == 0, upload.stderr
    (uploaded,) = json.loads(upload.stdout)
    refs = sorted((images / "refs").glob("*.png"))
    created = cli(
        fake,
        "entities", "create", "--json", "--type", "prop", "--name", "Skiff",
        *[arg for ref in refs for arg in ("--ref", str(ref))], "--cover", str(refs[1]),
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    prop = json.loads(created.stdout)
    assert (prop["type"], prop["handle"], len(prop["reference_images"])) == ("prop", "skiff", 3)
    assert prop["cover_image_url"] == prop["reference_images"][1]
    cli(fake, "entities", "create", "--type", "style", "--name", "Ink", "--ref", uploaded)
    listed = cli(fake, "entities", "list", "--type", "prop", "--json")
    assert [e["id"] for e in json.loads(listed.stdout)] == [prop["id"]]
    table = cli(fake, "entities", "list", "--all")
    assert table.returncode == 0 and "@skiff" in table.stdout and "@ink" in table.stdout
    updated = cli(
        fake, "entities", "update", prop["id"], "--name", "Skiff II", "--handle", "skiff2", "--json"
    )
    assert json.loads(updated.stdout)["handle"] == "skiff2", updated.stderr
    shown = cli(fake, "entities", "get", prop["id"])
    assert "handle:" in shown.stdout and "@skiff2" in shown.stdout and "Skiff II" in shown.stdout
    refused = cli(fake, "entities", "delete", prop["id"])
    assert refused.returncode == 2 and "--yes" in refused.stderr
    deleted = cli(fake, "entities", "delete", prop["id"], "--yes")
    assert deleted.returncode == 0 and prop["id"] not in fake.entities
    assert cli(fake, "entities", "get", prop["id"]).returncode == 4


def test_invalid_input_exits_2_before_any_request(fake: FakeFal, tmp_path: Path) -> None:
    picture = tmp_path / "a.png"
    picture.write_bytes(gradient_png((1, 2, 3), size=8))
    other = tmp_path / "b.png"
    other.write_bytes(gradient_png((3, 2, 1), size=9))
    for args in (
        ("create", "--type", "vehicle", "--name", "X", "--ref", str(picture)),
        ("create", "--type", "character", "--name", "X", "--ref", str(picture)),
        ("create", "--type", "prop", "--name", "X", "--ref", str(picture), "--cover", str(other)),
        ("list", "--type", "vehicle"),
        ("update", "e1"),
    ):
        result = cli(fake, "entities", *args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.startswith("error: "), result.stderr
    assert fake.requests == []
    assert cli(fake, "entities").returncode == 2
