"""Type checks of parsed replies: the generated models do not check the types of what they parse, so a
reply with a wrongly typed field would otherwise surface later as an AttributeError in the caller's code.
Each model's check is planned once from its type hints."""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable
from typing import Any

import attrs

__all__ = ["check_types"]


def check_types(model: Any) -> None:
    """Raise TypeError when a generated model's field does not hold its declared type."""
    cls: Any = type(model)
    _checker(cls)(model, "")


# Where a value sits in the reply ("" for the reply itself), for error messages only: paths are joined when
# a nested value is checked or a check fails, never per field.
Checker = Callable[[object, str], None]
# A plain check: isinstance against these types; the flag refuses bool where a number is expected (JSON
# true is not 1).
Types = tuple[tuple[type, ...], bool]
# What a declared type compiles to: a plain check, a checker (models, lists, unions holding them), or None
# (anything goes).
Check = Types | Checker | None


class _ModelNames(dict[str, Any]):
    """Generated models import each other only for type checking; the models package names them all, and
    loads each on first use (so this resolves a name by asking for it, not by listing the package)."""

    def __missing__(self, name: str) -> Any:
        from fal_assets_api import models

        try:
            value = getattr(models, name)
        except AttributeError:
            raise KeyError(name) from None
        self[name] = value
        return value


@functools.cache
def _checker(cls: type[Any]) -> Checker:
    """A checker for one generated model class, planned once from its type hints: each reply then costs a
    getattr and an isinstance per field."""
    hints = typing.get_type_hints(cls, localns=_ModelNames())
    plan: list[tuple[str, tuple[type, ...], bool, Checker | None]] = []
    for field in attrs.fields(cls):
        check = _compile(hints[field.name])
        if check is None:
            continue
        if isinstance(check, tuple):
            plan.append((field.name, check[0], check[1], None))
        else:
            plan.append((field.name, (), False, check))

    def check_model(value: object, path: str) -> None:
        if not isinstance(value, cls):
            raise TypeError(f"{path or 'reply'}: expected {cls.__name__}, got {type(value).__name__}")
        for name, types_, refuse_bool, nested in plan:
            field_value = getattr(value, name)
            if nested is not None:
                nested(field_value, _join(path, name))
            elif not isinstance(field_value, types_) or (refuse_bool and type(field_value) is bool):
                raise TypeError(_mismatch(_join(path, name), types_, field_value))

    return check_model


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _mismatch(path: str, types_: tuple[type, ...], value: object) -> str:
    names = " or ".join(t.__name__ for t in types_)
    return f"{path}: expected {names}, got {type(value).__name__}"


def _compile(hint: Any) -> Check:
    origin = typing.get_origin(hint)
    if hint is Any:
        return None
    if origin is dict:
        # Free-form objects (`additional_properties`): a dict is all the spec promises.
        return _types(dict)
    if origin is typing.Union or origin is types.UnionType:
        return _union(hint, [_compile(option) for option in typing.get_args(hint)])
    if origin is list:
        (item_hint,) = typing.get_args(hint)
        return _list(_compile(item_hint))
    if isinstance(hint, type) and attrs.has(hint):
        return _checker(hint)
    if hint is float:
        return _types(int, float)
    return _types(hint)


def _types(*types_: type) -> Types:
    """isinstance, where a bool is not a number unless bool itself is allowed."""
    return types_, bool not in types_ and any(t in (int, float) for t in types_)


def _union(hint: Any, options: list[Check]) -> Check:
    if any(option is None for option in options):
        return None
    # The plain options are one isinstance; the others (models, lists) are tried after it, in order.
    plain = _types(*(t for option in options if isinstance(option, tuple) for t in option[0]))
    others = [option for option in options if option is not None and not isinstance(option, tuple)]
    if not others:
        return plain
    types_, refuse_bool = plain

    def one_of(value: object, path: str) -> None:
        if isinstance(value, types_) and not (refuse_bool and type(value) is bool):
            return
        for option in others:
            try:
                option(value, path)
                return
            except TypeError:
                continue
        raise TypeError(f"{path}: {value!r:.80} is none of {hint}")

    return one_of


def _list(item: Check) -> Checker:
    if item is None:
        return _list_of_anything
    if isinstance(item, tuple):
        types_, refuse_bool = item

        def each_plain(value: object, path: str) -> None:
            if not isinstance(value, list):
                raise TypeError(f"{path}: expected a list, got {type(value).__name__}")
            for index, element in enumerate(value):
                if not isinstance(element, types_) or (refuse_bool and type(element) is bool):
                    raise TypeError(_mismatch(f"{path}[{index}]", types_, element))

        return each_plain

    def each(value: object, path: str) -> None:
        if not isinstance(value, list):
            raise TypeError(f"{path}: expected a list, got {type(value).__name__}")
        for index, element in enumerate(value):
            item(element, f"{path}[{index}]")

    return each


def _list_of_anything(value: object, path: str) -> None:
    if not isinstance(value, list):
        raise TypeError(f"{path}: expected a list, got {type(value).__name__}")
