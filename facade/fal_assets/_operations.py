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
from fal_assets_api.api.characters import (
    create_character,
    delete_character,
    favorite_character,
    get_character,
    list_characters,
    unfavorite_character,
    update_character,
)
from fal_assets_api.models.character import Character
from fal_assets_api.models.character_list_response import CharacterListResponse
from fal_assets_api.models.character_response import CharacterResponse

from ._config import ClientConfig
from ._engine import Spec
from ._errors import APIResponseValidationError

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
    "createCharacter", create_character._get_kwargs, 201, CharacterResponse, _character
)
UPDATE_CHARACTER = Operation(
    "updateCharacter", update_character._get_kwargs, 200, CharacterResponse, _character
)
GET_CHARACTER = Operation("getCharacter", get_character._get_kwargs, 200, CharacterResponse, _character)
DELETE_CHARACTER = Operation("deleteCharacter", delete_character._get_kwargs, 204, None, _nothing)
FAVORITE_CHARACTER = Operation(
    "favoriteCharacter", favorite_character._get_kwargs, 200, CharacterResponse, _character
)
UNFAVORITE_CHARACTER = Operation(
    "unfavoriteCharacter", unfavorite_character._get_kwargs, 200, CharacterResponse, _character
)
LIST_CHARACTERS = Operation(
    "listCharacters", list_characters._get_kwargs, 200, CharacterListResponse, _characters
)


def api_spec(op: Operation[T], config: ClientConfig, arguments: dict[str, Any]) -> Spec[T]:
    """The engine's request for one call of `op`, carrying the API key for the API's origin."""
    built = op.build(**arguments)
    url = httpx.URL(config.base_url + built["url"], params=built.get("params") or None)
    headers = {name: str(value) for name, value in built.get("headers", {}).items()}
    content: bytes | None = None
    if "json" in built:
        content = json.dumps(built["json"], ensure_ascii=False, separators=(",", ":")).encode()
        headers["Content-Type"] = "application/json"
    return Spec(
        op.name,
        built["method"].upper(),
        str(url),
        functools.partial(_parse, op),
        credential=config.api_credential,
        headers=headers,
        content=content,
        success=op.success,
    )


def _parse(op: Operation[T], reply: httpx.Response) -> T:
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
            response=reply,
        ) from None


def check_types(model: Any, path: str = "") -> None:
    """Raise TypeError when a generated model's field does not hold its declared type."""
    cls: Any = type(model)
    hints = _hints(cls)
    for field in attrs.fields(cls):
        _check(getattr(model, field.name), hints[field.name], f"{path}{field.name}")


@functools.cache
def _hints(cls: type[Any]) -> dict[str, Any]:
    # Generated models import each other only for type checking; the models package names them all.
    from fal_assets_api import models

    return typing.get_type_hints(cls, localns=vars(models))


def _check(value: object, hint: Any, path: str) -> None:
    origin = typing.get_origin(hint)
    if hint is Any:
        return
    if origin is typing.Union or origin is types.UnionType:
        for option in typing.get_args(hint):
            try:
                _check(value, option, path)
                return
            except TypeError:
                continue
        raise TypeError(f"{path}: {value!r:.80} is none of {hint}")
    if origin is list:
        if not isinstance(value, list):
            raise TypeError(f"{path}: expected a list, got {type(value).__name__}")
        (item,) = typing.get_args(hint)
        for index, element in enumerate(value):
            _check(element, item, f"{path}[{index}]")
        return
    if origin is dict:
        if not isinstance(value, dict):
            raise TypeError(f"{path}: expected an object, got {type(value).__name__}")
        return
    if hint is type(None):
        ok = value is None
    elif hint is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(hint, type) and attrs.has(hint):
        if not isinstance(value, hint):
            raise TypeError(f"{path}: expected {hint.__name__}, got {type(value).__name__}")
        check_types(value, f"{path}.")
        return
    else:
        ok = isinstance(value, hint)
    if not ok:
        raise TypeError(f"{path}: expected {getattr(hint, '__name__', hint)}, got {type(value).__name__}")
