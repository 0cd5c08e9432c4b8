"""`_operations.py`: every API operation declared once; replies type-checked against the models."""

from __future__ import annotations

import pytest
from fal_assets import APIResponseValidationError
from fal_assets.testing import FakeFal

from tests import paths
from tests.support import sync_client

FACADE = paths.ROOT / "facade" / "fal_assets"


def test_generated_api_functions_are_named_in_one_place() -> None:
    naming = sorted(
        str(path.relative_to(FACADE))
        for path in FACADE.rglob("*.py")
        if "fal_assets_api.api" in path.read_text(encoding="utf-8")
    )
    assert naming == ["_core/operations.py"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("is_favorited", "yes"),
        ("is_favorited", 1),  # a number is not a bool
        ("id", None),
        ("description", 5),  # None | str
        ("reference_images", ["ok", 3]),
        ("reference_images", "ref-id"),
        ("asset_count", "many"),
        ("asset_count", True),  # JSON true is not a number
    ],
)
def test_a_reply_with_wrongly_typed_fields_is_an_error(fal_fake: FakeFal, field: str, value: object) -> None:
    with sync_client(fal_fake) as client:
        character = client.characters.create(name="A", description="d", reference_images=["ref-id"])
        good = {"character": {**character.to_dict(), field: value}}
        fal_fake.fail_next(1, 200, body=good, path=r"/assets/characters/", method="GET")
        with pytest.raises(APIResponseValidationError, match=field):
            client.characters.get(character.id)


def test_type_checks_are_planned_once_and_still_refuse_after_use(fal_fake: FakeFal) -> None:
    """The per-model plan is built on first use and reused: a bad reply after many good ones (and a good one
    after a bad one) is judged like the first."""
    with sync_client(fal_fake) as client:
        character = client.characters.create(name="A", description="d", reference_images=["ref-id"])
        for _ in range(3):
            assert client.characters.get(character.id).name == "A"
        bad = {"character": {**character.to_dict(), "name": ["A"]}}
        fal_fake.fail_next(1, 200, body=bad, path=r"/assets/characters/", method="GET")
        with pytest.raises(
            APIResponseValidationError, match=r"character\.name: expected a string, got an array"
        ):
            client.characters.get(character.id)
        assert client.characters.get(character.id).name == "A"


def test_a_reply_may_add_fields_and_leave_out_optional_ones(fal_fake: FakeFal) -> None:
    """fal adding a field (to the reply or to a character) or omitting an optional one is no error; the
    checks pin the declared fields only."""
    with sync_client(fal_fake) as client:
        character = client.characters.create(name="A", description="d", reference_images=["ref-id"])
        fields = {key: value for key, value in character.to_dict().items() if key != "asset_count"}
        body = {"character": {**fields, "new_field": {"any": ["shape"]}}, "request_id": "r1"}
        fal_fake.fail_next(1, 200, body=body, path=r"/assets/characters/", method="GET")
        got = client.characters.get(character.id)
        assert got.id == character.id
        assert got.additional_properties == {"new_field": {"any": ["shape"]}}
        for count in (3, 2.5, None):
            body = {"character": {**fields, "asset_count": count}}
            fal_fake.fail_next(1, 200, body=body, path=r"/assets/characters/", method="GET")
            assert client.characters.get(character.id).asset_count == count


def test_a_wrongly_typed_item_of_a_list_reply_is_named(fal_fake: FakeFal) -> None:
    with sync_client(fal_fake) as client:
        character = client.characters.create(name="A", description="d", reference_images=["ref-id"])
        good = character.to_dict()
        body = {"characters": [good, {**good, "name": 7}], "total": 2, "limit": 50, "offset": 0}
        fal_fake.fail_next(1, 200, body=body, path=r"/assets/characters", method="GET")
        with pytest.raises(
            APIResponseValidationError, match=r"characters\[1\]\.name: expected a string, got a number"
        ):
            client.characters.list()
