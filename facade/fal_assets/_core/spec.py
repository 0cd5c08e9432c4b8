"""openapi.yaml as data, for the facade's local checks and for FakeFal: one source for every limit.

scripts/generate ships openapi.yaml inside the generated package as `fal_assets_api/openapi.json`, so it
is read with the standard library (no YAML parser at run time) and vendored along with the client.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["Bounds", "document", "parameter_schema", "property_schema", "schema"]

_METHODS = ("get", "put", "post", "delete", "patch")


@dataclass(frozen=True)
class Bounds:
    """Inclusive limits: lengths for strings, item counts for arrays, values for numbers."""

    min: int
    max: int | None


@cache
def document() -> dict[str, Any]:
    text = resources.files("fal_assets_api").joinpath("openapi.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def schema(name: str) -> dict[str, Any]:
    found: dict[str, Any] = document()["components"]["schemas"][name]
    return found


def property_schema(schema_name: str, field: str) -> dict[str, Any]:
    found: dict[str, Any] = schema(schema_name)["properties"][field]
    return found


@cache
def _operations() -> dict[str, dict[str, Any]]:
    return {
        operation["operationId"]: operation
        for item in document()["paths"].values()
        for method, operation in item.items()
        if method in _METHODS
    }


def parameter_schema(operation_id: str, name: str) -> dict[str, Any]:
    for parameter in _operations()[operation_id].get("parameters", []):
        if parameter["name"] == name:
            found: dict[str, Any] = parameter["schema"]
            return found
    raise KeyError(f"{operation_id} has no parameter {name!r}")


def bounds(node: dict[str, Any]) -> Bounds:
    """The limits a schema sets, whatever its type; a missing lower limit is 0."""
    for low, high in (("minLength", "maxLength"), ("minItems", "maxItems"), ("minimum", "maximum")):
        if low in node or high in node:
            return Bounds(int(node.get(low, 0)), None if high not in node else int(node[high]))
    return Bounds(0, None)
