"""Every Assets-library and Storage operation in one journey through the facade against the served FakeFal,
sync and async: typed results, what was sent, and fal's behaviour as the fake models it. Each resource's own
behaviour is in unit/resources/test_<resource>.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fal_assets import (
    Asset,
    AssetLineage,
    AssetListResponse,
    AsyncFalAssets,
    Collection,
    CollectionHierarchyResponse,
    FalAssets,
    FileAcl,
    NotFoundError,
    StorageSettings,
    Tag,
)
from fal_assets.testing import FakeFal

from tests.library_support import png
from tests.support import api_requests, async_client, json_body, sync_client

# The 31 operations of fal's Assets and Storage API beyond the 7 character ones.
LIBRARY_OPERATIONS = {
    "listAssets",
    "getAsset",
    "getAssetLineage",
    "favoriteAsset",
    "unfavoriteAsset",
    "uploadAsset",
    "listAssetTagsForAsset",
    "setAssetTagsForAsset",
    "listAssetCollections",
    "createAssetCollection",
    "getAssetCollection",
    "updateAssetCollection",
    "deleteAssetCollection",
    "getAssetCollectionHierarchy",
    "favoriteAssetCollection",
    "unfavoriteAssetCollection",
    "moveAssetCollection",
    "listAssetCollectionAssets",
    "addAssetToCollection",
    "removeAssetFromCollection",
    "listAssetTags",
    "createAssetTag",
    "updateAssetTag",
    "deleteAssetTag",
    "assignAssetTag",
    "unassignAssetTag",
    "getStorageFileAcl",
    "setStorageFileAcl",
    "signStorageFileUrl",
    "getStorageSettings",
    "updateStorageSettings",
}


@pytest.fixture
def client(fal_fake: FakeFal) -> Iterator[FalAssets]:
    with sync_client(fal_fake) as client:
        yield client


def test_every_library_operation_sync(client: FalAssets, fal_fake: FakeFal) -> None:
    # Tags.
    people = client.tags.create("people")
    assert isinstance(people, Tag) and people.name == "people"
    renamed = client.tags.update(people.id, "persons")
    assert renamed.name == "persons"
    spare = client.tags.create("spare")
    assert [t.name for t in client.tags.list()] == ["persons", "spare"]
    client.tags.delete(spare.id)
    assert [t.id for t in client.tags.list()] == [people.id]

    # Uploads register assets: a local image (uploaded first), then a fal URL as is.
    red = client.assets.upload(png(8, 8), prompt="Alice with red hair", tag_ids=[people.id], favorite=True)
    assert isinstance(red, Asset)
    assert red.type_.value == "image" and red.is_favorited and [t.id for t in red.tags] == [people.id]
    assert json_body(api_requests(fal_fake, "uploadAsset")[0]) == {
        "url": red.url,
        "type": "image",
        "prompt": "Alice with red hair",
        "favorite": True,
        "tag_ids": [people.id],
    }
    blue_url = client.files.upload(png(9, 9))
    blue = client.assets.upload(blue_url, prompt="Alice in a blue jacket")
    assert blue.url == blue_url
    assert red.asset_id is not None and blue.asset_id is not None

    # Reading assets.
    assert client.assets.get(red.asset_id).prompt == "Alice with red hair"
    lineage = client.assets.lineage(red.asset_id, depth=1)
    assert isinstance(lineage, AssetLineage) and any(n.id == lineage.focus for n in lineage.nodes)
    page = client.assets.list(limit=1)
    assert isinstance(page, AssetListResponse) and len(page.assets) == 1 and page.has_more
    second = client.assets.list(limit=1, cursor=page.next_cursor)
    assert {page.assets[0].asset_id, second.assets[0].asset_id} == {red.asset_id, blue.asset_id}
    assert {a.asset_id for a in client.assets.iter(page_size=1)} == {red.asset_id, blue.asset_id}
    assert [a.asset_id for a in client.assets.iter(section="favorites")] == [red.asset_id]
    assert [a.asset_id for a in client.assets.iter(tag_id=people.id)] == [red.asset_id]

    # Favorites and an asset's tags, by any kind of ref.
    assert client.assets.favorite(vector_id=blue.vector_id) is True
    assert client.assets.unfavorite(asset_id=red.asset_id) is False
    assert not client.assets.get(red.asset_id).is_favorited
    assert [t.id for t in client.assets.tags(red.asset_id)] == [people.id]
    assert client.assets.set_tags([], asset_id=red.asset_id) == []
    client.tags.assign(people.id, asset_id=blue.asset_id)
    assert [t.id for t in client.assets.tags(blue.asset_id)] == [people.id]
    client.tags.unassign(people.id, asset_id=blue.asset_id)
    assert client.assets.tags(blue.asset_id) == []

    # Collections: nesting, membership, favorites, moves.
    album = client.collections.create("Alice", description="photos of Alice")
    assert isinstance(album, Collection) and album.type_.value == "manual"
    child = client.collections.create("Close-ups", parent_collection_id=album.id)
    assert child.parent_collection_id == album.id
    client.collections.add(album.id, asset_id=red.asset_id)
    client.collections.add(album.id, vector_id=blue.vector_id)
    assert {a.asset_id for a in client.collections.assets(album.id)} == {red.asset_id, blue.asset_id}
    client.collections.remove(album.id, asset_id=blue.asset_id)
    assert [a.asset_id for a in client.collections.assets(album.id, page_size=1)] == [red.asset_id]
    tree = client.collections.hierarchy(album.id)
    assert isinstance(tree, CollectionHierarchyResponse)
    assert [c.id for c in tree.hierarchy.children] == [child.id]
    assert client.collections.favorite(album.id).is_favorited
    assert not client.collections.unfavorite(album.id).is_favorited
    assert client.collections.update(album.id, name="Alice (all)", description=None).description is None
    assert client.collections.move(child.id, None).parent_collection_id is None
    assert client.collections.move(child.id, album.id).parent_collection_id == album.id
    assert client.collections.get(album.id).name == "Alice (all)"
    assert {c.id for c in client.collections.list()} == {album.id, child.id}
    assert {c.id for c in client.collections.iter(page_size=1)} == {album.id, child.id}
    client.collections.delete(album.id)
    with pytest.raises(NotFoundError):
        client.collections.get(child.id)  # nested collections go with their parent

    # Search: best first, with similarity.
    found = list(client.assets.search("red hair"))
    assert [a.asset_id for a in found] == [red.asset_id]
    assert found[0].similarity == 1.0

    # Storage.
    assert red.url is not None
    acl = client.storage.set_acl(
        red.url, default="forbid", rules=[("bob", "allow"), {"user": "eve", "decision": "hide"}]
    )
    assert isinstance(acl, FileAcl) and acl.default.value == "forbid"
    assert [(r.user, r.decision.value) for r in client.storage.get_acl(red.url).rules] == [
        ("bob", "allow"),
        ("eve", "hide"),
    ]
    signed = client.storage.sign(red.url, expires_in=60)
    assert isinstance(signed, str) and signed.startswith(red.url + "?")
    settings = client.storage.get_settings()
    assert isinstance(settings, StorageSettings) and settings.expiration_duration_seconds is None
    updated = client.storage.update_settings(expiration_duration_seconds=3600, initial_acl="hide")
    assert updated.expiration_duration_seconds == 3600
    assert fal_fake.storage_settings["initial_acl"] == {"default": "hide", "rules": []}

    assert {r.operation for r in api_requests(fal_fake)} >= LIBRARY_OPERATIONS


@pytest.mark.anyio
async def test_every_library_operation_async(fal_fake: FakeFal) -> None:
    async with async_client(fal_fake) as client:
        assert isinstance(client, AsyncFalAssets)
        people = await client.tags.create("people")
        assert (await client.tags.update(people.id, "persons")).name == "persons"
        spare = await client.tags.create("spare")
        await client.tags.delete(spare.id)
        assert [t.id for t in await client.tags.list()] == [people.id]

        red = await client.assets.upload(png(8, 8), prompt="Alice with red hair", tag_ids=people.id)
        blue = await client.assets.upload(await client.files.upload(png(9, 9)), prompt="Alice in blue")
        assert red.asset_id is not None and blue.asset_id is not None and red.url is not None
        assert (await client.assets.get(red.asset_id)).asset_id == red.asset_id
        assert isinstance(await client.assets.lineage(red.asset_id), AssetLineage)
        page = await client.assets.list(limit=1)
        assert page.has_more and len(page.assets) == 1
        assert {a.asset_id async for a in client.assets.iter(page_size=1)} == {red.asset_id, blue.asset_id}
        assert await client.assets.favorite(request_id=red.request_id) is True
        assert await client.assets.unfavorite(asset_id=red.asset_id) is False
        assert [t.id for t in await client.assets.tags(red.asset_id)] == [people.id]
        assert await client.assets.set_tags([people.id], asset_id=blue.asset_id) != []
        await client.tags.unassign(people.id, asset_id=blue.asset_id)
        await client.tags.assign(people.id, asset_id=blue.asset_id)

        album = await client.collections.create("Alice")
        child = await client.collections.create("Close-ups", parent_collection_id=album.id)
        await client.collections.add(album.id, asset_id=red.asset_id)
        await client.collections.add(album.id, asset_id=blue.asset_id)
        await client.collections.remove(album.id, asset_id=blue.asset_id)
        assert [a.asset_id async for a in client.collections.assets(album.id)] == [red.asset_id]
        assert [c.id for c in (await client.collections.hierarchy(album.id)).hierarchy.children] == [child.id]
        assert (await client.collections.favorite(album.id)).is_favorited
        assert not (await client.collections.unfavorite(album.id)).is_favorited
        assert (await client.collections.update(album.id, name="All")).name == "All"
        assert (await client.collections.move(child.id, None)).parent_collection_id is None
        assert (await client.collections.get(child.id)).id == child.id
        assert {c.id for c in await client.collections.list()} == {album.id, child.id}
        assert {c.id async for c in client.collections.iter(page_size=1)} == {album.id, child.id}
        await client.collections.delete(child.id)

        found = [a async for a in client.assets.search("red hair")]
        assert [a.asset_id for a in found] == [red.asset_id] and found[0].similarity == 1.0

        await client.storage.set_acl(red.url, default="forbid")
        assert (await client.storage.get_acl(red.url)).default.value == "forbid"
        assert (await client.storage.sign(red.url, expires_in=60)).startswith(red.url + "?")
        assert (await client.storage.get_settings()).initial_acl is None
        assert (
            await client.storage.update_settings(expiration_duration_seconds=None)
        ).expiration_duration_seconds is None

    assert {r.operation for r in api_requests(fal_fake)} >= LIBRARY_OPERATIONS
