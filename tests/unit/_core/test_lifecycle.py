"""Upload lifecycles and ACLs: the header fal reads (presets, "never" as null, seconds, ACLs), nothing for an
empty Lifecycle, equal lifecycles one header; decisions and rules as fal takes them, bad ones refused."""

from __future__ import annotations

import json

import pytest
from fal_assets import Lifecycle, ValidationError
from fal_assets._core.lifecycle import acl_json, decision, lifecycle, rules_json


@pytest.mark.parametrize(
    ("expires_in", "seconds"),
    [("immediate", 60), ("1h", 3600), ("1y", 31536000), (120, 120), ("never", None)],
)
def test_the_expiry_header(expires_in: int | str, seconds: int | None) -> None:
    value = Lifecycle(expires_in=expires_in)  # type: ignore[arg-type]
    headers = value.headers()
    assert json.loads(headers["X-Fal-Object-Lifecycle"]) == {"expiration_duration_seconds": seconds}
    assert headers["X-Fal-Object-Lifecycle-Preference"] == headers["X-Fal-Object-Lifecycle"]


def test_an_empty_lifecycle_sends_nothing_and_equal_ones_share_a_header() -> None:
    assert Lifecycle().headers() == {} and Lifecycle().header == ""
    one = Lifecycle(expires_in="1d", initial_acl={"default": "forbid", "rules": [("bob", "allow")]})
    two = Lifecycle(
        expires_in=86400, initial_acl={"default": "forbid", "rules": [{"user": "bob", "decision": "allow"}]}
    )
    assert one.header == two.header
    assert json.loads(one.header) == {
        "expiration_duration_seconds": 86400,
        "initial_acl": {"default": "forbid", "rules": [{"user": "bob", "decision": "allow"}]},
    }


@pytest.mark.parametrize(
    "kwargs",
    [
        {"expires_in": "2h"},
        {"expires_in": 0},
        {"expires_in": -5},
        {"expires_in": True},
        {"initial_acl": "deny"},
    ],
)
def test_bad_lifecycles_are_refused_at_once(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValidationError) as caught:
        Lifecycle(**kwargs)  # type: ignore[arg-type]
    assert (caught.value.field or "").startswith("lifecycle.")


def test_acls_and_rules() -> None:
    assert acl_json("hide", field="acl") == {"default": "hide"}
    assert acl_json({"default": "allow", "rules": []}, field="acl") == {"default": "allow", "rules": []}
    assert rules_json([("a", "hide"), ["b", "allow"]], field="r") == [
        {"user": "a", "decision": "hide"},
        {"user": "b", "decision": "allow"},
    ]
    assert decision("forbid", field="d") == "forbid"


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: decision("Allow", field="d"), "d"),
        (lambda: acl_json({"rules": []}, field="acl"), "acl"),
        (lambda: acl_json({"default": "allow", "extra": 1}, field="acl"), "acl"),
        (lambda: acl_json({"default": "nope"}, field="acl"), "acl.default"),
        (lambda: rules_json("bob", field="r"), "r"),
        (lambda: rules_json({"user": "bob", "decision": "allow"}, field="r"), "r"),  # type: ignore[arg-type]
        (lambda: rules_json([("bob",)], field="r"), "r[0]"),  # type: ignore[list-item]
        (lambda: rules_json([{"user": "bob"}], field="r"), "r[0]"),
        (lambda: rules_json([("", "allow")], field="r"), "r[0].user"),
        (lambda: rules_json([("bob", "deny")], field="r"), "r[0].decision"),
        (lambda: lifecycle({"expires_in": 5}), "lifecycle"),
    ],
)
def test_bad_acls_name_their_field(call: object, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        call()  # type: ignore[operator]
    assert caught.value.field == field


def test_lifecycle_argument() -> None:
    value = Lifecycle(expires_in="1h")
    assert lifecycle(value) is value and lifecycle(None) is None
