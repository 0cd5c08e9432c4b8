"""Stoplight Prism serves fal's real published document (its /assets and /storage part) with request
validation on loopback: every operation's valid request is accepted, and the fake draws the line between
valid and invalid requests where fal's document does. Like test_conformance_prism.py, these tests fail when
Prism is unavailable: they are never skipped."""

from __future__ import annotations

import itertools
import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fal_assets import FalAssets
from fal_assets.testing import FakeFal

from tests.conftest import fal_assets_document
from tests.library_support import TLS, upload_file
from tests.prism_support import running_prism

KEY = "prism-id:prism-secret"
FAL_URL = "https://v3b.fal.media/files/b/0a9b4900/x.png"
ASSET, COLLECTION, TAG, FILE, ENTITY = "{asset}", "{collection}", "{tag}", "{file}", "{entity}"

# One valid request per operation (the 7 character operations are test_conformance_prism.py's).
VALID: list[tuple[str, str, dict[str, Any] | None, Any]] = [
    ("GET", "/assets", {"limit": 10, "q": "cat", "media_type": ["image", "video"], "tag_mode": "all"}, None),
    ("GET", f"/assets/{ASSET}", None, None),
    ("GET", f"/assets/{ASSET}/lineage", {"depth": 2}, None),
    ("POST", "/assets/favorite", None, {"asset_id": ASSET}),
    ("POST", "/assets/unfavorite", None, {"asset_id": ASSET}),
    ("POST", "/assets/uploads", None, {"url": FAL_URL, "type": "image", "prompt": "p", "favorite": True}),
    ("GET", f"/assets/{ASSET}/tags", None, None),
    ("PUT", "/assets/tags", None, {"asset_id": ASSET, "tag_ids": [TAG]}),
    ("GET", "/assets/collections", {"limit": 100, "offset": 0}, None),
    (
        "POST",
        "/assets/collections",
        None,
        {"name": "Campaign", "description": None, "cover_image_url": FAL_URL},
    ),
    ("GET", f"/assets/collections/{COLLECTION}", None, None),
    ("PATCH", f"/assets/collections/{COLLECTION}", None, {"name": "Renamed"}),
    ("GET", f"/assets/collections/{COLLECTION}/hierarchy", None, None),
    ("POST", f"/assets/collections/{COLLECTION}/favorite", None, None),
    ("POST", f"/assets/collections/{COLLECTION}/unfavorite", None, None),
    ("POST", f"/assets/collections/{COLLECTION}/move", None, {"parent_collection_id": None}),
    ("GET", f"/assets/collections/{COLLECTION}/assets", {"section": "favorites"}, None),
    ("POST", f"/assets/collections/{COLLECTION}/assets", None, {"asset_id": ASSET}),
    ("DELETE", f"/assets/collections/{COLLECTION}/assets", None, {"asset_id": ASSET}),
    ("GET", "/assets/tags", None, None),
    ("POST", "/assets/tags", None, {"name": "moodboard"}),
    ("PATCH", f"/assets/tags/{TAG}", None, {"name": "campaign"}),
    ("POST", f"/assets/tags/{TAG}/assign", None, {"asset_id": ASSET}),
    ("DELETE", f"/assets/tags/{TAG}/assign", None, {"asset_id": ASSET}),
    ("GET", "/storage/files/acl", {"url": FILE}, None),
    (
        "PUT",
        "/storage/files/acl",
        {"url": FILE},
        {"default": "forbid", "rules": [{"user": "u", "decision": "allow"}]},
    ),
    ("POST", "/storage/files/sign", {"url": FILE}, {"expiration_seconds": 604800}),
    ("GET", "/storage/settings", None, None),
    (
        "PUT",
        "/storage/settings",
        None,
        {"expiration_duration_seconds": 86400, "initial_acl": {"default": "hide"}},
    ),
    ("GET", "/assets/entities", {"limit": 10, "offset": 0, "types": ["prop", "style"]}, None),
    (
        "POST",
        "/assets/entities",
        None,
        {
            "type": "prop",
            "name": "Skiff",
            "handle": "skiff",
            "reference_images": [FAL_URL],
            "cover_image_url": FAL_URL,
        },
    ),
    ("GET", f"/assets/entities/{ENTITY}", None, None),
    ("PATCH", f"/assets/entities/{ENTITY}", None, {"name": "Skiff II", "description": None}),
    ("DELETE", f"/assets/entities/{ENTITY}", None, None),
    ("DELETE", f"/assets/tags/{TAG}", None, None),
    ("DELETE", f"/assets/collections/{COLLECTION}", None, None),
]

# Invalid by fal's document: Prism and the fake must both refuse them, with the same status.
INVALID: list[tuple[str, str, dict[str, Any] | None, Any]] = [
    ("GET", "/assets", {"limit": 0}, None),
    ("GET", "/assets", {"media_type": "gif"}, None),
    ("GET", "/assets", {"section": "everything"}, None),
    ("GET", "/assets", {"tag_mode": "some"}, None),
    ("GET", f"/assets/{ASSET}/lineage", {"depth": 6}, None),
    ("GET", f"/assets/{ASSET}/lineage", {"depth": 0}, None),
    ("POST", "/assets/uploads", None, {"url": FAL_URL}),
    ("POST", "/assets/uploads", None, {"url": FAL_URL, "type": "gif"}),
    ("POST", "/assets/uploads", None, {"url": FAL_URL, "type": "image", "prompt": ""}),
    ("POST", "/assets/uploads", None, {"url": FAL_URL, "type": "image", "prompt": "p" * 2001}),
    ("POST", "/assets/uploads", None, {"url": FAL_URL, "type": "image", "favorite": "yes"}),
    ("POST", "/assets/favorite", None, {"asset_id": ""}),
    ("POST", "/assets/collections", None, {}),
    ("POST", "/assets/collections", None, {"name": ""}),
    ("POST", "/assets/collections", None, {"name": "n" * 256}),
    ("POST", "/assets/collections", None, {"name": "ok", "parent_collection_id": ""}),
    ("PATCH", f"/assets/collections/{COLLECTION}", None, {"name": ""}),
    ("POST", f"/assets/collections/{COLLECTION}/move", None, {}),
    ("POST", f"/assets/collections/{COLLECTION}/move", None, {"parent_collection_id": ""}),
    ("GET", "/assets/collections", {"limit": 101}, None),
    ("POST", "/assets/tags", None, {"name": "n" * 51}),
    ("POST", "/assets/tags", None, {}),
    ("PATCH", f"/assets/tags/{TAG}", None, {"name": ""}),
    ("PUT", "/assets/tags", None, {"asset_id": ASSET}),
    ("GET", "/storage/files/acl", None, None),
    ("PUT", "/storage/files/acl", {"url": FILE}, {"default": "maybe"}),
    ("PUT", "/storage/files/acl", {"url": FILE}, {"default": "allow", "extra": 1}),
    ("POST", "/storage/files/sign", {"url": FILE}, {"expiration_seconds": 0}),
    ("POST", "/storage/files/sign", {"url": FILE}, {"expiration_seconds": 604801}),
    ("POST", "/storage/files/sign", {"url": FILE}, {}),
    ("PUT", "/storage/settings", None, {"expiration_duration_seconds": 0}),
    ("PUT", "/storage/settings", None, {"initial_acl": {"rules": []}}),
    ("PUT", "/storage/settings", None, {"retention": 5}),
    ("GET", "/assets/entities", {"types": ["prop", "vehicle"]}, None),
    ("GET", "/assets/entities", {"limit": 101}, None),
    ("POST", "/assets/entities", None, {"type": "prop", "name": "Skiff"}),
    ("POST", "/assets/entities", None, {"type": "vehicle", "name": "Skiff", "reference_images": [FAL_URL]}),
    ("POST", "/assets/entities", None, {"type": "prop", "name": "", "reference_images": [FAL_URL]}),
    (
        "POST",
        "/assets/entities",
        None,
        {"type": "prop", "name": "S", "handle": "", "reference_images": [FAL_URL]},
    ),
    ("POST", "/assets/entities", None, {"type": "prop", "name": "S", "reference_images": []}),
    ("PATCH", f"/assets/entities/{ENTITY}", None, {"handle": "h" * 65}),
    ("PATCH", f"/assets/entities/{ENTITY}", None, {"reference_images": []}),
]


@pytest.fixture(scope="module")
def prism_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("prism-fal")
    document = work / "fal-assets.json"
    document.write_text(json.dumps(fal_assets_document()))
    with running_prism(
        "mock", str(document), log_path=work / "prism.log", probe="/assets/tags", key=KEY
    ) as url:
        yield url


def _fill(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        for placeholder, real in names.items():
            value = value.replace(placeholder, real)
        return value
    if isinstance(value, list | tuple):
        return type(value)(_fill(v, names) for v in value)
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    return value


PRISM_NAMES = {
    ASSET: "d8b6elcregj72v34jr8g",
    ENTITY: "d7tatpsregjaga2cf3d0",
    COLLECTION: "d8b6elcregj72v34jr8g",
    TAG: "d9k7q2m4n6p8r1s3t5uv",
    FILE: "https://v3.fal.media/files/b/0a1b2c3d/output.png",
}


def _request(
    client: httpx.Client, case: tuple[str, str, dict[str, Any] | None, Any], names: dict[str, str]
) -> int:
    method, path, params, body = _fill(case, names)
    kwargs: dict[str, Any] = {"params": params}
    if body is not None:
        kwargs["json"] = body
    return client.request(method, path, **kwargs).status_code


def test_every_operation_is_covered() -> None:
    covered = {(m, p) for m, p, _, _ in VALID}
    document = fal_assets_document()["paths"]
    expected = {
        (
            method.upper(),
            path.replace("{asset_id}", ASSET)
            .replace("{collection_id}", COLLECTION)
            .replace("{tag_id}", TAG)
            .replace("{entity_id}", ENTITY),
        )
        for path, item in document.items()
        for method in item
        if "characters" not in path
    }
    assert covered == expected


def _entity(client: httpx.Client) -> str:
    body = {"type": "style", "name": f"s{uuid.uuid4().hex[:6]}", "reference_images": ["vector-1"]}
    created: str = client.post("/assets/entities", json=body).json()["entity"]["id"]
    return created


def test_valid_requests_succeed_on_prism_and_on_the_fake(prism_url: str) -> None:
    headers = {"Authorization": f"Key {KEY}"}
    refused = []
    with (
        FakeFal.serve(api_key=KEY) as fake,
        httpx.Client(base_url=fake.api_base_url, headers=headers, verify=TLS) as ours,
        httpx.Client(base_url=prism_url, headers=headers, verify=TLS) as prism,
    ):
        names = {
            ASSET: fake.add_asset(prompt="a cat")["asset_id"],
            COLLECTION: ours.post("/assets/collections", json={"name": "c"}).json()["collection"]["id"],
            TAG: ours.post("/assets/tags", json={"name": "t"}).json()["tag"]["id"],
            FILE: upload_file(fake),
            ENTITY: _entity(ours),
        }
        for case in VALID:
            statuses = (_request(prism, case, PRISM_NAMES), _request(ours, case, names))
            if not all(200 <= status < 300 for status in statuses):
                refused.append(f"{case[0]} {case[1]}: prism/fake {statuses}")
    assert not refused, "\n".join(refused)


def test_the_fake_and_prism_agree_on_invalid_requests(prism_url: str) -> None:
    headers = {"Authorization": f"Key {KEY}"}
    disagreements = []
    with (
        FakeFal.serve(api_key=KEY) as fake,
        httpx.Client(base_url=fake.api_base_url, headers=headers, verify=TLS) as ours,
        httpx.Client(base_url=prism_url, headers=headers, verify=TLS) as prism,
    ):
        names = {
            ASSET: fake.add_asset()["asset_id"],
            COLLECTION: ours.post("/assets/collections", json={"name": "c"}).json()["collection"]["id"],
            TAG: ours.post("/assets/tags", json={"name": f"t{uuid.uuid4().hex[:6]}"}).json()["tag"]["id"],
            FILE: upload_file(fake),
            ENTITY: _entity(ours),
        }
        for case in INVALID:
            statuses = (_request(prism, case, PRISM_NAMES), _request(ours, case, names))
            if statuses[0] != statuses[1] or statuses[0] not in (400, 422):
                disagreements.append(f"{case[0]} {case[1]} {case[2]} {case[3]!r:.60}: prism/fake {statuses}")
    assert not disagreements, "\n".join(disagreements)


def test_every_operation_through_the_facade_is_accepted_by_prism(prism_url: str) -> None:
    """The requests the facade builds for every operation pass Prism's validation against fal's real
    document, and Prism's example replies pass the facade's reply checks."""
    asset, collection, tag, file = (PRISM_NAMES[name] for name in (ASSET, COLLECTION, TAG, FILE))
    sent: list[tuple[str, str]] = []

    def record(request: httpx.Request) -> None:
        sent.append((request.method, request.url.path))

    http = httpx.Client(event_hooks={"request": [record]})
    client = FalAssets(
        api_key=KEY, base_url=prism_url, storage_base_url=prism_url, max_retries=0, http_client=http
    )
    with http, client:
        client.assets.list(limit=10, media_type=["image", "video"], tag_mode="all", cursor="Mg==")
        # Prism refuses a single value for fal's `type: [array, null]` query parameters (fal and the fake
        # take it as a one-item list), so array filters carry two values here.
        assert list(itertools.islice(client.assets.iter(section="favorites", tag_id=[tag, tag]), 3))
        assert list(itertools.islice(client.assets.search("cat", image=FAL_URL, collection_id=collection), 3))
        client.assets.get(asset)
        client.assets.lineage(asset, depth=2)
        client.assets.favorite(asset_id=asset)
        client.assets.unfavorite(vector_id="b1a2b4a5-cb89-51dc-a108-6dbfd8e742fc")
        client.assets.upload(FAL_URL, prompt="p", favorite=True, tag_ids=[tag], collection_id=collection)
        client.assets.tags(asset)
        client.assets.set_tags([tag], asset_id=asset)
        client.collections.list(limit=100, offset=0)
        client.collections.create("Campaign", description="d", parent_collection_id=collection)
        client.collections.get(collection)
        client.collections.update(collection, name="Renamed", description=None)
        client.collections.hierarchy(collection)
        client.collections.favorite(collection)
        client.collections.unfavorite(collection)
        client.collections.move(collection, None)
        client.collections.move(collection, "d8b6elcregj72v34jr8h")
        assert list(itertools.islice(client.collections.assets(collection, source=["upload", "response"]), 3))
        client.collections.add(collection, asset_id=asset)
        client.collections.remove(collection, request_id="019e6d0a-e5be-7b82-b329-35ae64296902")
        client.collections.delete(collection)
        client.tags.list()
        client.tags.create("moodboard")
        client.tags.update(tag, "campaign")
        client.tags.assign(tag, asset_id=asset)
        client.tags.unassign(tag, asset_id=asset)
        client.tags.delete(tag)
        client.storage.get_acl(file)
        client.storage.set_acl(file, default="forbid", rules=[("u", "allow")])
        assert client.storage.sign(file, expires_in=604800).startswith("https://")
        client.storage.get_settings()
        client.storage.update_settings(expiration_duration_seconds=86400, initial_acl="hide")
        client.storage.update_settings(expiration_duration_seconds=None, initial_acl=None)
        character = client.characters.create(
            name="Alice", description="Red hair", reference_images=[asset], identifier="alice"
        )
        client.characters.get(character.id)
        client.characters.list(limit=10, offset=0)
        client.characters.update(character.id, name="Alicia", cover_image=None)
        client.characters.favorite(character.id)
        client.characters.unfavorite(character.id)
        client.characters.delete(character.id)
        entity_id = PRISM_NAMES[ENTITY]
        assert client.entities.list(types=["prop", "style"], limit=10, offset=0)
        assert list(itertools.islice(client.entities.iter(types=["character", "scene"], page_size=5), 3))
        client.entities.create(
            type="prop", name="Skiff", handle="skiff", reference_images=[FAL_URL], cover_image=FAL_URL
        )
        client.entities.create(type="character", name="Ann", description="A sailor", reference_images=[asset])
        client.entities.get(entity_id)
        client.entities.update(
            entity_id, name="Skiff II", handle="skiff2", description=None, cover_image=None
        )
        client.entities.update(entity_id, reference_images=[FAL_URL], cover_image=FAL_URL)
        client.entities.delete(entity_id)
    templates = [
        (
            method.upper(),
            re.compile(re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(path)) + "$"),
            operation["operationId"],
        )
        for path, item in fal_assets_document()["paths"].items()
        for method, operation in item.items()
    ]
    reached = {
        op for method, path in sent for m, pattern, op in templates if m == method and pattern.match(path)
    }
    assert reached == {op for _, _, op in templates}, (
        f"not driven: {sorted({op for *_, op in templates} - reached)}"
    )
