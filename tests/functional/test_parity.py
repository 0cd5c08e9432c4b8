"""Sync and async clients expose the same public surface with the same parameters."""

from __future__ import annotations

import inspect

import pytest
from fal_assets import AsyncFalAssets, FalAssets
from fal_assets.resources.characters import AsyncCharacters, Characters
from fal_assets.resources.files import AsyncFiles, Files


def public_methods(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(cls, callable)
        if not name.startswith("_") or name == "__init__"
    }


def shape(signature: inspect.Signature) -> list[tuple[str, object, object]]:
    """Names, kinds and defaults; annotations differ by design (Iterator vs AsyncIterator, sleep)."""
    return [(p.name, p.kind, p.default) for p in signature.parameters.values()]


@pytest.mark.parametrize(
    ("sync_cls", "async_cls"),
    [(FalAssets, AsyncFalAssets), (Characters, AsyncCharacters), (Files, AsyncFiles)],
)
def test_same_methods_and_parameters(sync_cls: type, async_cls: type) -> None:
    sync_methods, async_methods = public_methods(sync_cls), public_methods(async_cls)
    # close/aclose and the context manager protocols are the only expected naming differences.
    sync_names = set(sync_methods) - {"__enter__", "__exit__"}
    async_names = set(async_methods) - {"__aenter__", "__aexit__"}
    assert sync_names == async_names
    for name in sync_names:
        assert shape(sync_methods[name]) == shape(async_methods[name]), name


def test_async_methods_are_coroutines_except_iter() -> None:
    for name, member in inspect.getmembers(AsyncCharacters, callable):
        if name.startswith("_"):
            continue
        assert inspect.iscoroutinefunction(member) == (name != "iter"), name
