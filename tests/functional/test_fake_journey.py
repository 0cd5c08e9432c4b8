"""The issue's journey on the served fake, in plain HTTP: upload local images as assets, tag them, add them
to a collection, search, create a character from the found assets, sign its cover URL."""

from __future__ import annotations

import httpx
from fal_assets.testing import FakeFal

from tests.library_support import TLS, api_client, cdn_status, png, register, upload_file


def test_upload_tag_collect_search_character_sign(fal_fake: FakeFal) -> None:
    with api_client(fal_fake) as api:
        prompts = [
            "Alice smiling, red hair",
            "Alice in profile, red hair",
            "a red bicycle",
            "Bob at the desk",
        ]
        assets = [
            register(api, upload_file(fal_fake, png(64, 64), name=f"photo{n}.png"), prompt=prompt)
            for n, prompt in enumerate(prompts)
        ]
        tag = api.post("/assets/tags", json={"name": "alice"}).json()["tag"]
        folder = api.post("/assets/collections", json={"name": "Alice shoots"}).json()["collection"]
        for asset in assets[:2]:
            ref = {"asset_id": asset["asset_id"]}
            assert api.post(f"/assets/tags/{tag['id']}/assign", json=ref).status_code == 200
            assert api.post(f"/assets/collections/{folder['id']}/assets", json=ref).status_code == 200

        found = api.get(
            "/assets", params={"q": "Alice red hair", "collection_id": folder["id"], "tag_id": tag["id"]}
        ).json()
        assert [a["asset_id"] for a in found["assets"]] == [a["asset_id"] for a in reversed(assets[:2])]
        assert all(a["similarity"] == 1.0 for a in found["assets"])

        best = found["assets"]
        created = api.post(
            "/assets/characters",
            json={
                "name": "Alice",
                "description": "Red hair",
                "identifier": "alice",
                "reference_images": [a["vector_id"] for a in best],
                "cover_image_url": best[0]["url"],
            },
        )
        assert created.status_code == 201, created.text
        character = created.json()["character"]
        # Vector IDs of library assets resolve to those assets' URLs, as fal answers.
        assert character["reference_images"] == [a["url"] for a in best]
        members = api.get(f"/assets/collections/{character['id']}/assets").json()["assets"]
        assert {a["asset_id"] for a in members} == {a["asset_id"] for a in best}

        api.put(
            "/storage/files/acl", params={"url": character["cover_image_url"]}, json={"default": "forbid"}
        )
        signed = api.post(
            "/storage/files/sign",
            params={"url": character["cover_image_url"]},
            json={"expiration_seconds": 300},
        ).json()["signed_url"]
        assert cdn_status(character["cover_image_url"]) == 403
        with httpx.Client(verify=TLS) as http:
            assert http.get(signed).content == png(64, 64)
        fal_fake.advance(300)
        assert cdn_status(signed) == 403
