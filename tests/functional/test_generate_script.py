"""scripts/generate: deterministic regeneration and a drift check that catches an unregenerated spec edit.

Everything runs on a temporary copy of the files the script reads, never on the working tree.
"""

from __future__ import annotations

import functools
import importlib.machinery
import json
import os
import re
import shutil
import subprocess
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests import paths

ROOT = paths.ROOT
CHARACTER_TESTS = "tests/unit/resources/test_characters.py"
PACKAGE = "fal_assets_api"


def copy_project(dest: Path) -> Path:
    dest.mkdir()
    for name in ("openapi.yaml", "openapi-python-client.yaml", "pyproject.toml"):
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "scripts", dest / "scripts")
    caches = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "facade", dest / "facade", ignore=caches)
    shutil.copytree(ROOT / "tests", dest / "tests", ignore=caches)
    # Importing the package during the run may leave __pycache__ in the working tree: not ours to copy.
    shutil.copytree(ROOT / "generated", dest / "generated", ignore=shutil.ignore_patterns("__pycache__"))
    return dest


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def start(project: Path, *args: str, cwd: Path) -> subprocess.Popen[str]:
    """Start scripts/generate; runs that do not depend on each other overlap to keep the suite fast."""
    return subprocess.Popen(
        [sys.executable, str(project / "scripts" / "generate"), *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> Run:
    stdout, stderr = process.communicate(timeout=180)
    return Run(process.returncode, stdout, stderr)


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_committed_generated_tree_holds_only_source() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "generated"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout")
    assert all(
        name.startswith(f"generated/{PACKAGE}/") and name.endswith((".py", "py.typed", "/openapi.json"))
        for name in tracked
    ), tracked
    assert f"generated/{PACKAGE}/py.typed" in tracked


def add_character_field(project: Path) -> None:
    """What fal does when it ships a new optional field: the Character gains a property, not a requirement."""
    spec = project / "openapi.yaml"
    document = yaml.safe_load(spec.read_text())
    character = document["components"]["schemas"]["Character"]
    character["properties"]["thumbnail_url"] = {"type": ["string", "null"], "description": "Thumbnail URL"}
    spec.write_text(yaml.safe_dump(document, sort_keys=False))


def test_unregenerated_spec_edit_fails_the_check_then_regenerating_fixes_it(tmp_path: Path) -> None:
    # Two copies of the project with the same spec edit and no regeneration. Every run is from an
    # unrelated working directory (or from scripts/), so the script must find its files by itself.
    edited, twin = copy_project(tmp_path / "edited"), copy_project(tmp_path / "twin")
    add_character_field(edited)
    add_character_field(twin)
    hand_added = edited / "generated" / PACKAGE / "models" / "extra.py"
    hand_added.write_text("# hand-written\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    drift_run, twin_run = start(edited, "--check", cwd=elsewhere), start(twin, cwd=twin / "scripts")
    drift, twin_generated = finish(drift_run), finish(twin_run)
    assert drift.returncode == 1  # stale: distinct from a missing generator (3)
    assert "out of date with openapi.yaml" in drift.stderr
    assert "differs: models/character.py" in drift.stderr
    assert "thumbnail_url" in drift.stderr
    assert "not produced by the generator (hand-added?): models/extra.py" in drift.stderr
    assert "Run scripts/generate" in drift.stderr
    assert twin_generated.returncode == 0, twin_generated.stderr

    # Regenerate the edited copy while the twin (regenerated above) is checked.
    generate_run, twin_check_run = start(edited, cwd=elsewhere), start(twin, "--check", cwd=elsewhere)
    generated, twin_check = finish(generate_run), finish(twin_check_run)
    assert generated.returncode == 0, generated.stderr
    assert twin_check.returncode == 0, twin_check.stderr
    assert "matches openapi.yaml" in twin_check.stdout

    tree = files(edited / "generated" / PACKAGE)
    assert "thumbnail_url" in tree["models/character.py"].decode()
    assert not hand_added.exists(), "regenerating replaces the whole package"
    assert not [name for name in tree if "cache" in name.lower() or Path(name).name.startswith(".")], tree
    assert tree == files(twin / "generated" / PACKAGE), "two generations from one spec must be identical"

    # Tests pin the contract, not incidentals: the character tests pass against the regenerated client,
    # and the fake (which reads the packaged spec) happily serves the new field.
    env = {**os.environ, "PYTHONPATH": f"{edited / 'facade'}{os.pathsep}{edited / 'generated'}"}
    suite = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", CHARACTER_TESTS],
        cwd=edited,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert suite.returncode == 0, suite.stdout[-3000:] + suite.stderr[-2000:]
    assert " passed" in suite.stdout
    probe = "import fal_assets_api.models.character as m; print(m.__file__)"
    where = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(edited)), "the suite must have run against the regenerated copy"


@functools.cache
def load_generate_script() -> Any:
    """scripts/generate as a module (it runs only under `__main__`), for its pure functions."""
    loader = importlib.machinery.SourceFileLoader("generate_script", str(ROOT / "scripts" / "generate"))
    module = types.ModuleType(loader.name)
    module.__file__ = loader.path
    loader.exec_module(module)
    return module


def spec_document() -> Any:
    """openapi.yaml, parsed once (YAML is slow to read), a fresh copy per caller."""
    return json.loads(_spec_json())


@functools.cache
def _spec_json() -> str:
    return str(load_generate_script().spec_json())


def test_the_operation_table_is_written_from_the_spec_alone() -> None:
    """What the committed table says is what the script writes from openapi.yaml (the drift check compares
    it after formatting; here its content before formatting: every operation, in the spec's order)."""
    script = load_generate_script()
    document = spec_document()
    text = script.operations_module(document, ROOT / "generated" / PACKAGE)
    ids = [
        op["operationId"]
        for item in document["paths"].values()
        for op in item.values()
        if "operationId" in op
    ]
    assert [re.search(r'"(\w+)"', chunk).group(1) for chunk in text.split(": Operation[")[1:]] == ids


@pytest.mark.parametrize(
    ("case", "problem"),
    [
        ("inline reply", "expected a $ref to a component schema"),
        ("two success statuses", "expected one documented success status"),
        ("a list filter of numbers", "a list filter of other than strings"),
    ],
)
def test_a_shape_the_operation_table_has_no_rule_for_stops_generation(case: str, problem: str) -> None:
    """The table says what each operation returns and takes; a shape it has no rule for stops the run
    (scripts/generate exits 4 with the reason, before generated/ is touched) instead of a guess."""
    script = load_generate_script()
    document = spec_document()
    tags = document["paths"]["/assets/tags"]["get"]
    if case == "inline reply":
        names = {"type": "array", "items": {"type": "string"}}
        tags["responses"]["200"]["content"]["application/json"]["schema"] = {
            "type": "object",
            "properties": {"names": names},
        }
    elif case == "two success statuses":
        tags["responses"]["202"] = tags["responses"]["200"]
    else:
        listing = document["paths"]["/assets"]["get"]
        listing["parameters"].append(
            {"name": "sizes", "in": "query", "schema": {"type": "array", "items": {"type": "integer"}}}
        )
    with pytest.raises(script.SpecShapeError, match=re.escape(problem)):
        script.operations_module(document, ROOT / "generated" / PACKAGE)


def test_check_without_the_pinned_generator_exits_3_not_1(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        re.sub(r"openapi-python-client==[\w.]+", "openapi-python-client==0.0.0", pyproject.read_text())
    )
    checked = finish(start(project, "--check", cwd=tmp_path))
    assert checked.returncode == 3, checked.stderr
    assert "openapi-python-client 0.0.0" in checked.stderr and "is required" in checked.stderr
    assert "out of date" not in checked.stderr
