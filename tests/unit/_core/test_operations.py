"""The operation table (`fal_assets_api.operations`, generated from the spec) and how the facade reads
replies through it (`_core/operations.py`): replies type-checked against the models."""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest
from fal_assets import APIResponseValidationError
from fal_assets.testing import FakeFal

from tests import paths
from tests.support import sync_client

FACADE = paths.ROOT / "facade" / "fal_assets"


def _required_bodies(op: Any) -> dict[str, Any]:
    """Placeholders for the builder's other required arguments (a body, a query such as `url`)."""
    found: dict[str, Any] = {}
    for name, parameter in inspect.signature(op.build).parameters.items():
        if parameter.default is parameter.empty and not re.search(r"\{" + name + r"\}", op.path):
            found[name] = _Body() if name == "body" else "x1"
    return found


class _Body:
    def to_dict(self) -> dict[str, Any]:
        return {}


def test_the_facade_names_no_generated_api_function() -> None:
    """Which builder, status and model an operation has is said once, by the generated table."""
    naming = sorted(
        str(path.relative_to(FACADE))
        for path in FACADE.rglob("*.py")
        if "fal_assets_api.api" in path.read_text(encoding="utf-8")
    )
    assert naming == []


def test_the_operation_table_says_what_the_spec_says() -> None:
    from fal_assets._core import spec
    from fal_assets_api.operations import OPERATIONS

    seen = set()
    for path, item in spec.document()["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            op = OPERATIONS[operation["operationId"]]
            seen.add(op.name)
            assert (op.method, op.path) == (method.upper(), path)
            [success] = [code for code in operation["responses"] if code.startswith("2")]
            assert op.success == int(success)
            content = operation["responses"][success].get("content")
            if content is None:
                assert op.reply is None
            else:
                assert op.reply is not None
                assert op.reply.__name__ == content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
            in_path = {name: "x1" for name in re.findall(r"\{(\w+)\}", path)}
            built = op.build(**in_path, **_required_bodies(op))
            assert built["method"].upper() == op.method
            assert built["url"] == re.sub(r"\{\w+\}", "x1", path)
    assert seen == set(OPERATIONS)


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
