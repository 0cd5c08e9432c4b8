"""How the facade reads and sends fal's operations, whose facts come from the spec.

`fal_assets_api.operations` (written by scripts/generate from openapi.yaml) declares each operation: its
operationId, method, path, documented success status, reply model, what the caller gets from the reply, and
the generated request builder (`_get_kwargs`: method, path, query, JSON body, headers). Here it becomes the
engine's `Spec`: the request carrying the API key for the API's origin, and a reader for the reply.

A reply is read by the operation's model (`from_reply`): by default tolerantly (a missing field or a null
is None, an unknown enum value stays a string, each logged once: replies.py), strictly with
`strict_response_validation`. What cannot be read either way (not JSON, not an object, a wrong JSON type,
no identity or wrapper) is an `APIResponseValidationError`, never a wrongly typed object.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
from fal_assets_api.operations import Operation
from fal_assets_api.types import STRICT, Drift

from .._config import ClientConfig
from .._errors import APIResponseValidationError, ValidationError
from .body import Reply
from .engine import Spec
from .replies import LoggedDrift

__all__ = ["Operation", "api_spec", "read_reply"]

T = TypeVar("T")

# Each operation's two readers (tolerant, strict), made on first use, so that a call costs one dict lookup and
# each operation keeps one drift log (each (operation, field) difference is logged once per process).
_READERS: dict[tuple[str, bool], Callable[[Reply], Any]] = {}


def read_reply(op: Operation[T], reply: Reply, drift: Drift) -> T:
    """The caller's result from a reply with the documented status; each difference from the spec goes to
    `drift` (logged, or raised by STRICT)."""
    if op.reply is None:
        return op.unwrap(None)
    try:
        data = json.loads(reply.content)
        if data.__class__ is not dict:
            raise TypeError(f"expected a JSON object, got {type(data).__name__}")
        return op.unwrap(op.reply.from_reply(data, drift))
    # RecursionError: a reply nested thousands of levels deep, from the JSON decoder or the models.
    except (AttributeError, KeyError, TypeError, ValueError, RecursionError) as exc:
        raise APIResponseValidationError(
            f"{op.name}: the {reply.status_code} reply does not match the API schema "
            f"({type(exc).__name__}: {exc})",
            response=reply.response,
        ) from None


def _reader(op: Operation[T], strict: bool) -> Callable[[Reply], T]:
    found = _READERS.get((op.name, strict))
    if found is None:
        drift: Drift = STRICT if strict else LoggedDrift(op.name)

        def found(reply: Reply) -> T:
            return read_reply(op, reply, drift)

        _READERS[(op.name, strict)] = found
    return found


# json.dumps with options builds an encoder per call; this one is made once.
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def api_spec(op: Operation[T], config: ClientConfig, arguments: dict[str, Any]) -> Spec[T]:
    """The engine's request for one call of `op`, carrying the API key for the API's origin."""
    built = op.build(**arguments)
    url = config.base_url + built["url"]
    if built.get("params"):
        try:
            url = str(httpx.URL(url, params=built["params"]))
        except httpx.InvalidURL as exc:
            # A query too long for a URL (httpx's limit): a local error, before anything is sent.
            raise ValidationError(f"{op.name}: cannot build the request URL: {exc}") from None
    headers = {name: str(value) for name, value in built.get("headers", {}).items()}
    content: bytes | None = None
    if "json" in built:
        content = _JSON.encode(built["json"]).encode()
        headers["Content-Type"] = "application/json"
    return Spec(
        op.name,
        built["method"].upper(),
        url,
        _reader(op, config.strict_response_validation),
        credential=config.api_credential,
        headers=headers,
        content=content,
        success=op.success,
    )
