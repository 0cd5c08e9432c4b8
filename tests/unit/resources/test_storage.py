"""`client.storage`: bad input refused before sending; ACLs, signed URLs and storage settings as sent and as
read back, sync and async, against the served FakeFal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fal_assets import FalAssets, ValidationError
from fal_assets.testing import FakeFal

from tests.library_support import png
from tests.support import api_requests, async_client, json_body, sync_client

FAL_URL = "https://v3.fal.media/files/b/x/photo.png"


@pytest.fixture
def client(fal_fake: FakeFal) -> Iterator[FalAssets]:
    with sync_client(fal_fake) as client:
        yield client


BAD_CALLS: list[tuple[str, Callable[[FalAssets], Any]]] = [
    ("sign too long", lambda c: c.storage.sign(FAL_URL, expires_in=604801)),
    ("sign zero", lambda c: c.storage.sign(FAL_URL, expires_in=0)),
    ("sign not a URL", lambda c: c.storage.sign("photo.png", expires_in=60)),
    ("acl bad decision", lambda c: c.storage.set_acl(FAL_URL, default="deny")),
    ("acl bad rule", lambda c: c.storage.set_acl(FAL_URL, default="allow", rules=[("bob",)])),
    ("acl empty user", lambda c: c.storage.set_acl(FAL_URL, default="allow", rules=[("", "allow")])),
    ("settings without fields", lambda c: c.storage.update_settings()),
    ("settings zero expiry", lambda c: c.storage.update_settings(expiration_duration_seconds=0)),
]


@pytest.mark.parametrize(("what", "call"), BAD_CALLS, ids=[what for what, _ in BAD_CALLS])
def test_bad_input_is_refused_before_sending(
    client: FalAssets, fal_fake: FakeFal, what: str, call: Callable[[FalAssets], Any]
) -> None:
    with pytest.raises(ValidationError):
        call(client)
    assert fal_fake.requests == []


def test_set_acl_sends_rules_given_as_pairs_or_dicts(client: FalAssets, fal_fake: FakeFal) -> None:
    url = client.files.upload(png(4, 4))
    acl = client.storage.set_acl(
        url, default="hide", rules=[("bob", "allow"), {"user": "eve", "decision": "forbid"}]
    )
    (sent,) = api_requests(fal_fake, "setStorageFileAcl")
    assert sent.query["url"] == url
    assert json_body(sent) == {
        "default": "hide",
        "rules": [{"user": "bob", "decision": "allow"}, {"user": "eve", "decision": "forbid"}],
    }
    assert acl.default.value == "hide"
    read = client.storage.get_acl(url)
    assert (read.default.value, [(r.user, r.decision.value) for r in read.rules]) == (
        "hide",
        [("bob", "allow"), ("eve", "forbid")],
    )
    # A new ACL replaces the old one: no rules left.
    assert client.storage.set_acl(url, default="allow").rules == []


def test_sign_sends_the_expiry_and_returns_a_url_to_the_file(client: FalAssets, fal_fake: FakeFal) -> None:
    url = client.files.upload(png(4, 4))
    signed = client.storage.sign(url, expires_in=604800)  # the spec's longest
    (sent,) = api_requests(fal_fake, "signStorageFileUrl")
    assert json_body(sent) == {"expiration_seconds": 604800} and sent.query["url"] == url
    assert signed.startswith(url + "?") and signed != url


def test_update_settings_sends_only_what_is_given(client: FalAssets, fal_fake: FakeFal) -> None:
    client.storage.update_settings(expiration_duration_seconds=3600)
    client.storage.update_settings(initial_acl="forbid")
    client.storage.update_settings(expiration_duration_seconds=None, initial_acl=None)
    bodies = [json_body(r) for r in api_requests(fal_fake, "updateStorageSettings")]
    assert bodies == [
        {"expiration_duration_seconds": 3600},
        {"initial_acl": {"default": "forbid"}},
        {"expiration_duration_seconds": None, "initial_acl": None},
    ]
    settings = client.storage.get_settings()
    assert settings.expiration_duration_seconds is None and settings.initial_acl is None


@pytest.mark.anyio
async def test_async_storage(fal_fake: FakeFal) -> None:
    async with async_client(fal_fake) as client:
        url = await client.files.upload(png(4, 4))
        acl = await client.storage.set_acl(url, default="forbid", rules=[("bob", "allow")])
        assert [(r.user, r.decision.value) for r in acl.rules] == [("bob", "allow")]
        assert (await client.storage.get_acl(url)).default.value == "forbid"
        assert (await client.storage.sign(url, expires_in=60)).startswith(url + "?")
        updated = await client.storage.update_settings(expiration_duration_seconds=86400)
        assert updated.expiration_duration_seconds == 86400
        assert (await client.storage.get_settings()).expiration_duration_seconds == 86400
        with pytest.raises(ValidationError):
            await client.storage.sign(url, expires_in=0)
    assert json_body(api_requests(fal_fake, "signStorageFileUrl")[0]) == {"expiration_seconds": 60}
