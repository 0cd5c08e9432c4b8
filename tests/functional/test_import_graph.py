"""The package's rooms depend one way: no import cycle at run time, no private name taken from above, and no
hand-written module over 400 lines.

What counts as an import: every `import` / `from … import` of a `fal_assets` module anywhere in a module,
function bodies included (a lazy import still runs), except under `if TYPE_CHECKING:` (never at run time).
`from pkg import name` depends on the module `pkg.name` when there is one, otherwise on `pkg`. The CLI's
registry loads each command's module by name (`cli.parser.COMMANDS`); those edges are added from the table.

"Above", for the private-name rule: module B is above module A when
  (a) B lives in a package that encloses A's package (a module's package is the one that holds its file:
      `cli/__init__.py` lives in `fal_assets`, `cli/characters.py` in `fal_assets.cli`), so a package's
      `__init__` and the root modules (`_client`, `_config`, ...) are above every module of its subpackages;
  or
  (b) B is in a room of a higher layer than A's room. The rooms, lowest first: `_core`; `_uploads` and
      `_downloads`; `cast`; `resources`; `testing`; `cli`.
A private name is one starting with `_` (not a dunder) that is not itself a module. Importing private names
from a sibling module, from a subpackage, or from a lower layer is allowed: those are the room's own
internals, or a lower room's seam that the higher one is built on.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests import paths

ROOT = paths.ROOT
FACADE = ROOT / "facade"
MAX_LINES = 400
LAYERS = {"_core": 1, "_uploads": 2, "_downloads": 2, "cast": 3, "resources": 4, "testing": 5, "cli": 6}


def _modules(root: Path) -> dict[str, tuple[Path, bool]]:
    found = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        found[".".join(parts)] = (path, is_package)
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import that runs, however late: those under `if TYPE_CHECKING:` excluded (not its `else`)."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def scan(root: Path) -> tuple[dict[str, set[str]], list[tuple[str, str, str]]]:
    """The run-time import graph of the `fal_assets` package under `root`, and every private name imported
    (importer, module imported from, name)."""
    modules = _modules(root)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    private: list[tuple[str, str, str]] = []

    def depend(module: str, target: str) -> None:
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if target and target != module:
            graph[module].add(target)

    for module, (path, is_package) in modules.items():
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "fal_assets":
                        depend(module, alias.name)
                continue
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            if source.split(".")[0] != "fal_assets":
                continue
            for alias in node.names:
                full = f"{source}.{alias.name}"
                depend(module, full if full in modules else source)
                if full not in modules and alias.name.startswith("_") and not alias.name.startswith("__"):
                    private.append((module, source, alias.name))
    return graph, private


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return found


def is_above(source: str, importer: str) -> bool:
    """Whether module `source` is above module `importer` (see the module docstring)."""
    # The package a module's file is in: a package's __init__ lives in the package's parent.
    source_home, importer_home = source.rpartition(".")[0], importer.rpartition(".")[0]
    if importer_home.startswith(source_home + "."):
        return True
    source_room, importer_room = source.split(".")[1:2], importer.split(".")[1:2]
    if source_room and importer_room and source_room[0] in LAYERS and importer_room[0] in LAYERS:
        return LAYERS[source_room[0]] > LAYERS[importer_room[0]]
    return False


def private_from_above(root: Path) -> list[str]:
    _, private = scan(root)
    return [
        f"{importer} imports {name} from {source}"
        for importer, source, name in private
        if is_above(source, importer)
    ]


def too_long(root: Path) -> list[str]:
    return [
        f"{path.relative_to(root)}: {lines} lines"
        for path in sorted(root.rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]


def _registry_edges(graph: dict[str, set[str]]) -> None:
    # The registry imports each command's module by name (importlib), which no import statement shows.
    from fal_assets.cli.parser import COMMANDS

    graph["fal_assets.cli.parser"].update(f"fal_assets.cli.{module}" for _, module in COMMANDS.values())


def test_no_import_cycle_at_run_time() -> None:
    graph, _ = scan(FACADE)
    _registry_edges(graph)
    assert cycles(graph) == []


def test_no_module_imports_a_private_name_from_above() -> None:
    assert private_from_above(FACADE) == []


def test_no_hand_written_module_is_over_400_lines() -> None:
    assert too_long(FACADE) == []


def test_the_checks_find_what_they_look_for(tmp_path: Path) -> None:
    package = tmp_path / "fal_assets"
    for folder in ("cli", "_core", "resources"):
        (package / folder).mkdir(parents=True)
    files = {
        "__init__.py": "",
        "_config.py": "_DEFAULT = 1\n",
        "cli/__init__.py": "from ._context import Context\nfrom .parser import build\n_secret = 1\n",
        "cli/_context.py": "class Context: ...\n",
        # a lazy import back into the package's __init__: a cycle, and a private name from above
        "cli/characters.py": "def run():\n    from . import _secret\n",
        "cli/parser.py": "def build():\n    from . import characters\n",
        # an import only for type checkers: neither a cycle nor a dependency
        "_core/engine.py": "TYPE_CHECKING = False\nif TYPE_CHECKING:\n    from ..resources.tags import T\n",
        # a private name from a higher layer (resources is above _core) and from the root
        "_core/spec.py": "from ..resources.tags import _checked\nfrom .._config import _DEFAULT\n",
        "resources/__init__.py": "",
        "resources/tags.py": "from .._core import engine\n_checked = 1\n",
        # allowed: a sibling's private name, and a lower room's
        "resources/assets.py": "from .tags import _checked\nfrom .._core.spec import _DEFAULT\n",
        "_core/long.py": "x = 1\n" * (MAX_LINES + 1),
    }
    for name, text in files.items():
        (package / name).write_text(text)
    graph, _ = scan(tmp_path)
    assert cycles(graph) == [["fal_assets.cli", "fal_assets.cli.characters", "fal_assets.cli.parser"]]
    assert "fal_assets.resources.tags" not in graph["fal_assets._core.engine"]
    assert sorted(private_from_above(tmp_path)) == [
        "fal_assets._core.spec imports _DEFAULT from fal_assets._config",
        "fal_assets._core.spec imports _checked from fal_assets.resources.tags",
        "fal_assets.cli.characters imports _secret from fal_assets.cli",
    ]
    assert too_long(tmp_path) == [f"fal_assets/_core/long.py: {MAX_LINES + 1} lines"]
