"""Every character operation end to end, sync and async, against the served FakeFal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fal_assets import Character, FalAssets, NotFoundError
from fal_assets.testing import FakeFal

from tests.support import VECTOR_ID, Sleeps, api_requests, async_client, json_body, sync_client


@pytest.fixture
def client(fal_fake: FakeFal) -> Iterator[FalAssets]:
    with sync_client(fal_fake) as client:
        yield client


def make(client: FalAssets, name: str = "Alice") -> Character:
    return client.characters.create(
        name=name, description="A character with red hair and a blue jacket", reference_images=[VECTOR_ID]
    )


def test_create_returns_typed_character(client: FalAssets, fal_fake: FakeFal) -> None:
    ch = client.characters.create(
        name="Alice",
        description="A character with red hair",
        reference_images=[VECTOR_ID],
        identifier="alice",
    )
    assert isinstance(ch, Character)
    assert ch.name == "Alice"
    assert ch.character_identifier == "alice"
    assert ch.is_favorited is False
    assert isinstance(ch.created_at, dt.datetime) and ch.created_at.tzinfo is not None
    assert len(ch.reference_images) == 1 and ch.reference_images[0].startswith("http")
    (request,) = api_requests(fal_fake, "createAssetCharacter")
    assert json_body(request) == {
        "name": "Alice",
        "description": "A character with red hair",
        "reference_images": [VECTOR_ID],
        "identifier": "alice",
    }
    assert ch.id in fal_fake.characters


def test_update_sends_only_given_fields(client: FalAssets, fal_fake: FakeFal) -> None:
    ch = make(client)
    updated = client.characters.update(ch.id, name="Alicia")
    assert updated.name == "Alicia"
    assert updated.description == ch.description
    assert updated.updated_at >= ch.updated_at
    request = api_requests(fal_fake, "updateAssetCharacter")[-1]
    assert request.method == "PATCH"
    assert request.path == f"/v1/assets/characters/{ch.id}"
    assert json_body(request) == {"name": "Alicia"}


def test_update_seed_request_shape(client: FalAssets, fal_fake: FakeFal) -> None:
    ch = make(client)
    client.characters.update(ch.id, name="Alice", reference_images=[VECTOR_ID])
    request = api_requests(fal_fake, "updateAssetCharacter")[-1]
    assert json_body(request) == {"name": "Alice", "reference_images": [VECTOR_ID]}
    assert request.headers["content-type"] == "application/json"


def test_cover_none_clears_the_cover(client: FalAssets, fal_fake: FakeFal) -> None:
    cover = f"{fal_fake.cdn_base_url}/files/abc/cover.png"
    ch = client.characters.create(
        name="Alice", description="d", reference_images=[VECTOR_ID], cover_image=cover
    )
    assert ch.cover_image_url == cover
    cleared = client.characters.update(ch.id, cover_image=None)
    assert cleared.cover_image_url is None
    assert json_body(api_requests(fal_fake, "updateAssetCharacter")[-1]) == {"cover_image_url": None}


def test_get_favorite_unfavorite_delete(client: FalAssets) -> None:
    ch = make(client)
    assert client.characters.get(ch.id).id == ch.id
    assert client.characters.favorite(ch.id).is_favorited is True
    assert client.characters.get(ch.id).is_favorited is True
    assert client.characters.unfavorite(ch.id).is_favorited is False
    assert client.characters.delete(ch.id) is None
    with pytest.raises(NotFoundError) as info:
        client.characters.get(ch.id)
    assert info.value.status_code == 404
    assert info.value.error_type == "not_found"


def test_list_one_page_and_iter_all_pages(client: FalAssets, fal_fake: FakeFal) -> None:
    made = [make(client, f"c{i}").id for i in range(7)]
    page = client.characters.list(limit=3, offset=0)
    assert len(page) == 3
    assert all(isinstance(c, Character) for c in page)
    fal_fake.reset()
    seen = [c.id for c in client.characters.iter(page_size=3)]
    assert sorted(seen) == sorted(made)
    assert len(seen) == len(set(seen))
    # 3 + 3 + 1: the short page ends the iteration without an extra request.
    lists = api_requests(fal_fake, "listAssetCharacters")
    assert [r.query.get("offset") for r in lists] == ["0", "3", "6"]
    assert {r.query.get("limit") for r in lists} == {"3"}


def test_iter_is_lazy(client: FalAssets, fal_fake: FakeFal) -> None:
    for i in range(4):
        make(client, f"c{i}")
    fal_fake.reset()
    iterator = client.characters.iter(page_size=2)
    assert api_requests(fal_fake, "listAssetCharacters") == []
    next(iterator)
    assert len(api_requests(fal_fake, "listAssetCharacters")) == 1


def test_context_manager_closes_owned_http_client(fal_fake: FakeFal) -> None:
    with sync_client(fal_fake) as client:
        make(client)
    assert client._shared.http.is_closed


def test_every_write_carries_an_idempotency_key(client: FalAssets, fal_fake: FakeFal) -> None:
    ch = make(client)
    client.characters.update(ch.id, name="B")
    client.characters.favorite(ch.id)
    client.characters.unfavorite(ch.id)
    client.characters.delete(ch.id)
    writes = [r for r in api_requests(fal_fake) if r.method != "GET"]
    keys = [r.headers.get("idempotency-key") for r in writes]
    assert len(writes) == 5
    assert all(keys) and len(set(keys)) == 5


def test_caller_idempotency_key_is_sent(client: FalAssets, fal_fake: FakeFal) -> None:
    ch = make(client)
    client.characters.update(ch.id, name="B", idempotency_key="550e8400-e29b-41d4-a716-446655440000")
    assert api_requests(fal_fake, "updateAssetCharacter")[-1].headers["idempotency-key"] == (
        "550e8400-e29b-41d4-a716-446655440000"
    )


def test_reads_carry_no_idempotency_key(client: FalAssets, fal_fake: FakeFal) -> None:
    ch = make(client)
    client.characters.get(ch.id)
    client.characters.list()
    reads = [r for r in api_requests(fal_fake) if r.method == "GET"]
    assert reads and all("idempotency-key" not in r.headers for r in reads)


@pytest.mark.anyio
async def test_async_every_operation(fal_fake: FakeFal) -> None:
    async with async_client(fal_fake, Sleeps()) as client:
        ch = await client.characters.create(name="A", description="d", reference_images=[VECTOR_ID])
        assert (await client.characters.get(ch.id)).name == "A"
        assert (await client.characters.update(ch.id, description="e")).description == "e"
        assert (await client.characters.favorite(ch.id)).is_favorited is True
        assert (await client.characters.unfavorite(ch.id)).is_favorited is False
        for i in range(4):
            await client.characters.create(name=f"n{i}", description="d", reference_images=[VECTOR_ID])
        assert len(await client.characters.list(limit=2)) == 2
        ids = [c.id async for c in client.characters.iter(page_size=2)]
        assert len(ids) == 5 and len(set(ids)) == 5
        await client.characters.delete(ch.id)
        with pytest.raises(NotFoundError):
            await client.characters.get(ch.id)
    assert client._shared.http.is_closed
    assert json_body(api_requests(fal_fake, "updateAssetCharacter")[-1]) == {"description": "e"}


def test_a_server_ignoring_the_offset_cannot_make_iteration_endless(
    client: FalAssets, fal_fake: FakeFal
) -> None:
    first_page = [make(client, f"c{i}").to_dict() for i in range(2)]
    fal_fake.reset()
    fal_fake.fail_next(50, 200, body={"characters": first_page}, path=r"/assets/characters$", method="GET")
    assert [c.id for c in client.characters.iter(page_size=2)] == [c["id"] for c in first_page]
    assert len(api_requests(fal_fake, "listAssetCharacters")) == 2  # the second page brought nothing new


@pytest.mark.anyio
async def test_async_iteration_ends_on_a_page_with_nothing_new(fal_fake: FakeFal) -> None:
    async with async_client(fal_fake) as client:
        first_page = [
            (
                await client.characters.create(name=f"c{i}", description="d", reference_images=[VECTOR_ID])
            ).to_dict()
            for i in range(2)
        ]
        fal_fake.reset()
        fal_fake.fail_next(
            50, 200, body={"characters": first_page}, path=r"/assets/characters$", method="GET"
        )
        assert [c.id async for c in client.characters.iter(page_size=2)] == [c["id"] for c in first_page]
    assert len(api_requests(fal_fake, "listAssetCharacters")) == 2


def test_iteration_skips_what_a_shifted_page_repeats(client: FalAssets, fal_fake: FakeFal) -> None:
    made = {make(client, f"c{i}").id for i in range(4)}
    iterator = client.characters.iter(page_size=2)
    seen = [next(iterator).id, next(iterator).id]
    added = make(client, "new")  # lands on one side of the list and shifts the rest by one
    seen += [c.id for c in iterator]
    assert len(seen) == len(set(seen))
    assert made <= set(seen) <= made | {added.id}
