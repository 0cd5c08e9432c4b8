"""schemathesis checks the served FakeFal against fal's real published document (tests/fixtures), for every
operation under /assets and /storage: positive and negative data, a fixed seed, a bounded number of examples,
zero failures allowed. (test_conformance_schemathesis.py does the same against openapi.yaml.)"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fal_assets._core import spec as _spec
from fal_assets.testing import FakeFal
from hypothesis import settings
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.conftest import fal_assets_document, fal_operation_ids
from tests.library_support import upload_file

API_KEY = "conformance-id:conformance-secret"
DOCUMENT = fal_assets_document()
SCHEMA = schemathesis.openapi.from_dict(
    DOCUMENT,
    config=schemathesis.Config.from_dict(
        {
            "seed": 20260823,
            "generation": {"max-examples": 15},
            "auth": {"openapi": {"apiKey": {"api_key": f"Key {API_KEY}"}}},
            "checks": {"positive_data_acceptance": {"enabled": False}},
        }
    ),
)
SUCCESS = {
    operation["operationId"]: min(int(code) for code in operation["responses"] if code.startswith("2"))
    for item in DOCUMENT["paths"].values()
    for operation in item.values()
    if isinstance(operation, dict) and "operationId" in operation
}
# fal's document names the character operations its own way; the fake keeps the project's names for them.
FAKE_NAMES = {
    "listAssetCharacters": "listAssetCharacters",
    "createAssetCharacter": "createAssetCharacter",
    "getAssetCharacter": "getAssetCharacter",
    "updateAssetCharacter": "updateAssetCharacter",
    "deleteAssetCharacter": "deleteAssetCharacter",
    "favoriteAssetCharacter": "favoriteAssetCharacter",
    "unfavoriteAssetCharacter": "unfavoriteAssetCharacter",
}
# Rules fal states only in prose (descriptions), so schema-valid data may rightly be refused for them.
PROSE_RULES = (
    "not a fal-hosted URL",
    "exactly one of asset_id, request_id or vector_id",
    "only manual collections",
    "collections nest at most",
    "cannot move under itself",
    "smart collection",
    "collection has no filters",
    "already exists",
    "cursor:",
    "must not contain query parameters",
    "required and non-empty for characters",
    "character handles cannot be changed",
    "character descriptions cannot be cleared",
    "must be one of the entity's reference images",
    # Not prose but `format: uri`, which schemathesis does not assert: "" is schema-valid to it.
    "Input should be a valid URI",
)


def test_the_document_has_every_operation_of_openapi_yaml() -> None:
    assert set(SUCCESS) == fal_operation_ids(_spec.document())


@pytest.fixture(scope="module")
def served_fake() -> Iterator[FakeFal]:
    with FakeFal.serve(api_key=API_KEY) as fake:
        yield fake
    reached = {(r.operation, r.status) for r in fake.requests}
    missed = sorted(op for op, status in SUCCESS.items() if (FAKE_NAMES.get(op, op), status) not in reached)
    # Some generated cases are rejected before the fake is called; a run over the whole document must
    # still have reached each operation's success status, or it only ever saw error paths.
    if {FAKE_NAMES.get(op, op) for op in SUCCESS} <= {op for op, _ in reached}:
        assert not missed, f"schemathesis never reached the success status of {missed}"


def fal_positive_data_acceptance(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case[Any]
) -> bool | None:
    if response.status_code in (400, 409, 422) and any(rule in response.text for rule in PROSE_RULES):
        return None
    result: bool | None = positive_data_acceptance(ctx, response, case)
    return result


_turn = itertools.count()


def target_existing_things(case: schemathesis.Case[Any], fake: FakeFal) -> None:
    """Every other positive case addresses things that exist, so success paths are exercised too."""
    meta = case.meta
    if meta is None or next(_turn) % 2:
        return
    path = meta.components.get(ParameterLocation.PATH)
    if case.path_parameters and path is not None and path.mode is GenerationMode.POSITIVE:
        for name in case.path_parameters:
            case.path_parameters[name] = _existing(fake, name)
    query = meta.components.get(ParameterLocation.QUERY)
    if case.query and "url" in case.query and query is not None and query.mode is GenerationMode.POSITIVE:
        case.query["url"] = upload_file(fake)
    body = meta.components.get(ParameterLocation.BODY)
    if isinstance(case.body, dict) and body is not None and body.mode is GenerationMode.POSITIVE:
        refs = [key for key in ("asset_id", "request_id", "vector_id") if key in case.body]
        if refs:
            asset = fake.add_asset()
            for key in refs:
                case.body.pop(key)
            case.body[refs[0]] = asset[refs[0]]
        if "tag_ids" in case.body:
            case.body["tag_ids"] = [_existing(fake, "tag_id")]
        if case.body.get("collection_id") or case.body.get("parent_collection_id"):
            key = "collection_id" if "collection_id" in case.body else "parent_collection_id"
            case.body[key] = _existing(fake, "collection_id")


def _existing(fake: FakeFal, name: str) -> str:
    if name == "character_id":
        return next(iter(fake.characters), None) or str(fake.add_character(name="target")["id"])
    if name == "entity_id":
        body = {"type": "prop", "name": "target", "reference_images": ["vector-1"]}
        return str(_create(fake, "/assets/entities", body)["entity"]["id"])
    if name == "asset_id":
        return str(fake.add_asset(prompt="target")["asset_id"])
    if name == "tag_id":
        return _create(fake, "/assets/tags", {"name": f"t-{uuid.uuid4().hex[:8]}"})["tag"]["id"]
    return _create(fake, "/assets/collections", {"name": "target"})["collection"]["id"]


def _create(fake: FakeFal, path: str, body: dict[str, Any]) -> dict[str, Any]:
    import httpx

    from tests.library_support import TLS

    with httpx.Client(base_url=fake.api_base_url, verify=TLS) as http:
        response = http.post(path, json=body, headers={"Authorization": f"Key {API_KEY}"})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


@SCHEMA.parametrize()
@settings(max_examples=15, derandomize=True, deadline=None)
def test_served_fake_conforms_to_fals_document(case: schemathesis.Case[Any], served_fake: FakeFal) -> None:
    if case.headers and "Idempotency-Key" in case.headers:
        case.headers["Idempotency-Key"] = str(uuid.uuid4())
    target_existing_things(case, served_fake)
    case.call_and_validate(
        base_url=served_fake.api_base_url, additional_checks=[fal_positive_data_acceptance]
    )
