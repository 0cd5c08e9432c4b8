"""`client.collections`: bad input refused before sending; bodies as sent (null for a cleared field), moves,
membership, paging (offsets, a server that ignores them), characters listed as collections; sync and async."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fal_assets import FalAssets, NotFoundError, ValidationError
from fal_assets.testing import FakeFal

from tests.library_support import png
from tests.support import api_requests, async_client, json_body, sync_client

LONG_COLLECTION = "c" * 256


@pytest.fixture
def client(fal_fake: FakeFal) -> Iterator[FalAssets]:
    with sync_client(fal_fake) as client:
        yield client


BAD_CALLS: list[tuple[str, Callable[[FalAssets], Any]]] = [
    ("ref not a string", lambda c: c.collections.add("c1", asset_id=7)),
    ("collection name too long", lambda c: c.collections.create(LONG_COLLECTION)),
    ("update without fields", lambda c: c.collections.update("c1")),
    ("collection id with a slash", lambda c: c.collections.get("a/b")),
    ("move under a bad id", lambda c: c.collections.move("c1", "")),
]


@pytest.mark.parametrize(("what", "call"), BAD_CALLS, ids=[what for what, _ in BAD_CALLS])
def test_bad_input_is_refused_before_sending(
    client: FalAssets, fal_fake: FakeFal, what: str, call: Callable[[FalAssets], Any]
) -> None:
    with pytest.raises(ValidationError):
        call(client)
    assert fal_fake.requests == []


def test_characters_are_listed_as_collections(client: FalAssets) -> None:
    character = client.characters.create(name="Alice", description="d", reference_images=[png(4, 4)])
    listed = {c.id: c.type_.value for c in client.collections.iter()}
    assert listed == {character.id: "character"}
    assert client.collections.get(character.id).name == "Alice"


def test_a_server_ignoring_the_offset_cannot_make_collection_iteration_endless(
    client: FalAssets, fal_fake: FakeFal
) -> None:
    page = [client.collections.create(f"c{i}").to_dict() for i in range(2)]
    fal_fake.reset()
    fal_fake.fail_next(50, 200, body={"collections": page}, path=r"/assets/collections$", method="GET")
    assert [c.id for c in client.collections.iter(page_size=2)] == [c["id"] for c in page]
    assert len(api_requests(fal_fake, "listAssetCollections")) == 2


def test_create_and_update_send_their_fields(client: FalAssets, fal_fake: FakeFal) -> None:
    parent = client.collections.create("Alice", description="photos of Alice")
    child = client.collections.create("Close-ups", parent_collection_id=parent.id)
    create_bodies = [json_body(r) for r in api_requests(fal_fake, "createAssetCollection")]
    assert create_bodies == [
        {"name": "Alice", "description": "photos of Alice"},
        {"name": "Close-ups", "parent_collection_id": parent.id},
    ]
    assert child.parent_collection_id == parent.id
    updated = client.collections.update(parent.id, name="Alice (all)", description=None)
    assert json_body(api_requests(fal_fake, "updateAssetCollection")[0]) == {
        "name": "Alice (all)",
        "description": None,  # None clears the field; what is not given is left out
    }
    assert (updated.name, updated.description) == ("Alice (all)", None)


def test_move_to_the_top_and_back(client: FalAssets, fal_fake: FakeFal) -> None:
    parent = client.collections.create("A")
    child = client.collections.create("B", parent_collection_id=parent.id)
    assert client.collections.move(child.id, None).parent_collection_id is None
    assert client.collections.move(child.id, parent.id).parent_collection_id == parent.id
    bodies = [json_body(r) for r in api_requests(fal_fake, "moveAssetCollection")]
    assert bodies == [{"parent_collection_id": None}, {"parent_collection_id": parent.id}]
    assert [c.id for c in client.collections.hierarchy(parent.id).hierarchy.children] == [child.id]


def test_membership_by_any_ref(client: FalAssets, fal_fake: FakeFal) -> None:
    album = client.collections.create("Album")
    one = client.assets.upload(png(4, 4), prompt="one")
    two = client.assets.upload(png(5, 5), prompt="two")
    assert one.vector_id is not None and two.request_id is not None
    client.collections.add(album.id, vector_id=one.vector_id)
    client.collections.add(album.id, request_id=two.request_id)
    assert [json_body(r) for r in api_requests(fal_fake, "addAssetToCollection")] == [
        {"vector_id": one.vector_id},
        {"request_id": two.request_id},
    ]
    assert {a.asset_id for a in client.collections.assets(album.id)} == {one.asset_id, two.asset_id}
    client.collections.remove(album.id, vector_id=one.vector_id)
    assert [a.asset_id for a in client.collections.assets(album.id)] == [two.asset_id]


def test_iteration_pages_by_offset(client: FalAssets, fal_fake: FakeFal) -> None:
    made = [client.collections.create(f"c{i}").id for i in range(5)]
    fal_fake.reset()
    listed = [c.id for c in client.collections.iter(page_size=2)]
    assert sorted(listed) == sorted(made) and len(listed) == 5
    offsets = [r.query.get("offset", "0") for r in api_requests(fal_fake, "listAssetCollections")]
    assert offsets == ["0", "2", "4"]
    assert len(client.collections.list(limit=2)) == 2


def test_a_deleted_collection_takes_its_children(client: FalAssets) -> None:
    parent = client.collections.create("A")
    child = client.collections.create("B", parent_collection_id=parent.id)
    client.collections.delete(parent.id)
    for gone in (parent.id, child.id):
        with pytest.raises(NotFoundError):
            client.collections.get(gone)
    assert client.collections.list() == []


@pytest.mark.anyio
async def test_async_collections(fal_fake: FakeFal) -> None:
    async with async_client(fal_fake) as client:
        album = await client.collections.create("Album", description="d")
        asset = await client.assets.upload(png(4, 4), prompt="one")
        assert asset.asset_id is not None
        await client.collections.add(album.id, asset_id=asset.asset_id)
        assert [a.asset_id async for a in client.collections.assets(album.id)] == [asset.asset_id]
        await client.collections.remove(album.id, asset_id=asset.asset_id)
        assert [a async for a in client.collections.assets(album.id)] == []
        assert (await client.collections.favorite(album.id)).is_favorited
        assert (await client.collections.update(album.id, description=None)).description is None
        await client.collections.delete(album.id)
        with pytest.raises(NotFoundError):
            await client.collections.get(album.id)
        with pytest.raises(ValidationError):
            await client.collections.create("")
