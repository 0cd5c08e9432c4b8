"""openapi.yaml is fal's contract: fal's published document (tests/fixtures, the newest version, a copy
of https://api.fal.ai/v1/openapi.json) with inline schemas named, plus the overlay's deliberate deviations.

The docs page (shared/seed/update-asset-character.txt) is copied into tests/fixtures/seed_update_*.json.
Tests pin fal's contract, never incidentals: a new optional field from fal must not break them.
"""

from __future__ import annotations

import copy
import json
import urllib.parse
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import referencing
import referencing.jsonschema
import yaml
from openapi_spec_validator import validate

from tests import paths
from tests.conftest import FAL_DOCUMENT_PATH, fal_operation_ids

ROOT = paths.ROOT
FIXTURES = paths.FIXTURES
FAL: dict[str, Any] = json.loads(FAL_DOCUMENT_PATH.read_text())
SEED_ID = "d7tatpsregjaga2cf3d0"
PATCH = ("/assets/characters/{character_id}", "patch")
WRITE_METHODS = {"post", "put", "patch", "delete"}
METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "trace"}
WORDING = {"description", "example", "examples", "title"}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    # safe_load is fine: openapi.yaml quotes its timestamps (test_seed_examples_* would catch it otherwise).
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    return loaded


@pytest.fixture(scope="module")
def seed_response() -> Any:
    return json.loads((FIXTURES / "seed_update_response.json").read_text())


@pytest.fixture(scope="module")
def seed_request() -> Any:
    return json.loads((FIXTURES / "seed_update_request.json").read_text())


def pointer(*tokens: str) -> str:
    return "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens)


def validator_for(spec: dict[str, Any], json_pointer: str) -> jsonschema.Draft202012Validator:
    """A JSON Schema 2020-12 validator (OpenAPI 3.1's dialect) for the schema at `json_pointer`,
    with every $ref resolved inside openapi.yaml. Formats are checked where a checker is installed."""
    resource = referencing.Resource.from_contents(
        spec, default_specification=referencing.jsonschema.DRAFT202012
    )
    registry: referencing.Registry[Any] = referencing.Registry().with_resource("urn:fal-openapi", resource)
    schema = {"$ref": "urn:fal-openapi#" + urllib.parse.quote(json_pointer)}
    return jsonschema.Draft202012Validator(
        schema, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def resolve(spec: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for token in node["$ref"].removeprefix("#/").split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def inline(spec: dict[str, Any], node: Any) -> Any:
    """`node` with every $ref replaced by its target, recursively: the meaning without the layout."""
    node = resolve(spec, node)
    if isinstance(node, dict):
        return {key: inline(spec, value) for key, value in node.items()}
    if isinstance(node, list):
        return [inline(spec, item) for item in node]
    return node


def wording_free(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: wording_free(v) for k, v in node.items() if k not in WORDING}
    if isinstance(node, list):
        return [wording_free(item) for item in node]
    return node


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    return [
        (path, method, item, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def parameters(spec: dict[str, Any], item: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    params = [resolve(spec, p) for p in [*item.get("parameters", []), *operation.get("parameters", [])]]
    return {f"{p['in']}:{p['name']}": p for p in params}


def schema(spec: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = spec["components"]["schemas"][name]
    return found


def without_overlay(spec: dict[str, Any]) -> dict[str, Any]:
    """openapi.yaml less the overlay's deviations that reach operations (the date-time formats)."""
    overlay = yaml.safe_load((ROOT / "openapi.overlay.yaml").read_text())
    spec = copy.deepcopy(spec)
    for action in overlay["actions"]:
        target = action["target"]
        if target.startswith("$.components.schemas."):
            name, _, prop = target.removeprefix("$.components.schemas.").split(".")
            for key in action["update"]:
                del spec["components"]["schemas"][name]["properties"][prop][key]
    return spec


# ----------------------------------------------------------------------------------------------------
# fal's contract


def fal_operations() -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (path, method): operation
        for path, method, _, operation in operations(FAL)
        if path.startswith(("/assets", "/storage"))
    }


def test_every_fal_assets_and_storage_operation_is_in_openapi_yaml(spec: dict[str, Any]) -> None:
    ours = {(path, method) for path, method, _, _ in operations(spec)}
    assert ours == set(fal_operations())
    assert {op["operationId"] for _, _, _, op in operations(spec)} == fal_operation_ids(FAL)


def test_operations_mean_exactly_what_fals_do(spec: dict[str, Any]) -> None:
    """Dereferenced, each operation is fal's: names, tags, texts, parameters, bodies, every status."""
    plain = without_overlay(spec)
    for (path, method), theirs in fal_operations().items():
        ours = plain["paths"][path][method]
        for key in ("operationId", "tags", "summary", "description", "security"):
            assert ours.get(key) == theirs.get(key), (method, path, key)
        assert list(ours["responses"]) == list(theirs["responses"]), (method, path)
        assert wording_free(inline(plain, ours)) == wording_free(inline(FAL, theirs)), (method, path)


def test_deviations_are_only_the_overlays(spec: dict[str, Any]) -> None:
    plain = without_overlay(spec)
    stamps = [
        props[name]
        for schema_ in spec["components"]["schemas"].values()
        for props in [schema_.get("properties", {})]
        for name in props
        if props[name].get("format") == "date-time"
    ]
    assert stamps, "the overlay types fal's timestamps as date-time"
    # Without the overlay, a timestamp is typed only where fal's own document types it (fal's newest
    # document writes `format: date-time` on the Entity's timestamps, and on none of the older schemas).
    typed = {
        (name, field)
        for name, schema_ in plain["components"]["schemas"].items()
        for field, p in schema_.get("properties", {}).items()
        if p.get("format") == "date-time"
    }
    overlaid = {
        tuple(action["target"].removeprefix("$.components.schemas.").split(".")[::2])
        for action in yaml.safe_load((ROOT / "openapi.overlay.yaml").read_text())["actions"]
        if action["target"].startswith("$.components.schemas.")
    }
    assert overlaid and typed.isdisjoint(overlaid), "the overlay only adds what fal leaves out"


# ----------------------------------------------------------------------------------------------------
# Validity and the seed


def test_openapi_yaml_is_a_valid_openapi_31_document(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1.")
    validate(spec)


def test_seed_response_validates_against_the_patch_200_schema(
    spec: dict[str, Any], seed_response: Any
) -> None:
    path, method = PATCH
    where = pointer("paths", path, method, "responses", "200", "content", "application/json", "schema")
    validator = validator_for(spec, where)
    # The docs page's copy omits parent_collection_id, which fal's schema requires (and fal's own example
    # in its document carries as null).
    assert not validator.is_valid(seed_response)
    seed_response = {"character": {**seed_response["character"], "parent_collection_id": None}}
    validator.validate(seed_response)
    # ... and the schema has teeth: the seed response without a required field, or with a wrong type, fails.
    broken = json.loads(json.dumps(seed_response))
    del broken["character"]["is_favorited"]
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(seed_response))
    broken["character"]["type"] = "collection"
    assert not validator.is_valid(broken)


def test_seed_response_with_parent_collection_id_and_extra_fields_still_validates(
    spec: dict[str, Any], seed_response: Any
) -> None:
    body = json.loads(json.dumps(seed_response))
    body["character"]["parent_collection_id"] = None
    body["character"]["some_future_field"] = {"anything": True}
    validator_for(spec, pointer("components", "schemas", "CharacterResponse")).validate(body)


def test_seed_examples_are_fals_examples_in_openapi_yaml(
    spec: dict[str, Any], seed_request: Any, seed_response: Any
) -> None:
    path, method = PATCH
    operation = spec["paths"][path][method]
    example = operation["responses"]["200"]["content"]["application/json"]["example"]
    assert example == {"character": {**seed_response["character"], "parent_collection_id": None}}
    assert operation["requestBody"]["content"]["application/json"]["example"] == seed_request


def test_seed_request_validates_against_update_character_request(
    spec: dict[str, Any], seed_request: Any
) -> None:
    path, method = PATCH
    body_schema = spec["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    assert body_schema == {"$ref": "#/components/schemas/UpdateCharacterRequest"}
    validator = validator_for(spec, pointer("components", "schemas", "UpdateCharacterRequest"))
    validator.validate(seed_request)
    validator.validate({})  # every field is optional
    validator.validate({"cover_image_url": None})  # null clears the cover
    bad: dict[str, Any]
    for bad in (
        {"name": ""},
        {"name": "x" * 256},
        {"description": ""},
        {"description": "x" * 2001},
        {"reference_images": []},
        {"reference_images": ["a"] * 21},
        {"reference_images": [""]},
        {"cover_image_url": 5},
    ):
        assert not validator.is_valid(bad), bad


# ----------------------------------------------------------------------------------------------------
# Constraints as documented


@pytest.mark.parametrize("name", ["CreateCharacterRequest", "UpdateCharacterRequest"])
def test_character_request_constraints(spec: dict[str, Any], name: str) -> None:
    props = schema(spec, name)["properties"]
    assert props["name"]["type"] == "string"
    assert (props["name"]["minLength"], props["name"]["maxLength"]) == (1, 255)
    assert props["description"]["type"] == "string"
    assert (props["description"]["minLength"], props["description"]["maxLength"]) == (1, 2000)
    refs = props["reference_images"]
    assert refs["type"] == "array"
    assert (refs["minItems"], refs["maxItems"]) == (1, 20)
    assert refs["items"] == {"type": "string", "minLength": 1}
    cover = props["cover_image_url"]
    assert set(cover["type"]) == {"string", "null"}
    assert cover["format"] == "uri"


def test_create_requires_name_description_and_images_and_allows_identifier(spec: dict[str, Any]) -> None:
    create = schema(spec, "CreateCharacterRequest")
    assert set(create["required"]) == {"name", "description", "reference_images"}
    identifier = create["properties"]["identifier"]
    assert identifier["maxLength"] == 64
    assert set(identifier["type"]) == {"string", "null"}
    assert "required" not in schema(spec, "UpdateCharacterRequest")


def test_update_request_has_exactly_the_four_documented_fields(spec: dict[str, Any]) -> None:
    assert list(schema(spec, "UpdateCharacterRequest")["properties"]) == [
        "name",
        "description",
        "reference_images",
        "cover_image_url",
    ]


def test_list_limit_and_offset(spec: dict[str, Any]) -> None:
    item = spec["paths"]["/assets/characters"]
    params = parameters(spec, item, item["get"])
    limit, offset = params["query:limit"], params["query:offset"]
    assert not limit.get("required", False) and not offset.get("required", False)
    assert wording_free(limit["schema"]) == {"type": "integer", "default": 50, "minimum": 1, "maximum": 100}
    assert wording_free(offset["schema"]) == {"type": ["integer", "null"], "default": 0, "minimum": 0}


def test_character_id_path_parameter(spec: dict[str, Any]) -> None:
    for path, method, item, operation in operations(spec):
        if "{character_id}" in path:
            param = parameters(spec, item, operation)["path:character_id"]
            assert param["required"] is True, (method, path)
            assert wording_free(param["schema"]) == {"type": "string", "minLength": 1}
            assert param["schema"]["example"] == SEED_ID


def test_every_write_takes_an_optional_idempotency_key_header(spec: dict[str, Any]) -> None:
    assets = [op for op in operations(spec) if op[0].startswith("/assets")]
    writes = [(path, method) for path, method, _, _ in assets if method in WRITE_METHODS]
    fal_writes = {
        (path, method) for (path, method), operation in fal_operations().items() if method in WRITE_METHODS
    }
    assert set(writes) == {(p, m) for p, m in fal_writes if p.startswith("/assets")}
    for path, method, item, operation in assets:
        params = parameters(spec, item, operation)
        if method in WRITE_METHODS:
            key = params["header:Idempotency-Key"]
            assert key.get("required", False) is False, (method, path)
            assert key["schema"]["type"] == "string"
        else:
            assert "header:Idempotency-Key" not in params, (method, path)


def test_operations_and_success_responses(spec: dict[str, Any]) -> None:
    found = {(method, path): op for path, method, _, op in operations(spec) if "/characters" in path}
    expected = {
        ("get", "/assets/characters"): ("listAssetCharacters", "200", "CharacterListResponse"),
        ("post", "/assets/characters"): ("createAssetCharacter", "201", "CharacterResponse"),
        ("get", "/assets/characters/{character_id}"): ("getAssetCharacter", "200", "CharacterResponse"),
        ("patch", "/assets/characters/{character_id}"): ("updateAssetCharacter", "200", "CharacterResponse"),
        ("delete", "/assets/characters/{character_id}"): ("deleteAssetCharacter", "204", None),
        ("post", "/assets/characters/{character_id}/favorite"): (
            "favoriteAssetCharacter",
            "200",
            "CharacterResponse",
        ),
        ("post", "/assets/characters/{character_id}/unfavorite"): (
            "unfavoriteAssetCharacter",
            "200",
            "CharacterResponse",
        ),
    }
    assert set(found) == set(expected)
    for key, (operation_id, status, body) in expected.items():
        operation = found[key]
        assert operation["operationId"] == operation_id
        success = [code for code in operation["responses"] if code.startswith("2")]
        assert success == [status], key
        response = resolve(spec, operation["responses"][status])
        if body is None:
            assert "content" not in response, "delete answers 204 with no body"
        else:
            assert response["content"]["application/json"]["schema"] == {
                "$ref": f"#/components/schemas/{body}"
            }


def test_error_statuses_use_the_error_body(spec: dict[str, Any]) -> None:
    for path, method, _, operation in operations(spec):
        errors = {code: resp for code, resp in operation["responses"].items() if code[0] in "45"}
        assert errors, (method, path)
        assert set(errors) <= {"400", "401", "403", "404", "409", "422", "429", "500", "502"}
        for code, response in errors.items():
            body = resolve(spec, response)["content"]["application/json"]["schema"]
            assert body == {"$ref": "#/components/schemas/ErrorResponse"}, (method, path, code)
    error = schema(spec, "Error")
    assert set(error["required"]) == {"type", "message"}
    assert set(error["properties"]["type"]["enum"]) == {
        "authorization_error",
        "validation_error",
        "not_found",
        "rate_limited",
        "server_error",
        "not_implemented",
    }
    assert schema(spec, "ErrorResponse")["properties"]["error"] == {"$ref": "#/components/schemas/Error"}


def test_character_schema_is_fals(spec: dict[str, Any]) -> None:
    """Pins fal's contract only: a new optional property from fal must not fail this test."""
    character = schema(spec, "Character")
    props, required = character["properties"], set(character["required"])
    assert "asset_count" not in required, "optional at fal"
    assert set(props["asset_count"]["type"]) == {"number", "null"}
    assert "parent_collection_id" in required and "null" in props["parent_collection_id"]["type"]
    assert {"id", "type", "name", "is_favorited", "reference_images", "created_at", "updated_at"} <= required
    for name in ("description", "icon", "color", "cover_image_url", "character_identifier"):
        assert name in required and "null" in props[name]["type"], name
    assert props["type"]["enum"] == ["character"]
    assert props["is_favorited"]["type"] == "boolean"
    assert props["reference_images"]["items"]["type"] == "string"
    assert character.get("additionalProperties", True) is not False, "unknown fields must not break parsing"


def test_security_and_server(spec: dict[str, Any]) -> None:
    assert spec["servers"] == [{"url": "https://api.fal.ai/v1"}]
    scheme = spec["components"]["securitySchemes"]["apiKey"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert 'prefixed with "Key "' in scheme["description"]
    for path, method, _, operation in operations(spec):
        assert operation["security"] == [{"apiKey": []}], (method, path)
