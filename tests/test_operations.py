"""`_operations.py`: every API operation declared once; replies type-checked against the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from fal_assets import APIResponseValidationError
from fal_assets.testing import FakeFal

from .support import sync_client

FACADE = Path(__file__).resolve().parent.parent / "facade" / "fal_assets"


def test_generated_api_functions_are_named_in_one_place() -> None:
    naming = sorted(
        str(path.relative_to(FACADE))
        for path in FACADE.rglob("*.py")
        if "fal_assets_api.api" in path.read_text(encoding="utf-8")
    )
    assert naming == ["_operations.py"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("is_favorited", "yes"), ("id", None), ("reference_images", ["ok", 3]), ("asset_count", "many")],
)
def test_a_reply_with_wrongly_typed_fields_is_an_error(fal_fake: FakeFal, field: str, value: object) -> None:
    with sync_client(fal_fake) as client:
        character = client.characters.create(name="A", description="d", reference_images=["ref-id"])
        good = {"character": {**character.to_dict(), field: value}}
        fal_fake.fail_next(1, 200, body=good, path=r"/assets/characters/", method="GET")
        with pytest.raises(APIResponseValidationError, match=field):
            client.characters.get(character.id)
