"""Local validation: spec boundaries, path safety and empty updates fail before any request."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from fal_assets import FalAssets, ValidationError
from fal_assets._core import validation as check
from fal_assets.testing import FakeFal

from tests import paths
from tests.support import SEED_ID, VECTOR_ID, api_requests, async_client, sync_client

SPEC = yaml.safe_load((paths.ROOT / "openapi.yaml").read_text())


def schema(name: str) -> dict[str, Any]:
    result: dict[str, Any] = SPEC["components"]["schemas"][name]
    return result


def test_packaged_spec_is_openapi_yaml() -> None:
    """Facade checks and FakeFal read limits from the spec shipped in the wheel: it must be openapi.yaml."""
    from fal_assets._core import spec as _spec

    assert _spec.document() == SPEC


def test_bounds_match_openapi_yaml() -> None:
    for request in ("CreateCharacterRequest", "UpdateCharacterRequest"):
        props = schema(request)["properties"]
        assert (props["name"]["minLength"], props["name"]["maxLength"]) == (
            check.NAME_LENGTH.min,
            check.NAME_LENGTH.max,
        )
        assert (props["description"]["minLength"], props["description"]["maxLength"]) == (
            check.DESCRIPTION_LENGTH.min,
            check.DESCRIPTION_LENGTH.max,
        )
        refs = props["reference_images"]
        assert (refs["minItems"], refs["maxItems"]) == (check.REFERENCE_COUNT.min, check.REFERENCE_COUNT.max)
        assert refs["items"]["minLength"] == check.REFERENCE_LENGTH.min
    assert (
        schema("CreateCharacterRequest")["properties"]["identifier"]["maxLength"]
        == check.IDENTIFIER_LENGTH.max
    )
    params = {p["name"]: p["schema"] for p in SPEC["paths"]["/assets/characters"]["get"]["parameters"]}
    assert (params["limit"]["minimum"], params["limit"]["maximum"]) == (
        check.LIST_LIMIT.min,
        check.LIST_LIMIT.max,
    )
    assert params["offset"]["minimum"] == check.LIST_OFFSET.min
    for method, operation in SPEC["paths"]["/assets/characters/{character_id}"].items():
        (character_id,) = [p for p in operation["parameters"] if p["name"] == "character_id"]
        assert character_id["schema"]["minLength"] == check.CHARACTER_ID_LENGTH.min, method


def call_update(**fields: Any) -> Callable[[FalAssets], object]:
    return lambda client: client.characters.update(SEED_ID, **fields)


def call_create(**overrides: Any) -> Callable[[FalAssets], object]:
    fields: dict[str, Any] = {"name": "A", "description": "d", "reference_images": [VECTOR_ID], **overrides}
    return lambda client: client.characters.create(**fields)


REJECTED = {
    "name empty": call_update(name=""),
    "name 256": call_update(name="x" * 256),
    "name not str": call_update(name=5),
    "description empty": call_update(description=""),
    "description 2001": call_update(description="x" * 2001),
    "refs empty": call_update(reference_images=[]),
    "refs 21": call_update(reference_images=[VECTOR_ID] * 21),
    "ref empty string": call_update(reference_images=[""]),
    "no fields": call_update(),
    "create name 256": call_create(name="x" * 256),
    "create refs 0": call_create(reference_images=[]),
    "create identifier 65": call_create(identifier="x" * 65),
    "list limit 0": lambda c: c.characters.list(limit=0),
    "list limit 101": lambda c: c.characters.list(limit=101),
    "list offset -1": lambda c: c.characters.list(offset=-1),
    "list limit bool": lambda c: c.characters.list(limit=True),
    "iter page 0": lambda c: c.characters.iter(page_size=0),
    "idempotency key empty": call_update(name="a", idempotency_key=""),
    "max_retries negative": lambda c: c.characters.get(SEED_ID, max_retries=-1),
    "deadline zero": lambda c: c.characters.get(SEED_ID, deadline=0),
}


@pytest.mark.parametrize("action", REJECTED.values(), ids=REJECTED.keys())
def test_invalid_input_raises_before_any_request(
    fal_fake: FakeFal, action: Callable[[FalAssets], object]
) -> None:
    with sync_client(fal_fake) as client, pytest.raises(ValidationError) as info:
        action(client)
    assert isinstance(info.value, ValueError)
    assert fal_fake.requests == []


ACCEPTED = {
    "name 1": {"name": "x"},
    "name 255": {"name": "x" * 255},
    "description 1": {"description": "x"},
    "description 2000": {"description": "x" * 2000},
    "refs 1": {"reference_images": [VECTOR_ID]},
    "refs 20": {"reference_images": [f"{VECTOR_ID[:-2]}{i:02d}" for i in range(20)]},
    "unicode name": {"name": "é" * 255},
}


@pytest.mark.parametrize("fields", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_boundary_values_are_accepted_by_client_and_fake(fal_fake: FakeFal, fields: dict[str, Any]) -> None:
    with sync_client(fal_fake) as client:
        cid = client.characters.create(name="A", description="d", reference_images=[VECTOR_ID]).id
        client.characters.update(cid, **fields)
    assert api_requests(fal_fake, "updateAssetCharacter")[-1].status == 200


BAD_IDS = [".", "..", "a/b", "../x", "a\\b", "a?b", "a#b", "a\x00b", "a\nb", "\x7f", ""]


@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_path_changing_ids_are_rejected_locally(fal_fake: FakeFal, bad_id: str) -> None:
    with sync_client(fal_fake) as client:
        for action in (
            lambda: client.characters.get(bad_id),
            lambda: client.characters.update(bad_id, name="x"),
            lambda: client.characters.delete(bad_id),
            lambda: client.characters.favorite(bad_id),
            lambda: client.characters.unfavorite(bad_id),
        ):
            with pytest.raises(ValidationError) as info:
                action()
            assert info.value.field == "character_id"
    assert fal_fake.requests == []


@pytest.mark.parametrize("odd_id", ["%2e%2e", "a b", "ünï", "x" * 500, "a;b", "a%2Fb"])
def test_odd_ids_stay_one_path_segment(fal_fake: FakeFal, odd_id: str) -> None:
    with sync_client(fal_fake, max_retries=0) as client, pytest.raises(Exception) as info:
        client.characters.get(odd_id)
    assert type(info.value).__name__ == "NotFoundError"
    (request,) = fal_fake.requests
    prefix = "/v1/assets/characters/"
    assert request.path.startswith(prefix)
    assert "/" not in request.path[len(prefix) :]


@pytest.mark.anyio
async def test_async_validation_matches(fal_fake: FakeFal) -> None:
    async with async_client(fal_fake) as client:
        with pytest.raises(ValidationError):
            await client.characters.update(SEED_ID)
        with pytest.raises(ValidationError):
            await client.characters.update("..", name="x")
        with pytest.raises(ValidationError):
            await client.characters.list(limit=101)
    assert fal_fake.requests == []


# -- text and keys that cannot travel ---------------------------------------------------------------------

UNSENDABLE: dict[str, Callable[[FalAssets, Path], object]] = {
    "surrogate-in-id": lambda c, _: c.characters.get("abc\ud800"),
    "surrogate-in-name": lambda c, _: c.characters.update(SEED_ID, name="Al\udcffice"),
    "surrogate-in-description": lambda c, _: c.characters.create(
        name="A", description="d\ud83d", reference_images=["ref-id"]
    ),
    "non-ascii-idempotency-key": lambda c, _: c.characters.delete(SEED_ID, idempotency_key="clé"),
    "header-breaking-idempotency-key": lambda c, _: c.characters.favorite(
        SEED_ID, idempotency_key="a\r\nX: 1"
    ),
    "nul-in-path": lambda c, tmp: c.characters.update(SEED_ID, reference_images=[tmp / "a\x00.png"]),
    "nul-in-path-string": lambda c, _: c.files.upload("./images/a\x00b.png"),
    "unknown-option": lambda c, _: c.characters.get(SEED_ID, timeuot=3),  # type: ignore[call-arg]
}


@pytest.mark.parametrize("case", UNSENDABLE)
def test_unsendable_input_is_a_validation_error_and_nothing_is_sent(
    fal_fake: FakeFal, tmp_path: Path, case: str
) -> None:
    with sync_client(fal_fake) as client:
        expected: type[Exception] = TypeError if case == "unknown-option" else ValidationError
        with pytest.raises(expected):
            UNSENDABLE[case](client, tmp_path)
    assert fal_fake.requests == []
