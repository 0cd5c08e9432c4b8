"""scripts/update-spec, entirely offline.

tests/fixtures/upstream-openapi.json stands in for fal's published Platform API document: our character
operations plus unrelated paths (/models, /usage, /assets/collections, and /assets/characters-legacy,
which only shares a prefix), unrelated components and an unused security scheme, in no particular order,
with these deliberate differences from openapi.yaml:

- a new operation, POST /assets/characters/{character_id}/duplicate, with a new DuplicateCharacterRequest;
- a removed operation, POST /assets/characters/{character_id}/unfavorite;
- a new optional field, Character.thumbnail_url;
- a changed constraint, UpdateCharacterRequest.description maxLength 2000 -> 5000;
- a new enum value, Error.type "conflict";
- info version 1.4.0 and a top-level `characters` tag;
- upstream lacks what openapi.overlay.yaml keeps (the seed's PATCH 200 example, the error examples), has
  a different POST example (the overlay overrides it), the same PATCH request example (redundant), and
  lacks Character.icon's description, which only openapi.yaml has (dropped, and reported).
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "update-spec"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
UPSTREAM = FIXTURES / "upstream-openapi.json"
PATCH_200 = "$.paths['/assets/characters/{character_id}'].patch.responses['200'].content['application/json']"
POST_BODY = "$.paths['/assets/characters'].post.requestBody.content['application/json']"
PATCH_BODY = "$.paths['/assets/characters/{character_id}'].patch.requestBody.content['application/json']"


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
def upstream() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(UPSTREAM.read_text())
    return loaded


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch copy of openapi.yaml and openapi.overlay.yaml."""
    for name in ("openapi.yaml", "openapi.overlay.yaml"):
        (tmp_path / name).write_bytes((ROOT / name).read_bytes())
    return tmp_path


def run(
    us: types.ModuleType, capsys: pytest.CaptureFixture[str], project: Path, *args: str
) -> tuple[int, str, str]:
    code = us.main(
        [*args, "--spec", str(project / "openapi.yaml"), "--overlay", str(project / "openapi.overlay.yaml")]
    )
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def build(us: types.ModuleType, upstream: dict[str, Any], current: dict[str, Any] | None = None) -> Any:
    if current is None:
        current = us.parse_document((ROOT / "openapi.yaml").read_text(), "openapi.yaml")
    return us.build(upstream, current, ROOT / "openapi.overlay.yaml", "fixture")


def all_refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from all_refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from all_refs(item)


def resolve(document: Any, ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node = document
    for token in ref[2:].split("/"):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


# ----------------------------------------------------------------------------------------------------
# Extraction


def test_unrelated_paths_components_and_top_level_content_are_dropped(
    us: types.ModuleType, upstream: dict[str, Any]
) -> None:
    document = yaml.safe_load(build(us, upstream).text)
    assert sorted(document["paths"]) == [
        "/assets/characters",
        "/assets/characters/{character_id}",
        "/assets/characters/{character_id}/duplicate",
        "/assets/characters/{character_id}/favorite",
    ]
    components = document["components"]
    assert sorted(components["schemas"]) == [
        "Character",
        "CharacterListResponse",
        "CharacterResponse",
        "CreateCharacterRequest",
        "DuplicateCharacterRequest",
        "Error",
        "ErrorResponse",
        "UpdateCharacterRequest",
    ]
    assert sorted(components["parameters"]) == ["CharacterId", "IdempotencyKey"]
    assert "NotImplemented" not in components["responses"]
    assert list(components["securitySchemes"]) == ["apiKeyAuth"], "adminBearer is only used by /usage"
    assert document["tags"] == [{"name": "characters", "description": "Asset characters"}]
    assert not [key for key in document if key.startswith("x-")]
    assert document["servers"] == [{"url": "https://api.fal.ai/v1"}]
    assert document["security"] == [{"apiKeyAuth": []}]
    assert document["info"]["title"] == "fal Assets API", "our info, from the overlay"
    assert document["info"]["version"] == "1.4.0", "upstream's document version"
    assert "contact" not in document["info"]


def test_output_is_a_closed_valid_openapi_document(us: types.ModuleType, upstream: dict[str, Any]) -> None:
    document = yaml.safe_load(build(us, upstream).text)
    refs = set(all_refs(document))
    for ref in refs:
        resolve(document, ref)  # raises if the closure missed something
    validate(document)
    # ... and minimal: every component kept is referenced (security schemes by the security requirement).
    for kind, group in document["components"].items():
        for name in group:
            if kind != "securitySchemes":
                assert f"#/components/{kind}/{name}" in refs, (kind, name)


def test_output_bytes_are_stable(us: types.ModuleType, upstream: dict[str, Any], tmp_path: Path) -> None:
    first = build(us, upstream).text
    assert build(us, copy.deepcopy(upstream)).text == first

    # Upstream's own ordering of paths, components and operation keys does not matter ...
    shuffled = copy.deepcopy(upstream)
    shuffled["paths"] = dict(reversed(list(shuffled["paths"].items())))
    for item in shuffled["paths"].values():
        for method in list(item):
            if isinstance(item[method], dict):
                item[method] = dict(sorted(item[method].items()))
    shuffled["components"] = {k: dict(sorted(v.items())) for k, v in sorted(shuffled["components"].items())}
    assert build(us, shuffled).text == first

    # ... nor YAML instead of JSON (via the CLI's reader) ...
    as_yaml = tmp_path / "upstream.yaml"
    as_yaml.write_text(yaml.safe_dump(upstream, sort_keys=False))
    assert build(us, us.read_source(str(as_yaml))).text == first

    # ... nor a server without /v1 whose paths carry it instead.
    prefixed = copy.deepcopy(upstream)
    prefixed["servers"] = [{"url": "https://api.fal.ai"}]
    prefixed["paths"] = {"/v1" + path: item for path, item in prefixed["paths"].items()}
    result = build(us, prefixed)
    assert result.text == first
    assert any("upstream server is https://api.fal.ai;" in line for line in result.lines)


def test_output_is_readable_yaml(us: types.ModuleType, upstream: dict[str, Any]) -> None:
    text = build(us, upstream).text
    assert "&id" not in text and "*id" not in text, "no anchors or aliases"
    assert "\npaths:\n  /assets/characters:\n    get:\n      operationId: listCharacters\n" in text
    long_line = (
        "          description: Reference images for the character. Prefer vector IDs or request IDs for "
        "existing fal-generated assets. Use fal-hosted image URLs only for standalone images.\n"
    )
    assert long_line in text, "long strings are not folded"
    assert "created_at: '2026-05-23T20:00:00.000Z'" in text, "timestamps stay quoted strings"
    # Paths sorted, methods in a fixed order, properties in upstream's (meaningful) order.
    paths = [line.strip().rstrip(":") for line in text.splitlines() if line.startswith("  /")]
    assert paths == sorted(paths)
    character = yaml.safe_load(text)["components"]["schemas"]["Character"]["properties"]
    assert list(character)[:3] == ["id", "type", "name"]
    assert list(character)[-1] == "thumbnail_url"


# ----------------------------------------------------------------------------------------------------
# The change report and hand-kept additions


def test_report_names_each_deliberate_difference(
    us: types.ModuleType, capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    before = (project / "openapi.yaml").read_bytes()
    code, out, _ = run(us, capsys, project, "--dry-run", str(UPSTREAM))
    assert code == 0
    assert (project / "openapi.yaml").read_bytes() == before, "--dry-run writes nothing"
    expected = [
        "Extracted 7 operations under /assets/characters and 20 components; "
        "left out 6 other operations and 13 unreferenced components.",
        "  Operations added:\n    + POST /assets/characters/{character_id}/duplicate (duplicateCharacter)",
        "  Operations removed:\n    - POST /assets/characters/{character_id}/unfavorite (unfavoriteCharacter",
        "  Components added:\n    + schema DuplicateCharacterRequest",
        "  Fields added:\n    + schema Character.thumbnail_url (optional)",
        "    ~ schema UpdateCharacterRequest.description: maxLength 2000 -> 5000",
        '    ~ schema Error.type: enum +"conflict"',
        '    - schema Character.icon: description "Icon name"',
        '    ~ info: version "1.0.0" -> "1.4.0"',
        f"  kept (upstream lacks it): {PATCH_200}.example",
        "  kept (upstream lacks it): $.components.responses.NotFound.content['application/json'].example",
        f'  overrides upstream: {POST_BODY}.example (upstream: {{"name": "Bob"',
        f"  matches upstream (the overlay entry is now redundant): {PATCH_BODY}\n",
        '  overrides upstream: $.info.title (upstream: "fal Platform API")',
        "Dry run: openapi.yaml not written.",
    ]
    for line in expected:
        assert line in out, f"{line!r} missing from:\n{out}"
    dropped = out.split("Local content dropped")[1].split("Other changes")[0]
    assert "Character.icon" in dropped
    assert "WARNING" not in out


def test_sync_writes_the_result_and_hand_kept_additions_survive(
    us: types.ModuleType, capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    code, out, _ = run(us, capsys, project, str(UPSTREAM))
    assert code == 0
    assert "Next: run scripts/generate" in out
    written = yaml.safe_load((project / "openapi.yaml").read_text())
    seed_response = json.loads((FIXTURES / "seed_update_response.json").read_text())
    seed_request = json.loads((FIXTURES / "seed_update_request.json").read_text())
    patch = written["paths"]["/assets/characters/{character_id}"]["patch"]
    assert patch["responses"]["200"]["content"]["application/json"]["example"] == seed_response
    assert patch["requestBody"]["content"]["application/json"]["example"] == seed_request
    post = written["paths"]["/assets/characters"]["post"]
    assert post["requestBody"]["content"]["application/json"]["example"]["name"] == "Alice", "overlay wins"
    not_found = written["components"]["responses"]["NotFound"]["content"]["application/json"]
    assert not_found["example"] == {"error": {"type": "not_found", "message": "Character not found"}}
    assert "reference images" in written["info"]["description"]
    # Upstream's changes landed; the dropped local description is gone.
    character = written["components"]["schemas"]["Character"]["properties"]
    assert "thumbnail_url" in character and "description" not in character["icon"]
    assert (
        written["components"]["schemas"]["UpdateCharacterRequest"]["properties"]["description"]["maxLength"]
        == 5000
    )
    assert "/assets/characters/{character_id}/unfavorite" not in written["paths"]

    # A second sync is a no-op.
    code, out, _ = run(us, capsys, project, "--check", str(UPSTREAM))
    assert code == 0
    assert "openapi.yaml is up to date with upstream." in out
    assert "Changes to openapi.yaml" not in out


def test_overlay_targets_gone_upstream_are_skipped_not_recreated(
    us: types.ModuleType, capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    overlay = yaml.safe_load((project / "openapi.overlay.yaml").read_text())
    gone = "$.paths['/assets/characters/{character_id}/unfavorite'].post"
    overlay["actions"].append({"target": gone, "update": {"description": "Kept by hand"}})
    overlay["actions"].append({"target": "$.components.schemas.Character.properties.icon", "remove": True})
    (project / "openapi.overlay.yaml").write_text(yaml.safe_dump(overlay, sort_keys=False))
    code, out, _ = run(us, capsys, project, str(UPSTREAM))
    assert code == 0
    assert f"SKIPPED: target not in the extracted upstream document: {gone}" in out
    assert "removed from upstream's content: $.components.schemas.Character.properties.icon" in out
    written = yaml.safe_load((project / "openapi.yaml").read_text())
    assert "/assets/characters/{character_id}/unfavorite" not in written["paths"]
    assert "icon" not in written["components"]["schemas"]["Character"]["properties"]


def test_kept_example_that_no_longer_matches_upstream_schema_is_warned(
    us: types.ModuleType, upstream: dict[str, Any]
) -> None:
    upstream["components"]["schemas"]["Character"]["required"].append("thumbnail_url")
    lines = build(us, upstream).lines
    warnings = [line for line in lines if line.startswith("WARNING")]
    assert any(PATCH_200 in w and "thumbnail_url" in w for w in warnings), lines
    assert any("Constraints changed" in line for line in lines)
    assert "    ~ schema Character.thumbnail_url: now required" in lines


def test_order_only_difference_is_reported_as_reformatting(
    us: types.ModuleType, capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    spec = project / "openapi.yaml"
    spec.write_text(yaml.safe_dump(yaml.safe_load(spec.read_text()), sort_keys=True))
    code, out, _ = run(us, capsys, project, "--check", str(ROOT / "openapi.yaml"))
    assert code == 1
    assert "No semantic changes; openapi.yaml would only be reformatted into canonical order." in out


# ----------------------------------------------------------------------------------------------------
# CLI: --check, round trip, errors


def test_check_fails_on_a_pending_update_from_any_working_directory(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    before = (project / "openapi.yaml").read_bytes()
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check", str(UPSTREAM), "--spec", str(project / "openapi.yaml")],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "openapi.yaml is out of date with upstream: run scripts/update-spec." in result.stderr
    assert "+ POST /assets/characters/{character_id}/duplicate" in result.stdout
    assert (project / "openapi.yaml").read_bytes() == before, "--check writes nothing"


def test_own_spec_as_upstream_round_trips_to_identical_bytes(us: types.ModuleType) -> None:
    text = (ROOT / "openapi.yaml").read_text()
    own = us.parse_document(text, "openapi.yaml")
    result = build(us, own, own)
    assert not result.changed, result.lines
    assert result.text == text, "openapi.yaml is kept in the script's canonical order"
    notes = [line.strip() for line in result.lines if line.startswith("  ") and "$.info" not in line]
    assert notes and all(note.startswith("matches upstream") for note in notes), result.lines


def test_repository_spec_is_in_sync_with_itself_via_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "openapi.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "openapi.yaml is up to date with upstream." in result.stdout


def bad_documents(upstream: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], str]]:
    old = copy.deepcopy(upstream)
    old["openapi"] = "3.0.3"
    yield "3.0", old, "handles 3.1.x only"
    empty = copy.deepcopy(upstream)
    empty["paths"] = {p: i for p, i in empty["paths"].items() if not p.startswith("/assets/characters")}
    yield "no character paths", empty, "no paths under /assets/characters"
    dangling = copy.deepcopy(upstream)
    del dangling["components"]["schemas"]["DuplicateCharacterRequest"]
    yield "dangling", dangling, "#/components/schemas/DuplicateCharacterRequest does not resolve"
    external = copy.deepcopy(upstream)
    external["components"]["schemas"]["Character"]["properties"]["x"] = {"$ref": "other.json#/X"}
    yield "external", external, "unsupported $ref 'other.json#/X'"


def test_bad_upstream_documents_exit_2_and_write_nothing(
    us: types.ModuleType, capsys: pytest.CaptureFixture[str], project: Path, upstream: dict[str, Any]
) -> None:
    before = (project / "openapi.yaml").read_bytes()
    for label, document, message in bad_documents(upstream):
        source = project / f"{label}.json"
        source.write_text(json.dumps(document))
        code, _, err = run(us, capsys, project, str(source))
        assert code == 2, label
        assert message in err, (label, err)
    code, _, err = run(us, capsys, project, str(project / "missing.json"))
    assert code == 2 and "cannot read" in err
    assert (project / "openapi.yaml").read_bytes() == before


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
