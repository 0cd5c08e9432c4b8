"""The tests mirror the package, so a module's tests are found from its path.

- `tests/unit/<room>/test_<module>.py` holds the unit tests of `facade/fal_assets/<room>/<module>.py`, and
  `tests/unit/test_<module>.py` those of a root module. A private module `_x.py` is tested by `test_x.py`
  (the leading underscore dropped; `test__x.py` is refused), so one file name never names two modules.
- `tests/functional/` holds what crosses many modules (journeys, the CLI end to end, conformance, the real
  clients, the README, the project's shape); `tests/reliability/` faults, hostile input and servers,
  memory, interrupts and secrets. No other test file exists, bar this one.
- Every hand-written module of the rooms in `MIRRORED` has its unit test file, or is in `UNTESTED` with a
  reason; an entry there that gains a test file must leave it (the list only shrinks).
- A room's private helper (`resources/_params.py`: a leading underscore in a room, not the package's root,
  whose `_client.py` is a main module) is tested through the public modules of its room that import it:
  it needs no file of its own, but at least one of its importers (`from ._x import`, `from . import _x`)
  must have its unit test file. It may still have one (`test_params.py`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import paths

PACKAGE = paths.ROOT / "facade" / "fal_assets"
GROUPS = ("unit", "functional", "reliability")
# Rooms whose every module must have a unit test file ("" is the package's root modules).
MIRRORED = ("", "_core", "cast", "resources", "_uploads", "_downloads")
NOT_MODULES = {"__init__.py", "__main__.py", "_version.py"}  # re-exports, the entry point, the version string

# Modules of MIRRORED rooms without a unit test file of their own: each is reached through the tests of
# the modules that use it (named), which is why it has none yet. Empty now: a new module comes with its file.
UNTESTED: dict[str, str] = {}


def module_for(test_file: Path, unit: Path, package: Path) -> Path | None:
    """The module a unit test file is named for, or None when there is none (or the name is ambiguous)."""
    name = test_file.stem.removeprefix("test_")
    if name.startswith("_") or name == test_file.stem:
        return None
    folder = package / test_file.parent.relative_to(unit)
    found = [path for path in (folder / f"{name}.py", folder / f"_{name}.py") if path.is_file()]
    return found[0] if len(found) == 1 else None


def is_helper(module: Path, package: Path) -> bool:
    """A room's private helper module (`resources/_params.py`), as opposed to a root module (`_client.py`)."""
    return module.name.startswith("_") and module.parent != package


def importers(helper: Path) -> list[Path]:
    """The public modules of a helper's room that import it."""
    name = re.escape(helper.stem)
    uses = re.compile(rf"^\s*from \.(?:{name} import | import (?:.*\b)?{name}\b)", re.MULTILINE)
    return [
        path
        for path in sorted(helper.parent.glob("*.py"))
        if not path.name.startswith("_") and uses.search(path.read_text(encoding="utf-8"))
    ]


def layout_problems(tests: Path, package: Path, untested: dict[str, str]) -> list[str]:
    problems: list[str] = []
    unit = tests / "unit"
    for path in sorted(tests.rglob("test_*.py")):
        relative = path.relative_to(tests)
        if relative.parts[0] == "fixtures" or relative == Path("test_layout.py"):
            continue
        if relative.parts[0] not in GROUPS or len(relative.parts) == 1:
            problems.append(f"{relative}: a test file outside {', '.join(GROUPS)}/")
        elif relative.parts[0] == "unit" and module_for(path, unit, package) is None:
            problems.append(
                f"{relative}: names no module of {package.name}/ (test_<module>.py, _x.py -> test_x.py)"
            )
    for room in MIRRORED:
        for module in sorted((package / room).glob("*.py")):
            if module.name in NOT_MODULES:
                continue
            key = module.relative_to(package).as_posix()
            test_file = unit / room / f"test_{module.stem.removeprefix('_')}.py"
            if is_helper(module, package) and not test_file.is_file():
                tested = [u for u in importers(module) if (unit / room / f"test_{u.stem}.py").is_file()]
                if not tested:
                    problems.append(f"{key}: a helper no tested public module of {room}/ imports")
                elif key in untested:
                    problems.append(f"{key}: a helper tested through {tested[0].name}; drop it from UNTESTED")
                continue
            if test_file.is_file() and key in untested:
                problems.append(f"{key}: has {test_file.relative_to(tests)}; drop it from UNTESTED")
            elif not test_file.is_file() and key not in untested:
                problems.append(f"{key}: no unit test file {test_file.relative_to(tests)}")
    for key in sorted(untested):
        if not (package / key).is_file():
            problems.append(f"{key}: in UNTESTED but no such module")
    return problems


def test_the_tests_mirror_the_package() -> None:
    assert layout_problems(paths.TESTS, PACKAGE, UNTESTED) == []


def test_the_modules_the_issue_names_have_unit_tests() -> None:
    named = ["cast/lock.py", "cast/manifest.py", "cast/plan.py", "cast/apply.py", "_core/attempt.py"]
    named += ["_core/replies.py"]
    for key in named:
        room, module = key.split("/")
        assert key not in UNTESTED
        assert (
            paths.TESTS / "unit" / room / f"test_{module.removesuffix('.py').removeprefix('_')}.py"
        ).is_file(), key


def _tree(root: Path, files: list[str]) -> None:
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("")


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ("tests/test_stray.py", "test_stray.py: a test file outside"),
        ("tests/elsewhere/test_x.py", "elsewhere/test_x.py: a test file outside"),
        ("tests/unit/_core/test_gone.py", "unit/_core/test_gone.py: names no module"),
        ("tests/unit/_core/test__engine.py", "unit/_core/test__engine.py: names no module"),
        ("tests/unit/cast/test_engine.py", "unit/cast/test_engine.py: names no module"),
        ("pkg/_core/new.py", "_core/new.py: no unit test file unit/_core/test_new.py"),
        ("tests/unit/cast/test_lock_schema.py", "cast/lock_schema.py: has unit/cast/test_lock_schema.py"),
    ],
)
def test_the_checker_fails_on_a_misplaced_or_missing_file(tmp_path: Path, extra: str, problem: str) -> None:
    good = ["pkg/_client.py", "pkg/__init__.py", "pkg/_core/engine.py", "pkg/cast/lock.py"]
    good += ["pkg/cast/lock_schema.py", "tests/test_layout.py", "tests/unit/test_client.py"]
    good += [
        "tests/unit/_core/test_engine.py",
        "tests/unit/cast/test_lock.py",
        "tests/functional/test_cli.py",
    ]
    good += ["tests/reliability/test_faults.py", "tests/fixtures/test_data.py"]
    untested = {"cast/lock_schema.py": "reached through test_lock.py"}
    _tree(tmp_path, good)
    assert layout_problems(tmp_path / "tests", tmp_path / "pkg", untested) == []
    _tree(tmp_path, [extra])
    problems = layout_problems(tmp_path / "tests", tmp_path / "pkg", untested)
    assert len(problems) == 1 and problem in problems[0], problems


def test_a_stale_allowlist_entry_is_a_problem(tmp_path: Path) -> None:
    _tree(tmp_path, ["pkg/_core/engine.py", "tests/unit/_core/test_engine.py"])
    problems = layout_problems(tmp_path / "tests", tmp_path / "pkg", {"_core/gone.py": "removed"})
    assert problems == ["_core/gone.py: in UNTESTED but no such module"]


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        ({"tags.py": "from ._args import ref\n"}, None),
        ({"tags.py": "from . import _args as args\n"}, None),
        ({"tags.py": "from . import json, _args\n"}, None),
        ({"tags.py": "import json\n"}, "resources/_args.py: a helper no tested public module"),
        ({"tags.py": "from ._args_extra import ref\n"}, "resources/_args.py: a helper no tested public"),
        ({"_other.py": "from ._args import ref\n"}, "resources/_args.py: a helper no tested public"),
        ({"storage.py": "from ._args import ref\n"}, "resources/_args.py: a helper no tested public"),
    ],
)
def test_a_helper_is_tested_through_a_tested_public_module_that_imports_it(
    tmp_path: Path, files: dict[str, str], problem: str | None
) -> None:
    # tags.py has unit/resources/test_tags.py; storage.py is in UNTESTED, so its use tests nothing.
    _tree(
        tmp_path, ["pkg/resources/_args.py", "pkg/resources/_other.py", "tests/unit/resources/test_tags.py"]
    )
    _tree(tmp_path, ["pkg/resources/tags.py", "pkg/resources/storage.py"])
    (tmp_path / "pkg" / "resources" / "tags.py").write_text("from ._other import x\n")  # _other is tested
    for name, text in files.items():
        with (tmp_path / "pkg" / "resources" / name).open("a") as module:
            module.write(text)
    problems = layout_problems(tmp_path / "tests", tmp_path / "pkg", {"resources/storage.py": "no file yet"})
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problem in problems[0], problems


def test_a_helper_needs_no_allowlist_entry(tmp_path: Path) -> None:
    _tree(tmp_path, ["pkg/resources/_args.py", "tests/unit/resources/test_tags.py"])
    (tmp_path / "pkg" / "resources" / "tags.py").write_text("from ._args import ref\n")
    untested = {"resources/_args.py": "tested through tags"}
    problems = layout_problems(tmp_path / "tests", tmp_path / "pkg", untested)
    assert problems == ["resources/_args.py: a helper tested through tags.py; drop it from UNTESTED"]
