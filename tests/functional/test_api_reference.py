"""api.md is generated from the code and cannot drift; every operation of fal's Assets and Storage API is
reachable from a resource method; the async resources mirror the sync ones."""

from __future__ import annotations

import copy
import inspect
import re
import subprocess
import sys
from typing import Any

import pytest
from fal_assets._core import spec as _spec
from fal_assets.resources.assets import Assets, AsyncAssets
from fal_assets.resources.characters import AsyncCharacters, Characters
from fal_assets.resources.collections import AsyncCollections, Collections
from fal_assets.resources.entities import AsyncEntities, Entities
from fal_assets.resources.files import AsyncFiles, Files
from fal_assets.resources.storage import AsyncStorage, Storage
from fal_assets.resources.tags import AsyncTags, Tags
from fal_assets_api import operations as _operations

from tests import paths
from tests.conftest import fal_operation_ids

ROOT = paths.ROOT
PAIRS = [
    (Characters, AsyncCharacters),
    (Entities, AsyncEntities),
    (Assets, AsyncAssets),
    (Collections, AsyncCollections),
    (Tags, AsyncTags),
    (Storage, AsyncStorage),
    (Files, AsyncFiles),
]


def test_api_md_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "api-reference"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_every_operation_is_declared_once_and_documented() -> None:
    in_spec = fal_operation_ids(_spec.document())
    declared = [v.name for v in vars(_operations).values() if isinstance(v, _operations.Operation)]
    assert len(declared) == len(set(declared)), "one declaration per operation"
    assert set(declared) == in_spec == set(_operations.OPERATIONS), "run scripts/generate"
    api_md = (ROOT / "api.md").read_text(encoding="utf-8")
    assert [name for name in in_spec if f"`{name}`" not in api_md] == [], "run scripts/api-reference"


def _constant(operation_id: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).upper()


def test_every_operation_in_the_spec_is_wrapped_by_the_facade_and_served_by_the_fake() -> None:
    """After a sync that adds an operation, this is the one test that fails, and it says what to add."""
    missing = uncovered(_spec.document())
    assert not missing, "openapi.yaml has operations the project does not cover yet:\n" + "\n".join(missing)


def test_an_unwrapped_operation_is_named_with_what_to_add() -> None:
    document = copy.deepcopy(_spec.document())
    document["paths"]["/assets/widgets/{widget_id}"] = {
        "get": {"operationId": "getAssetWidget", "tags": ["Assets"], "responses": {}}
    }
    (message,) = uncovered(document)
    assert message.startswith("GET /assets/widgets/{widget_id} (getAssetWidget):")
    # Its declaration and its route come from the spec (scripts/generate): what is left is its typed
    # methods and its fake handler.
    assert "run scripts/generate" in message
    assert "call ops.GET_ASSET_WIDGET from a resource method" in message
    assert "a FakeFal handler for 'getAssetWidget'" in message
    assert "_routes.py" not in message and "_get_kwargs" not in message
    assert len(message.splitlines()) == 4


def test_the_fake_routes_every_operation_of_the_table_to_itself() -> None:
    from fal_assets.testing._routes import route

    for op in _operations.OPERATIONS.values():
        concrete = "/v1" + re.sub(r"\{[^}]+\}", "x1", op.path)
        assert route(op.method, concrete).operation == op.name, op.path


def uncovered(document: dict[str, Any]) -> list[str]:
    """Each operation of `document` that the facade or the fake lacks, with what to add for it."""
    from fal_assets.testing._handlers import handlers
    from fal_assets.testing._routes import API_OPERATIONS

    declared = {v.name for v in vars(_operations).values() if isinstance(v, _operations.Operation)}
    called = {
        operation_id
        for sync, _ in PAIRS
        for name in vars(sync)
        if not name.startswith("_")
        for operation_id in _called_operations(sync, name)
    }
    served = set(handlers()) | API_OPERATIONS
    missing: list[str] = []
    for path, item in sorted(document["paths"].items()):
        for method, operation in item.items():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            op_id, tag = operation["operationId"], (operation.get("tags") or ["Assets"])[0].lower()
            todo = []
            if op_id not in declared:
                todo.append(
                    "run scripts/generate: fal_assets_api.operations declares it from openapi.yaml, and "
                    "FakeFal routes it"
                )
            if op_id not in called:
                todo.append(
                    f"call ops.{_constant(op_id)} from a resource method "
                    "(facade/fal_assets/<resource>.py, sync and async; the resource in PAIRS here and in "
                    "scripts/api-reference), then run scripts/api-reference"
                )
            if op_id not in served:
                todo.append(
                    f"a FakeFal handler for {op_id!r} (a HANDLERS entry in "
                    f"facade/fal_assets/testing/_{tag}*.py or a module of its own, registered in "
                    "testing/_handlers.py handlers())"
                )
            if todo:
                missing.append(f"{method.upper()} {path} ({op_id}):\n  - " + "\n  - ".join(todo))
    return missing


def _called_operations(cls: type, name: str, seen: set[str] | None = None) -> list[str]:
    """fal's operationIds a method calls (its `ops.NAME` uses, following the class's own helpers)."""
    seen = seen if seen is not None else set()
    if name in seen or not callable(getattr(cls, name, None)):
        return []
    seen.add(name)
    source = inspect.getsource(getattr(cls, name))
    found = [
        getattr(_operations, op).name
        for op in re.findall(r"\bops\.([A-Z_]+)\b", source)
        if hasattr(_operations, op)
    ]
    for helper in re.findall(r"\bself\.(_?[a-z_]+)\(", source):
        found += _called_operations(cls, helper, seen)
    return found


def test_api_md_lists_every_field_of_every_exported_model() -> None:
    import dataclasses

    import attrs
    import fal_assets

    api_md = (ROOT / "api.md").read_text(encoding="utf-8")
    checked = 0
    for name in fal_assets.__all__:
        cls = getattr(fal_assets, name)
        if not isinstance(cls, type) or not (attrs.has(cls) or dataclasses.is_dataclass(cls)):
            continue
        section = api_md.split(f"\n### {name}\n", 1)[1].split("\n### ", 1)[0]
        fields = attrs.fields(cls) if attrs.has(cls) else dataclasses.fields(cls)
        names = [f.name for f in fields if f.name not in ("additional_properties", "header")]
        missing = [field for field in names if f"| `{field}` |" not in section]
        assert not missing, f"{name}: {missing}"
        checked += 1
    assert {"Asset", "Character", "Collection", "Tag", "Plan", "UploadProgress"} <= {
        n for n in fal_assets.__all__ if f"\n### {n}\n" in api_md
    }
    assert checked >= 15


@pytest.mark.parametrize(("sync", "async_"), PAIRS, ids=[s.__name__ for s, _ in PAIRS])
def test_async_resources_mirror_the_sync_ones(sync: type, async_: type) -> None:
    public = [n for n in vars(sync) if not n.startswith("_")]
    assert public == [n for n in vars(async_) if not n.startswith("_")]
    for name in public:
        a, b = inspect.signature(getattr(sync, name)), inspect.signature(getattr(async_, name))
        assert [(p.name, p.kind, p.default) for p in a.parameters.values()] == [
            (p.name, p.kind, p.default) for p in b.parameters.values()
        ], name
        returns = str(a.return_annotation)
        if returns.startswith("Iterator["):
            assert str(b.return_annotation) == "Async" + returns, name
            assert not inspect.iscoroutinefunction(getattr(async_, name)), name
        else:
            assert str(b.return_annotation) == returns, name
            assert inspect.iscoroutinefunction(getattr(async_, name)), name


def test_api_md_links_name_files_that_exist() -> None:
    api_md = (ROOT / "api.md").read_text(encoding="utf-8")
    links = set(re.findall(r'href="\./([^"#]+)"', api_md))
    assert links, "api.md links each method to its source"
    assert sorted(link for link in links if not (ROOT / link).is_file()) == []
