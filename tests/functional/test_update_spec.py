"""scripts/update-spec on fal's real published document, and on versions derived from it.

The fixtures are fal's document as published (https://api.fal.ai/v1/openapi.json): FAL_DOCUMENT_PATH is the
newest known version, the one openapi.yaml follows; FAL_PREVIOUS_DOCUMENT_PATH is the whole snapshot of
2026-08-21 (every schema inline, other paths too), from which a sync to the newest must report exactly
what fal changed. Counts come from the documents themselves, never from this file. Older or newer fal
versions are made by editing copies of it the way fal's document has changed over time (fields renamed,
required lists changed, operations added), never by writing documents in our own style.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from tests import paths
from tests.conftest import FAL_DOCUMENT_PATH, FAL_PREVIOUS_DOCUMENT_PATH, fal_operation_ids

ROOT = paths.ROOT
SCRIPT = ROOT / "scripts" / "update-spec"
FAL = FAL_DOCUMENT_PATH
PREVIOUS = FAL_PREVIOUS_DOCUMENT_PATH
ITEM = "/assets/characters/{character_id}"


def load_script() -> types.ModuleType:
    """Import scripts/update-spec (no .py suffix) as a module, without writing bytecode next to it."""
    module = types.ModuleType("update_spec")
    module.__file__ = str(SCRIPT)
    sys.modules["update_spec"] = module  # dataclasses look their module up here
    exec(compile(SCRIPT.read_text(), str(SCRIPT), "exec"), module.__dict__)  # noqa: S102 -- our own script
    return module


@pytest.fixture(scope="module")
def us() -> Iterator[types.ModuleType]:
    yield load_script()
    sys.modules.pop("update_spec", None)


@pytest.fixture
def fal() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(FAL.read_text())
    return loaded


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch copy of the files update-spec reads and writes."""
    for name in ("openapi.yaml", "openapi.overlay.yaml", "openapi.names.yaml"):
        (tmp_path / name).write_bytes((ROOT / name).read_bytes())
    return tmp_path


def sync(
    us: types.ModuleType, capsys: pytest.CaptureFixture[str], project: Path, source: Any, *args: str
) -> tuple[int, str, str]:
    if not isinstance(source, str):
        path = project / f"upstream-{abs(hash(json.dumps(source, sort_keys=True)))}.json"
        path.write_text(json.dumps(source))
        source = str(path)
    files = ["--spec", str(project / "openapi.yaml"), "--overlay", str(project / "openapi.overlay.yaml")]
    code = us.main([*args, source, *files, "--names", str(project / "openapi.names.yaml")])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def copies(document: dict[str, Any], where: Callable[[str, str, str], bool]) -> Iterator[dict[str, Any]]:
    """Every inline Character schema in fal's document whose (path, method, status) matches."""
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, response in operation["responses"].items():
                body = response.get("content", {}).get("application/json", {}).get("schema", {})
                props = body.get("properties", {})
                if where(path, method, status):
                    for key in ("character", "characters"):
                        if key in props:
                            yield props[key] if key == "character" else props[key]["items"]


def all_characters(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    return copies(document, lambda path, _m, status: path.startswith("/assets/characters") and status < "300")


def older_version(fal: dict[str, Any]) -> dict[str, Any]:
    """fal's document as it might have been a few releases ago, edited in every copy, as fal publishes."""
    old = copy.deepcopy(fal)
    for character in all_characters(old):
        props, required = character["properties"], character["required"]
        props["handle"] = props.pop("character_identifier")  # renamed since
        required[required.index("character_identifier")] = "handle"
        required.remove("parent_collection_id")  # required since
        required.append("asset_count")  # optional since
        props["asset_count"]["type"] = "number"  # nullable since
    create = old["paths"]["/assets/characters"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ]
    create["properties"]["name"]["maxLength"] = 100  # raised since
    del old["paths"][ITEM + "/unfavorite"]  # added since
    old["paths"][ITEM + "/favorite"]["post"]["operationId"] = "favoriteCharacter"  # renamed since
    return old


# ----------------------------------------------------------------------------------------------------
# fal's real document


def test_committed_spec_is_in_step_with_fals_document_from_any_directory(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check", str(FAL)], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "openapi.yaml is up to date with upstream." in result.stdout
    assert "WARNING" not in result.stdout, "every inline schema of fal's has a name in openapi.names.yaml"
    in_scope = len(fal_operation_ids(json.loads(FAL.read_text())))
    assert f"Extracted {in_scope} operations under /assets, /storage" in result.stdout
    assert list(tmp_path.iterdir()) == [], "no cache or stray file is left in the working directory"


def test_inline_schemas_become_one_component_per_domain_schema(
    us: types.ModuleType, fal: dict[str, Any]
) -> None:
    result = us.build(fal, {}, ROOT / "openapi.overlay.yaml", "fal", ROOT / "openapi.names.yaml")
    document = result.document
    validate(document)
    schemas = document["components"]["schemas"]
    names = yaml.safe_load((ROOT / "openapi.names.yaml").read_text())["schemas"]
    assert set(schemas) == set(names), "every component carries a checked-in name"
    assert {"Character", "CharacterResponse", "ErrorResponse", "Error", "Asset", "Collection", "Tag"} <= set(
        schemas
    )
    errors = [
        response["content"]["application/json"]["schema"]
        for item in document["paths"].values()
        for operation in item.values()
        for status, response in operation["responses"].items()
        if status >= "400"
    ]
    upstream_errors = sum(
        1
        for path, item in fal["paths"].items()
        if path.startswith(("/assets", "/storage"))
        for operation in item.values()
        if isinstance(operation, dict)
        for status in operation.get("responses", {})
        if status >= "400"
    )
    assert len(errors) == upstream_errors
    assert all(schema == {"$ref": "#/components/schemas/ErrorResponse"} for schema in errors)
    assert schemas["ErrorResponse"]["properties"]["error"] == {"$ref": "#/components/schemas/Error"}
    assert document["components"]["securitySchemes"].keys() == {"apiKey"}, "adminApiKey is for other paths"
    assert [a for a in result.lines if f"ErrorResponse by {upstream_errors}" in a]


def test_ref_or_inline_is_layout_not_meaning(us: types.ModuleType, fal: dict[str, Any]) -> None:
    """The same document written with $refs (as other generators publish it) gives the same bytes."""
    expected = us.build(fal, {}, ROOT / "openapi.overlay.yaml", "fal", ROOT / "openapi.names.yaml").text
    with_refs = copy.deepcopy(fal)
    shared = copy.deepcopy(next(all_characters(with_refs)))
    with_refs["components"]["schemas"]["SomeoneElsesName"] = shared
    for character in all_characters(with_refs):
        character.clear()
        character["$ref"] = "#/components/schemas/SomeoneElsesName"
    current = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    result = us.build(with_refs, current, ROOT / "openapi.overlay.yaml", "refs", ROOT / "openapi.names.yaml")
    assert result.text == expected
    assert not result.changed


def test_copies_that_differ_only_in_wording_are_one_schema(us: types.ModuleType, fal: dict[str, Any]) -> None:
    reworded = copy.deepcopy(fal)
    for character in copies(reworded, lambda path, method, _s: path == ITEM and method == "patch"):
        character["properties"]["name"]["description"] = "Reworded in one operation only"
    result = us.build(reworded, {}, ROOT / "openapi.overlay.yaml", "fal", ROOT / "openapi.names.yaml")
    assert "Character2" not in result.document["components"]["schemas"]
    assert not [line for line in result.lines if "WARNING" in line]


def test_a_new_inline_schema_gets_a_derived_name_and_a_warning(
    us: types.ModuleType, fal: dict[str, Any]
) -> None:
    newer = copy.deepcopy(fal)
    duplicate = copy.deepcopy(newer["paths"][ITEM + "/favorite"])
    duplicate["post"]["operationId"] = "duplicateAssetCharacter"
    duplicate["post"]["requestBody"] = {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
            }
        },
    }
    newer["paths"][ITEM + "/duplicate"] = duplicate
    current = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    runs = [
        us.build(newer, current, ROOT / "openapi.overlay.yaml", "newer", ROOT / "openapi.names.yaml")
        for _ in range(2)
    ]
    assert runs[0].text == runs[1].text, "derived names are deterministic"
    text = "\n".join(runs[0].lines)
    assert "+ POST /assets/characters/{character_id}/duplicate (duplicateAssetCharacter)" in text
    assert (
        "WARNING: new inline schema at POST /assets/characters/{character_id}/duplicate request has no name; "
        "named it DuplicateAssetCharacterRequest" in text
    )
    body = runs[0].document["paths"][ITEM + "/duplicate"]["post"]["requestBody"]["content"][
        "application/json"
    ]
    assert body["schema"] == {"$ref": "#/components/schemas/DuplicateAssetCharacterRequest"}
    # Its success body is the Character response every other write returns: no new component for it.
    assert "DuplicateAssetCharacterResponse" not in runs[0].document["components"]["schemas"]


# ----------------------------------------------------------------------------------------------------
# The report, and syncing across versions


def test_syncing_an_older_version_then_the_current_one_reports_each_real_change_once(
    us: types.ModuleType, capsys: pytest.CaptureFixture[str], project: Path, fal: dict[str, Any]
) -> None:
    committed = (project / "openapi.yaml").read_bytes()
    code, _, err = sync(us, capsys, project, older_version(fal))
    assert code == 0, err
    code, out, err = sync(us, capsys, project, str(FAL))
    assert code == 0, err
    assert (project / "openapi.yaml").read_bytes() == committed, "the current document restores the bytes"
    expected = [
        "+ POST /assets/characters/{character_id}/unfavorite (unfavoriteAssetCharacter)",
        '~ POST /assets/characters/{character_id}/favorite operationId: "favoriteCharacter" -> '
        '"favoriteAssetCharacter"',
        "+ schema Character.character_identifier (required)",
        "- schema Character.handle (required)",
        "~ schema Character.parent_collection_id: now required",
        "~ schema Character.asset_count: no longer required",
        '~ schema Character.asset_count: type "number" -> ["number", "null"] (now nullable)',
        "~ schema CreateCharacterRequest.name: maxLength 100 -> 255",
    ]
    lines = [line.strip() for line in out.splitlines()]
    for line in expected:
        assert lines.count(line) == 1, (line, out)
    assert "$ref" not in out, "layout is never reported"
    assert not [line for line in lines if line.startswith("~ schema Character") and line not in expected], out


def test_syncing_the_previous_document_to_the_newest_reports_what_fal_changed(
    us: types.ModuleType, capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    """fal's own two snapshots: every added operation by name, the widened enums, and the real change in
    a reworded description, word by word (not two prefixes cut where they start to differ)."""
    previous, newest = json.loads(PREVIOUS.read_text()), json.loads(FAL.read_text())
    assert sync(us, capsys, project, str(PREVIOUS))[0] == 0
    code, out, err = sync(us, capsys, project, str(FAL))
    assert code == 0, err
    assert (project / "openapi.yaml").read_bytes() == (ROOT / "openapi.yaml").read_bytes()
    lines = [line.strip() for line in out.splitlines()]
    added = fal_operation_ids(newest) - fal_operation_ids(previous)
    assert added, "the newest document adds operations"
    for operation_id in sorted(added):
        assert [line for line in lines if line.startswith("+ ") and line.endswith(f"({operation_id})")], out
    for schema in ("LineageEntityNode", "LineageEdgeEntity"):
        assert f'~ schema {schema}.entity_type: enum +"prop" +"environment" +"style" +"scene"' in lines
    settings = next(line for line in lines if line.startswith("~ PUT /storage/settings: description:"))
    assert "{+Sending an empty JSON object `{}` clears all settings." in settings
    assert "is rejected with a 400 `validation_error` and the stored settings are unchanged.+}" in settings
    assert "->" not in settings, "a word-level diff, not old -> new"
    assert "WARNING" not in out


def test_a_word_diff_shows_only_what_changed_with_a_little_context(us: types.ModuleType) -> None:
    old = "one two three four five six seven eight nine ten eleven twelve"
    new = "one two three four five six SEVEN eight nine ten eleven twelve thirteen"
    expected = "... three four five six [-seven-] {+SEVEN+} eight nine ten eleven twelve {+thirteen+}"
    assert us.word_diff(old, new) == expected
    long = " ".join(f"w{i}" for i in range(40))
    assert (
        us.word_diff(long, long.replace("w20", "x"))
        == "... w16 w17 w18 w19 [-w20-] {+x+} w21 w22 w23 w24 ..."
    )
    assert us.word_diff("a b", "a  b\n") == "a b"
    assert us.word_diff("", "new text") == "{+new text+}"


def test_a_sync_is_a_pure_function_of_the_document_and_the_overlay(
    us: types.ModuleType, capsys: pytest.CaptureFixture[str], project: Path, fal: dict[str, Any]
) -> None:
    older = older_version(fal)
    newer = copy.deepcopy(fal)
    for character in all_characters(newer):
        character["properties"]["thumbnail_url"] = {"type": ["string", "null"]}
    results = []
    for order in ([older, newer], [newer, older], [older]):
        for version in order:
            assert sync(us, capsys, project, version)[0] == 0
        assert sync(us, capsys, project, str(FAL))[0] == 0
        results.append((project / "openapi.yaml").read_bytes())
    assert results[0] == results[1] == results[2] == (ROOT / "openapi.yaml").read_bytes()


def test_check_and_dry_run_write_nothing(
    us: types.ModuleType, capsys: pytest.CaptureFixture[str], project: Path, fal: dict[str, Any]
) -> None:
    before = (project / "openapi.yaml").read_bytes()
    code, out, err = sync(us, capsys, project, older_version(fal), "--check")
    assert code == 1 and "out of date" in err
    code, out, _ = sync(us, capsys, project, older_version(fal), "--dry-run")
    assert code == 0 and "Dry run" in out
    assert (project / "openapi.yaml").read_bytes() == before


def bad_documents(fal: dict[str, Any]) -> Iterator[tuple[str, Any, str]]:
    old = copy.deepcopy(fal)
    old["openapi"] = "3.0.3"
    yield "3.0", old, "handles 3.1.x only"
    no_characters = copy.deepcopy(fal)
    no_characters["paths"] = {p: i for p, i in fal["paths"].items() if not p.startswith("/assets/characters")}
    yield "no character paths", no_characters, "no paths under /assets/characters"
    dangling = copy.deepcopy(fal)
    next(all_characters(dangling))["properties"]["x"] = {"$ref": "#/components/schemas/Gone"}
    yield "dangling", dangling, "#/components/schemas/Gone does not resolve"
    external = copy.deepcopy(fal)
    next(all_characters(external))["properties"]["x"] = {"$ref": "other.json#/X"}
    yield "external", external, "unsupported $ref 'other.json#/X'"
    yield "not a mapping", [1, 2], "top level is not a mapping"


def test_bad_documents_exit_2_and_write_nothing(
    us: types.ModuleType, capsys: pytest.CaptureFixture[str], project: Path, fal: dict[str, Any]
) -> None:
    before = (project / "openapi.yaml").read_bytes()
    for label, document, message in bad_documents(fal):
        code, _, err = sync(us, capsys, project, document)
        assert code == 2, label
        assert message in err, (label, err)
    code, _, err = sync(us, capsys, project, str(project / "missing.json"))
    assert code == 2 and "cannot read" in err
    assert (project / "openapi.yaml").read_bytes() == before


# ----------------------------------------------------------------------------------------------------
# Overlay and names


def test_every_deviation_is_reported_with_its_reason(
    us: types.ModuleType, capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    code, out, _ = sync(us, capsys, project, str(FAL), "--dry-run")
    assert code == 0
    overlay = yaml.safe_load((ROOT / "openapi.overlay.yaml").read_text())
    assert "Deliberate deviations from upstream (openapi.overlay.yaml):" in out
    for action in overlay["actions"]:
        assert f"why: {action['description'].strip().splitlines()[0]}" in out
    assert "kept (upstream lacks it): $.components.schemas.Character.properties.created_at.format" in out


def test_an_overlay_action_without_a_reason_is_refused(
    us: types.ModuleType, capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    overlay = yaml.safe_load((project / "openapi.overlay.yaml").read_text())
    del overlay["actions"][0]["description"]
    (project / "openapi.overlay.yaml").write_text(yaml.safe_dump(overlay))
    code, _, err = sync(us, capsys, project, str(FAL))
    assert code == 2 and "has no `description`" in err


def test_names_that_match_nothing_or_collide_are_warned(
    us: types.ModuleType, capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    names = (project / "openapi.names.yaml").read_text()
    names += "  Stale: GET /assets/gone 200\n  SameAsCharacter: GET /assets/characters 200.characters[]\n"
    (project / "openapi.names.yaml").write_text(names)
    code, out, _ = sync(us, capsys, project, str(FAL), "--dry-run")
    assert code == 0
    assert "WARNING: name Stale in openapi.names.yaml matches no schema" in out
    assert "WARNING: SameAsCharacter and Character name the same schema; using Character" in out


def test_output_is_readable_and_stable(us: types.ModuleType, fal: dict[str, Any]) -> None:
    text = (ROOT / "openapi.yaml").read_text()
    assert "type: [string, 'null']" in text
    assert "required: [character]" in text
    again = us.build(fal, {}, ROOT / "openapi.overlay.yaml", "fal", ROOT / "openapi.names.yaml").text
    assert again == text


def test_overlay_targets_support_plain_member_selectors_only(us: types.ModuleType) -> None:
    assert us.parse_target("$.paths['/a/{b}'].get.parameters[0]") == [
        "paths",
        "/a/{b}",
        "get",
        "parameters",
        0,
    ]
    assert us.parse_target('$["it\'s"].x') == ["it's", "x"]
    target = "$.paths['/assets/characters'].post"
    assert us.format_target(us.parse_target(target)) == target
    for unsupported in ("$..description", "$.paths[*]", "paths.x", "$[?(@.x)]"):
        with pytest.raises(us.SpecError, match="target"):
            us.parse_target(unsupported)


def test_scripts_use_the_project_venv_or_say_how_to_make_one(tmp_path: Path) -> None:
    """Run bare with a python that lacks the dev extra, the scripts switch to .venv or explain."""
    copy_root = tmp_path / "project"
    (copy_root / "scripts").mkdir(parents=True)
    for name in ("update-spec", "generate"):
        (copy_root / "scripts" / name).write_bytes((ROOT / "scripts" / name).read_bytes())
    for name in ("openapi.yaml", "openapi.overlay.yaml", "openapi.names.yaml", "pyproject.toml"):
        (copy_root / name).write_bytes((ROOT / name).read_bytes())
    bare = [sys.executable, "-I", "-S"]  # no site-packages: like a system python3 without PyYAML
    env = {"PATH": os.environ.get("PATH", "")}
    result = subprocess.run(
        [*bare, str(copy_root / "scripts" / "update-spec"), "--check", str(FAL)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode != 0
    assert "python3 -m venv .venv" in result.stderr
    # A real virtualenv (no pip, fast) that sees this one's packages, as `pip install -e .[dev]` would.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(copy_root / ".venv")], check=True)
    site = next((copy_root / ".venv" / "lib").glob("python3*/site-packages"))
    (site / "dev-extra.pth").write_text("\n".join(p for p in sys.path if p.endswith("site-packages")) + "\n")
    result = subprocess.run(
        [*bare, str(copy_root / "scripts" / "update-spec"), "--check", str(FAL)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"], "nothing left in the working directory"
