"""`client.tags`: bad input refused before sending; what create, update, delete, assign and unassign send and
what they return, sync and async, against the served FakeFal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fal_assets import FalAssets, NotFoundError, ValidationError
from fal_assets.testing import FakeFal

from tests.library_support import png
from tests.support import api_requests, async_client, json_body, sync_client

LONG_TAG = "t" * 51  # the spec's maxLength for a tag name is 50


@pytest.fixture
def client(fal_fake: FakeFal) -> Iterator[FalAssets]:
    with sync_client(fal_fake) as client:
        yield client


BAD_CALLS: list[tuple[str, Callable[[FalAssets], Any]]] = [
    ("empty ref", lambda c: c.tags.assign("t1", asset_id="")),
    ("tag name too long", lambda c: c.tags.create(LONG_TAG)),
    ("empty tag name", lambda c: c.tags.update("t1", "")),
    ("bad idempotency key", lambda c: c.tags.create("x", idempotency_key="a b")),
]


@pytest.mark.parametrize(("what", "call"), BAD_CALLS, ids=[what for what, _ in BAD_CALLS])
def test_bad_input_is_refused_before_sending(
    client: FalAssets, fal_fake: FakeFal, what: str, call: Callable[[FalAssets], Any]
) -> None:
    with pytest.raises(ValidationError):
        call(client)
    assert fal_fake.requests == []


def test_create_and_update_send_the_name_and_return_the_tag(client: FalAssets, fal_fake: FakeFal) -> None:
    tag = client.tags.create("people", idempotency_key="550e8400-e29b-41d4-a716-446655440000")
    assert tag.name == "people" and tag.id
    (create,) = api_requests(fal_fake, "createAssetTag")
    assert json_body(create) == {"name": "people"}
    assert create.headers["idempotency-key"] == "550e8400-e29b-41d4-a716-446655440000"
    renamed = client.tags.update(tag.id, "persons")
    assert (renamed.id, renamed.name) == (tag.id, "persons")
    (update,) = api_requests(fal_fake, "updateAssetTag")
    assert json_body(update) == {"name": "persons"} and update.path.endswith(f"/{tag.id}")
    assert [(t.id, t.name) for t in client.tags.list()] == [(tag.id, "persons")]


def test_every_write_carries_an_idempotency_key(client: FalAssets, fal_fake: FakeFal) -> None:
    tag = client.tags.create("a")
    client.tags.update(tag.id, "b")
    client.tags.delete(tag.id)
    keys = [r.headers.get("idempotency-key") for r in api_requests(fal_fake) if r.method != "GET"]
    assert len(keys) == 3 and all(keys) and len(set(keys)) == 3


def test_a_deleted_tag_is_gone(client: FalAssets) -> None:
    keep, gone = client.tags.create("keep"), client.tags.create("gone")
    client.tags.delete(gone.id)
    assert [t.id for t in client.tags.list()] == [keep.id]
    with pytest.raises(NotFoundError):
        client.tags.update(gone.id, "back")


@pytest.mark.parametrize("ref", ["asset_id", "vector_id", "request_id"])
def test_assign_and_unassign_by_any_ref(client: FalAssets, fal_fake: FakeFal, ref: str) -> None:
    asset = client.assets.upload(png(4, 4), prompt="a cat")
    tag = client.tags.create("cats")
    value = getattr(asset, ref)
    assert isinstance(value, str) and asset.asset_id is not None
    client.tags.assign(tag.id, **{ref: value})
    assert json_body(api_requests(fal_fake, "assignAssetTag")[0]) == {ref: value}
    assert [t.id for t in client.assets.tags(asset.asset_id)] == [tag.id]
    client.tags.unassign(tag.id, **{ref: value})
    assert client.assets.tags(asset.asset_id) == []


@pytest.mark.anyio
async def test_async_tags(fal_fake: FakeFal) -> None:
    async with async_client(fal_fake) as client:
        tag = await client.tags.create("people")
        assert (await client.tags.update(tag.id, "persons")).name == "persons"
        asset = await client.assets.upload(png(4, 4), prompt="Alice")
        assert asset.asset_id is not None
        await client.tags.assign(tag.id, asset_id=asset.asset_id)
        assert [t.id for t in await client.assets.tags(asset.asset_id)] == [tag.id]
        await client.tags.unassign(tag.id, asset_id=asset.asset_id)
        assert await client.assets.tags(asset.asset_id) == []
        await client.tags.delete(tag.id)
        assert await client.tags.list() == []
        with pytest.raises(ValidationError):
            await client.tags.create("")
    assert [r.operation for r in api_requests(fal_fake)][:2] == ["createAssetTag", "updateAssetTag"]
