"""fal's API operations as the facade uses them: one declaration each, over the generated client.

The generated package builds each request (`_get_kwargs`: method, path, query, JSON body, headers) and
provides the models; the engine sends it. A reply is parsed with the operation's model and then checked
against the model's declared field types (the generated `from_dict` casts without checking), so a reply
that breaks the spec is an `APIResponseValidationError`, never a wrongly typed object.

This table is the only place that names generated API functions.
"""

from __future__ import annotations

import functools
import json
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import attrs
import httpx
from fal_assets_api.api.assets import (
    create_asset_character,
    delete_asset_character,
    favorite_asset_character,
    get_asset_character,
    list_asset_characters,
    unfavorite_asset_character,
    update_asset_character,
)
from fal_assets_api.models.character import Character
from fal_assets_api.models.character_list_response import CharacterListResponse
from fal_assets_api.models.character_response import CharacterResponse

from ._config import ClientConfig
from ._engine import Spec
from ._errors import APIResponseValidationError
from ._transport import Reply

__all__ = ["Operation", "api_spec"]

T = TypeVar("T")


@dataclass(frozen=True)
class Operation(Generic[T]):
    """One API operation: fal's operationId, the generated request builder, the documented success status,
    the reply's model (None: no body), and what the caller gets from it."""

    name: str
    build: Callable[..., dict[str, Any]]
    success: int
    model: type[Any] | None
    result: Callable[[Any], T]


def _character(parsed: CharacterResponse) -> Character:
    return parsed.character


def _characters(parsed: CharacterListResponse) -> list[Character]:
    return parsed.characters


def _nothing(parsed: object) -> None:
    return None


# fal's operationId, the generated request builder, the success status, the reply's model, the result.
CREATE_CHARACTER = Operation(
    "createAssetCharacter", create_asset_character._get_kwargs, 201, CharacterResponse, _character
)
UPDATE_CHARACTER = Operation(
    "updateAssetCharacter", update_asset_character._get_kwargs, 200, CharacterResponse, _character
)
GET_CHARACTER = Operation(
    "getAssetCharacter", get_asset_character._get_kwargs, 200, CharacterResponse, _character
)
DELETE_CHARACTER = Operation("deleteAssetCharacter", delete_asset_character._get_kwargs, 204, None, _nothing)
FAVORITE_CHARACTER = Operation(
    "favoriteAssetCharacter", favorite_asset_character._get_kwargs, 200, CharacterResponse, _character
)
UNFAVORITE_CHARACTER = Operation(
    "unfavoriteAssetCharacter", unfavorite_asset_character._get_kwargs, 200, CharacterResponse, _character
)
LIST_CHARACTERS = Operation(
    "listAssetCharacters", list_asset_characters._get_kwargs, 200, CharacterListResponse, _characters
)


def api_spec(op: Operation[T], config: ClientConfig, arguments: dict[str, Any]) -> Spec[T]:
    """The engine's request for one call of `op`, carrying the API key for the API's origin."""
    built = op.build(**arguments)
    url = config.base_url + built["url"]
    if built.get("params"):
        url = str(httpx.URL(url, params=built["params"]))
    headers = {name: str(value) for name, value in built.get("headers", {}).items()}
    content: bytes | None = None
    if "json" in built:
        content = json.dumps(built["json"], ensure_ascii=False, separators=(",", ":")).encode()
        headers["Content-Type"] = "application/json"
    return Spec(
        op.name,
        built["method"].upper(),
        url,
        functools.partial(_parse, op),
        credential=config.api_credential,
        headers=headers,
        content=content,
        success=op.success,
    )


def _parse(op: Operation[T], reply: Reply) -> T:
    if op.model is None:
        return op.result(None)
    try:
        data = json.loads(reply.content)
        if not isinstance(data, dict):
            raise TypeError(f"expected a JSON object, got {type(data).__name__}")
        parsed = op.model.from_dict(data)
        check_types(parsed)
        return op.result(parsed)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise APIResponseValidationError(
            f"{op.name}: the {reply.status_code} reply does not match the API schema "
            f"({type(exc).__name__}: {exc})",
            response=reply.response,
        ) from None


def check_types(model: Any) -> None:
    """Raise TypeError when a generated model's field does not hold its declared type."""
    cls: Any = type(model)
    _checker(cls)(model, "")


Checker = Callable[[object, str], None]


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
    """A checker for one generated model class, built once from its type hints."""
    hints = typing.get_type_hints(cls, localns=_ModelNames())
    fields = [(field.name, _compile(hints[field.name])) for field in attrs.fields(cls)]

    def check(value: object, path: str) -> None:
        if not isinstance(value, cls):
            raise TypeError(f"{path or 'reply'}: expected {cls.__name__}, got {type(value).__name__}")
        for name, check_field in fields:
            check_field(getattr(value, name), f"{path}{name}")

    return check


def _compile(hint: Any) -> Checker:
    origin = typing.get_origin(hint)
    if hint is Any or origin is dict:
        # Free-form objects (`additional_properties`): a dict is all the spec promises.
        return _is(dict) if origin is dict else _anything
    if origin is typing.Union or origin is types.UnionType:
        options = [_compile(option) for option in typing.get_args(hint)]

        def one_of(value: object, path: str) -> None:
            for option in options:
                try:
                    option(value, path)
                    return
                except TypeError:
                    continue
            raise TypeError(f"{path}: {value!r:.80} is none of {hint}")

        return one_of
    if origin is list:
        (item_hint,) = typing.get_args(hint)
        item = _compile(item_hint)

        def each(value: object, path: str) -> None:
            if not isinstance(value, list):
                raise TypeError(f"{path}: expected a list, got {type(value).__name__}")
            for index, element in enumerate(value):
                item(element, f"{path}[{index}]")

        return each
    if isinstance(hint, type) and attrs.has(hint):
        nested = _checker(hint)
        return lambda value, path: nested(value, f"{path}.")
    if hint is float:
        return _is(int, float)
    return _is(hint)


def _anything(value: object, path: str) -> None:
    return None


def _is(*types_: type) -> Checker:
    """isinstance, where a bool is not a number (JSON true is not 1)."""
    numeric = any(t in (int, float) for t in types_)

    def check(value: object, path: str) -> None:
        if not isinstance(value, types_) or (numeric and isinstance(value, bool)):
            names = " or ".join(t.__name__ for t in types_)
            raise TypeError(f"{path}: expected {names}, got {type(value).__name__}")

    return check
