"""The issue's journey on the served fake, sync and async: upload local images as assets → tag them → add
them to a collection → search → create a character from the found assets → sign its cover URL."""

from __future__ import annotations

import itertools
from pathlib import Path

import httpx
import pytest
from fal_assets import Lifecycle
from fal_assets.testing import FakeFal

from tests.library_support import TLS, png
from tests.support import api_requests, async_client, sync_client

PHOTOS = {
    "alice-front.png": ("Alice, red hair, front view", png(10, 10)),
    "alice-side.png": ("Alice, red hair, side view", png(11, 10)),
    "alice-back.png": ("Alice, red hair, seen from the back", png(12, 10)),
    "street.png": ("An empty street at night", png(13, 10)),
}


def album(tmp_path: Path) -> list[tuple[Path, str]]:
    photos = []
    for name, (prompt, content) in PHOTOS.items():
        path = tmp_path / name
        path.write_bytes(content)
        photos.append((path, prompt))
    return photos


def check_outcome(
    fake: FakeFal, character_reference_urls: list[str], signed: str, found_urls: list[str]
) -> None:
    assert len(found_urls) == 3  # the street shares no word with the query
    assert sorted(character_reference_urls) == sorted(found_urls)
    # The CDN refuses the file to strangers (ACL forbid), but honours the signed URL until it expires.
    unsigned = signed.split("?")[0]
    with httpx.Client(verify=TLS, timeout=10) as http:
        assert http.get(unsigned).status_code == 403
        assert http.get(signed).status_code == 200
        fake.advance(3601)
        assert http.get(signed).status_code == 403
    operations = [r.operation for r in api_requests(fake)]
    assert operations.count("uploadAsset") == 4 and "createAssetCharacter" in operations


def test_journey_sync(fal_fake: FakeFal, tmp_path: Path) -> None:
    with sync_client(fal_fake) as client:
        tag = client.tags.create("alice")
        collection = client.collections.create("Alice references")
        private = Lifecycle(initial_acl="forbid")
        assets = [
            client.assets.upload(path, prompt=prompt, lifecycle=private) for path, prompt in album(tmp_path)
        ]
        for asset in assets[:3]:
            client.tags.assign(tag.id, asset_id=asset.asset_id)
            client.collections.add(collection.id, asset_id=asset.asset_id)
        found = list(
            itertools.islice(
                client.assets.search("Alice red hair", collection_id=collection.id, tag_id=tag.id), 5
            )
        )
        character = client.characters.create(
            name="Alice", description="Red hair", reference_images=found, cover_image=found[0].url
        )
        assert character.cover_image_url is not None
        signed = client.storage.sign(character.cover_image_url, expires_in=3600)
    check_outcome(fal_fake, character.reference_images, signed, [str(a.url) for a in found])


@pytest.mark.anyio
async def test_journey_async(fal_fake: FakeFal, tmp_path: Path) -> None:
    async with async_client(fal_fake) as client:
        tag = await client.tags.create("alice")
        collection = await client.collections.create("Alice references")
        private = Lifecycle(initial_acl="forbid")
        assets = [
            await client.assets.upload(path, prompt=prompt, lifecycle=private)
            for path, prompt in album(tmp_path)
        ]
        for asset in assets[:3]:
            await client.tags.assign(tag.id, asset_id=asset.asset_id)
            await client.collections.add(collection.id, asset_id=asset.asset_id)
        found = []
        async for asset in client.assets.search("Alice red hair", collection_id=collection.id, tag_id=tag.id):
            found.append(asset)
        character = await client.characters.create(
            name="Alice", description="Red hair", reference_images=found[:5], cover_image=found[0].url
        )
        assert character.cover_image_url is not None
        signed = await client.storage.sign(character.cover_image_url, expires_in=3600)
    check_outcome(fal_fake, character.reference_images, signed, [str(a.url) for a in found])
