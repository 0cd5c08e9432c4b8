"""Sync and async twins cannot drift: every public class with an `Async` twin has the same public methods,
with the same parameters and the same docstring, and every one of them is documented."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from typing import Any

import fal_assets
import pytest


def twins() -> list[tuple[type[Any], type[Any]]]:
    found: list[tuple[type[Any], type[Any]]] = []
    for info in pkgutil.walk_packages(fal_assets.__path__, "fal_assets."):
        if ".testing" in info.name or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, cls in vars(module).items():
            if (
                inspect.isclass(cls)
                and cls.__module__ == module.__name__
                and name.startswith("Async")
                and inspect.isclass(vars(module).get(name[5:]))
            ):
                found.append((vars(module)[name[5:]], cls))
    return found


def public_methods(cls: type[Any]) -> dict[str, Any]:
    return {
        name: member
        for name, member in vars(cls).items()
        if not name.startswith("_") and (inspect.isfunction(member) or isinstance(member, property))
    }


def as_sync(text: str) -> str:
    """What legitimately differs between twins taken out: awaitables, async iteration, `Async` names."""
    text = text.replace("AsyncIterator", "Iterator").replace("AsyncIterable", "Iterable")
    text = re.sub(r"Awaitable\[([^\]]*)\]", r"\1", text)
    text = text.replace("async for", "for").replace("await ", "")
    return re.sub(r"\bAsync(?=[A-Z])", "", text)


PAIRS = twins()


def test_the_twins_are_found() -> None:
    names = {sync.__name__ for sync, _ in PAIRS}
    assert {"Characters", "Assets", "Collections", "Tags", "Storage", "Files", "FalAssets"} <= names


@pytest.mark.parametrize(("sync", "aio"), PAIRS, ids=[a.__name__ for _, a in PAIRS])
def test_twins_have_the_same_methods_signatures_and_docstrings(sync: type[Any], aio: type[Any]) -> None:
    ours, theirs = public_methods(sync), public_methods(aio)
    assert sorted(ours) == sorted(theirs), f"{sync.__name__} and {aio.__name__} differ in methods"
    for name, method in ours.items():
        twin = theirs[name]
        if isinstance(method, property):
            method, twin = method.fget, twin.fget
        assert as_sync(str(inspect.signature(twin))) == as_sync(str(inspect.signature(method))), name
        doc, twin_doc = inspect.getdoc(method), inspect.getdoc(twin)
        assert doc, f"{sync.__name__}.{name} has no docstring"
        assert twin_doc, f"{aio.__name__}.{name} has no docstring"
        assert as_sync(twin_doc) == as_sync(doc), (
            f"{aio.__name__}.{name}'s docstring differs from {sync.__name__}'s"
        )
