"""openapi.yaml as data: schemas, properties and parameters found by name, and the limits a schema sets."""

from __future__ import annotations

from typing import Any

import pytest
from fal_assets._core import spec


def test_the_document_is_fal_s_and_read_once() -> None:
    assert spec.document() is spec.document()
    assert spec.document()["openapi"].startswith("3.")
    assert "listAssets" in {
        op
        for item in spec.document()["paths"].values()
        for op in [o.get("operationId") for o in item.values() if isinstance(o, dict)]
    }


def test_schemas_properties_and_parameters_by_name() -> None:
    assert "properties" in spec.schema("CreateTagRequest")
    assert spec.bounds(spec.property_schema("CreateTagRequest", "name")).max == 50
    assert spec.bounds(spec.parameter_schema("listAssetCollections", "limit")).min >= 1
    with pytest.raises(KeyError, match="no parameter 'colour'"):
        spec.parameter_schema("listAssets", "colour")
    with pytest.raises(KeyError):
        spec.schema("NoSuchSchema")


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        ({"type": "string", "minLength": 1, "maxLength": 50}, spec.Bounds(1, 50)),
        ({"type": "string", "maxLength": 9}, spec.Bounds(0, 9)),
        ({"type": "array", "minItems": 2}, spec.Bounds(2, None)),
        ({"type": "integer", "minimum": 60, "maximum": 604800}, spec.Bounds(60, 604800)),
        ({"type": "string"}, spec.Bounds(0, None)),
    ],
)
def test_bounds(node: dict[str, Any], expected: spec.Bounds) -> None:
    assert spec.bounds(node) == expected
