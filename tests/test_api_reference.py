"""api.md is generated from the code and cannot drift; every operation of fal's Assets and Storage API is
reachable from a resource method; the async resources mirror the sync ones."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest
from fal_assets import _operations, _spec
from fal_assets.assets import Assets, AsyncAssets
from fal_assets.characters import AsyncCharacters, Characters
from fal_assets.collections import AsyncCollections, Collections
from fal_assets.files import AsyncFiles, Files
from fal_assets.storage import AsyncStorage, Storage
from fal_assets.tags import AsyncTags, Tags

ROOT = Path(__file__).resolve().parent.parent
PAIRS = [
    (Characters, AsyncCharacters),
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
    in_spec = {
        op["operationId"]
        for path, item in _spec.document()["paths"].items()
        if path.startswith(("/assets", "/storage"))
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    }
    declared = [v.name for v in vars(_operations).values() if isinstance(v, _operations.Operation)]
    assert len(in_spec) == 38
    assert sorted(declared) == sorted(in_spec)
    api_md = (ROOT / "api.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in api_md for name in in_spec)


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
