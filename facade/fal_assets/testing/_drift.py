"""`corrupt_next("drifted")`: a success reply changed the ways fal's real replies have strayed from its
documents, every one of which a client must still read (README, "Forward compatibility").

Guided by the operation's response schema in openapi.yaml, in every object of the reply:
- a required field that is null is left out (as fal's own docs example leaves out `parent_collection_id`);
- a required boolean is sent as null (`is_favorited: null`);
- every enum value becomes one the spec does not list (`"drifted"`), except `kind`, which tells lineage
  node shapes apart (a new kind is a new shape: the client keeps such a node as a plain object);
- an unknown field is added.
Identities (`id`, `asset_id`, `vector_id`) and the reply's own top-level fields stay as they are: a reply
without them is not drift, it is broken.
"""

from __future__ import annotations

from typing import Any

from .._core import spec as _spec

__all__ = ["DRIFTED_ENUM_VALUE", "DRIFTED_FIELD", "drift_reply"]

DRIFTED_ENUM_VALUE = "drifted"
DRIFTED_FIELD = "drifted_field"
_IDENTITIES = frozenset({"id", "asset_id", "vector_id"})
_DISCRIMINATORS = frozenset({"kind"})


def drift_reply(operation: str, status: int, body: Any) -> Any:
    """`body` (a success reply of `operation`, parsed) with the drift above; unchanged when the spec has no
    JSON schema for it."""
    schema = _response_schema(operation, status)
    if schema is None or not isinstance(body, dict):
        return body
    top = _resolve(schema)
    drifted = {key: _drift(value, _property(top, key)) for key, value in body.items()}
    drifted[DRIFTED_FIELD] = {"added": "by corrupt_next('drifted')"}
    return drifted


def _response_schema(operation: str, status: int) -> dict[str, Any] | None:
    for item in _spec.document()["paths"].values():
        for method_item in item.values():
            if isinstance(method_item, dict) and method_item.get("operationId") == operation:
                response = method_item.get("responses", {}).get(str(status), {})
                found: dict[str, Any] | None = (
                    response.get("content", {}).get("application/json", {}).get("schema")
                )
                return found
    return None


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return _spec.schema(ref.rsplit("/", 1)[-1])
    return schema


def _property(schema: dict[str, Any], key: str) -> dict[str, Any]:
    found: dict[str, Any] = schema.get("properties", {}).get(key, {})
    return found


def _members(schema: dict[str, Any]) -> list[dict[str, Any]]:
    schema = _resolve(schema)
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        return [_resolve(option) for option in options if option.get("type") != "null"]
    return [schema]


def _object_schema(value: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any] | None:
    """The member of `schema` that describes `value`: the one whose one-valued enum fields match it."""
    candidates = [m for m in _members(schema) if "properties" in m]
    for candidate in candidates:
        tags = {
            key: prop["enum"][0]
            for key, prop in candidate["properties"].items()
            if key in _DISCRIMINATORS and len(prop.get("enum", ())) == 1
        }
        if all(value.get(key) == tag for key, tag in tags.items()):
            return candidate
    return None


def _types(schema: dict[str, Any]) -> set[str]:
    declared = schema.get("type")
    return set(declared) if isinstance(declared, list) else {declared} if declared else set()


def _drift(value: Any, schema: dict[str, Any]) -> Any:
    if isinstance(value, list):
        items: dict[str, Any] = next((m.get("items", {}) for m in _members(schema) if "items" in m), {})
        return [_drift(item, items) for item in value]
    if not isinstance(value, dict):
        return value
    shape = _object_schema(value, schema)
    if shape is None:
        return value
    required = set(shape.get("required", ()))
    out: dict[str, Any] = {}
    for key, field_value in value.items():
        prop = _property(shape, key)
        if key in _IDENTITIES or not prop:
            out[key] = field_value
        elif key in required and field_value is None:
            continue  # left out
        elif key in required and "boolean" in _types(prop):
            out[key] = None
        elif _enum_values(prop) and key not in _DISCRIMINATORS and isinstance(field_value, str):
            out[key] = DRIFTED_ENUM_VALUE
        else:
            out[key] = _drift(field_value, prop)
    out[DRIFTED_FIELD] = True
    return out


def _enum_values(schema: dict[str, Any]) -> list[Any]:
    return [value for member in _members(schema) for value in member.get("enum", ())]
