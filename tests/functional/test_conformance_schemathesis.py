"""schemathesis, a tool we did not write, checks the served FakeFal against openapi.yaml: every operation,
positive and negative data, a fixed seed and a bounded number of examples, with zero failures allowed."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fal_assets.testing import FakeFal
from hypothesis import settings
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.conftest import SPEC_PATH

API_KEY = "conformance-id:conformance-secret"

SCHEMA = schemathesis.openapi.from_path(
    SPEC_PATH,
    config=schemathesis.Config.from_dict(
        {
            "seed": 20260523,
            "generation": {"max-examples": 25},
            "auth": {"openapi": {"apiKey": {"api_key": f"Key {API_KEY}"}}},
            "checks": {
                # Replaced below by a check that knows fal's one prose-only rule.
                "positive_data_acceptance": {"enabled": False},
            },
        }
    ),
)


OPERATIONS = {
    "listAssetCharacters": 200,
    "createAssetCharacter": 201,
    "getAssetCharacter": 200,
    "updateAssetCharacter": 200,
    "deleteAssetCharacter": 204,
    "favoriteAssetCharacter": 200,
    "unfavoriteAssetCharacter": 200,
}


@pytest.fixture(scope="module")
def served_fake() -> Iterator[FakeFal]:
    with FakeFal.serve(api_key=API_KEY) as fake:
        yield fake
    reached = {(r.operation, r.status) for r in fake.requests}
    if set(OPERATIONS) <= {operation for operation, _ in reached}:
        # A run over every operation must also have reached each one's success status, or the
        # conformance above only ever saw error paths.
        missed = sorted(op for op, status in OPERATIONS.items() if (op, status) not in reached)
        assert not missed, f"schemathesis never reached the success status of {missed}"


def fal_positive_data_acceptance(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case[Any]
) -> bool | None:
    """schemathesis' positive-data check, except for fal's "fal-hosted URL" rule.

    The spec says only in prose that reference_images and cover_image_url must be fal-hosted, so a
    schema-valid URL on another host is rightly answered 422; any other 422 for valid data still fails.
    """
    if response.status_code == 422 and "not a fal-hosted URL" in response.text:
        return None
    result: bool | None = positive_data_acceptance(ctx, response, case)
    return result


_turn = itertools.count()


def target_an_existing_character(case: schemathesis.Case[Any], fake: FakeFal) -> None:
    """Every other valid character_id is swapped for a stored character's, so that get, update, delete and
    (un)favorite are exercised on success paths too, not only on 404s; invalid ids stay as generated."""
    path = case.meta.components.get(ParameterLocation.PATH) if case.meta else None
    if not case.path_parameters or path is None or path.mode is not GenerationMode.POSITIVE:
        return
    if next(_turn) % 2:
        return
    existing = next(iter(fake.characters), None) or fake.add_character(name="target")["id"]
    case.path_parameters["character_id"] = existing


# The operations FakeFal implements (openapi.yaml also holds the rest of fal's Assets and Storage API).
@SCHEMA.include(operation_id=list(OPERATIONS)).parametrize()
@settings(max_examples=25, derandomize=True, deadline=None)
def test_served_fake_conforms_to_the_spec(case: schemathesis.Case[Any], served_fake: FakeFal) -> None:
    if case.headers and "Idempotency-Key" in case.headers:
        # Generated keys repeat across examples with different bodies, and the fake (like fal) rejects a
        # key reused for another request; each example is a new request, so it gets a fresh key.
        case.headers["Idempotency-Key"] = str(uuid.uuid4())
    target_an_existing_character(case, served_fake)
    case.call_and_validate(
        base_url=served_fake.api_base_url, additional_checks=[fal_positive_data_acceptance]
    )
