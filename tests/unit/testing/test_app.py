"""FakeFal's character API through real HTTP (raw httpx): auth, every operation, validation, idempotency."""

from __future__ import annotations

import re
import ssl
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fal_assets.testing import FakeFal

VECTOR_ID = "019e6d0a-e5be-7b82-b329-35ae64296902"
FAL_URL = "https://v3b.fal.media/files/b/0a9b4900/PDbTGyzqRh1aijW2WQiY9_opengraph-1%20%281%29.png"
CHARACTER_KEYS = {
    "id",
    "type",
    "name",
    "description",
    "icon",
    "color",
    "cover_image_url",
    "character_identifier",
    "is_favorited",
    "created_at",
    "updated_at",
    "asset_count",
    "reference_images",
    "parent_collection_id",
}
# One TLS context for every client: building one per httpx.Client costs ~0.1 s, even for plain-http use.
TLS = ssl.create_default_context()
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


@pytest.fixture
def api(fal_fake: FakeFal) -> Iterator[httpx.Client]:
    auth = {"Authorization": f"Key {fal_fake.api_key}"}
    with httpx.Client(base_url=fal_fake.api_base_url, headers=auth, verify=TLS) as client:
        yield client


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(verify=TLS) as client:
        yield client


def new_character(api: httpx.Client, **overrides: Any) -> dict[str, Any]:
    body = {
        "name": "Alice",
        "description": "Red hair, blue jacket",
        "reference_images": [VECTOR_ID],
        **overrides,
    }
    response = api.post("/assets/characters", json=body)
    assert response.status_code == 201, response.text
    character: dict[str, Any] = response.json()["character"]
    return character


def assert_error(response: httpx.Response, status: int, error_type: str, message_part: str = "") -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["type"] == error_type
    assert message_part in error["message"]
    assert error["request_id"] == response.headers["x-fal-request-id"]


# -- auth ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer abc", "key abc", "Key", "Key a b", "Basic dXNlcjpwYXNz"],
)
def test_requests_without_a_well_formed_key_get_401(
    fal_fake: FakeFal, http: httpx.Client, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    for method, path in [("GET", "/assets/characters"), ("POST", "/assets/characters/x/favorite")]:
        response = http.request(method, f"{fal_fake.api_base_url}{path}", headers=headers)
        assert_error(response, 401, "authorization_error")
    token = http.post(f"{fal_fake.storage_base_url}/storage/auth/token", json={}, headers=headers)
    assert_error(token, 401, "authorization_error")
    assert fal_fake.writes_applied.total() == 0


def test_any_well_formed_key_is_accepted_when_none_is_configured(
    fal_fake: FakeFal, http: httpx.Client
) -> None:
    assert fal_fake.api_key.startswith("fake-")
    response = http.get(
        f"{fal_fake.api_base_url}/assets/characters", headers={"Authorization": "Key id:anything"}
    )
    assert response.status_code == 200
    assert response.json() == {"characters": []}


def test_a_configured_key_is_the_only_one_accepted(http: httpx.Client) -> None:
    with FakeFal.serve(api_key="id:secret") as fake:
        url = f"{fake.api_base_url}/assets/characters"
        assert fake.api_key == "id:secret"
        assert http.get(url, headers={"Authorization": "Key id:secret"}).status_code == 200
        assert_error(
            http.get(url, headers={"Authorization": "Key id:other"}), 401, "authorization_error", "Invalid"
        )


# -- operations -------------------------------------------------------------------------------------------


def test_create_returns_a_full_character_with_resolved_references(
    fal_fake: FakeFal, api: httpx.Client
) -> None:
    fake_hosted = f"{fal_fake.cdn_base_url}/files/abc/x.png"
    character = new_character(
        api, reference_images=[VECTOR_ID, FAL_URL, fake_hosted], identifier="alice", cover_image_url=FAL_URL
    )
    assert set(character) == CHARACTER_KEYS
    assert re.fullmatch(r"[a-z0-9]{20}", character["id"])
    assert character["type"] == "character"
    assert character["character_identifier"] == "alice"
    assert character["cover_image_url"] == FAL_URL
    assert character["is_favorited"] is False
    assert TIMESTAMP.fullmatch(character["created_at"]) and character["updated_at"] == character["created_at"]
    id_url = f"{fal_fake.cdn_base_url}/files/ref/{VECTOR_ID}.png"
    assert character["reference_images"] == [id_url, FAL_URL, fake_hosted]
    assert fal_fake.characters == {character["id"]: character}
    png = api.get(id_url)
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert png.headers["content-type"] == "image/png"


def test_get_list_update_favorite_delete(fal_fake: FakeFal, api: httpx.Client) -> None:
    first = new_character(api, name="first")
    second = new_character(api, name="second", cover_image_url=FAL_URL)
    assert api.get(f"/assets/characters/{first['id']}").json() == {"character": first}

    listed = api.get("/assets/characters").json()["characters"]
    assert [c["name"] for c in listed] == ["second", "first"]  # newest first
    assert [c["name"] for c in api.get("/assets/characters", params={"limit": 1}).json()["characters"]] == [
        "second"
    ]
    page = api.get("/assets/characters", params={"limit": 1, "offset": 1}).json()["characters"]
    assert [c["name"] for c in page] == ["first"]
    assert api.get("/assets/characters", params={"offset": 5}).json() == {"characters": []}

    updated = api.patch(
        f"/assets/characters/{second['id']}", json={"name": "renamed", "cover_image_url": None}
    )
    assert updated.status_code == 200
    body = updated.json()["character"]
    assert body["name"] == "renamed" and body["cover_image_url"] is None
    assert body["description"] == second["description"] and body["created_at"] == second["created_at"]
    assert body["updated_at"] > second["updated_at"]

    unchanged = api.patch(f"/assets/characters/{second['id']}", json={}).json()["character"]
    assert unchanged["name"] == "renamed" and unchanged["updated_at"] > body["updated_at"]

    assert api.post(f"/assets/characters/{first['id']}/favorite").json()["character"]["is_favorited"] is True
    assert fal_fake.characters[first["id"]]["is_favorited"] is True
    assert (
        api.post(f"/assets/characters/{first['id']}/unfavorite").json()["character"]["is_favorited"] is False
    )

    deleted = api.delete(f"/assets/characters/{first['id']}")
    assert deleted.status_code == 204 and deleted.content == b""
    assert_error(api.get(f"/assets/characters/{first['id']}"), 404, "not_found")
    assert set(fal_fake.characters) == {second["id"]}
    assert fal_fake.writes_applied == {
        "createAssetCharacter": 2,
        "updateAssetCharacter": 2,
        "favoriteAssetCharacter": 1,
        "unfavoriteAssetCharacter": 1,
        "deleteAssetCharacter": 1,
    }
    assert fal_fake.counts["listAssetCharacters"] == 4


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("GET", ""), ("PATCH", ""), ("DELETE", ""), ("POST", "/favorite"), ("POST", "/unfavorite")],
)
def test_unknown_ids_are_404(api: httpx.Client, method: str, suffix: str) -> None:
    response = api.request(method, f"/assets/characters/nope%2F..{suffix}", json={"name": "x"})
    assert_error(response, 404, "not_found", "Character not found")


def test_unrouted_paths_and_methods(fal_fake: FakeFal, api: httpx.Client) -> None:
    # /assets/other would be getAsset("other"): fal's API has /assets/{asset_id}.
    assert_error(api.get("/assets/other/thing"), 404, "not_found")
    wrong = api.put("/assets/characters", json={})
    assert wrong.status_code == 405 and wrong.headers["allow"] == "GET, POST"
    assert fal_fake.counts["methodNotAllowed"] == 1 and fal_fake.counts["unknown"] == 1


def test_seeded_characters_are_served(fal_fake: FakeFal, api: httpx.Client) -> None:
    seeded = fal_fake.add_character(name="Seeded", icon="folder", color="blue", reference_images=[FAL_URL])
    assert api.get(f"/assets/characters/{seeded['id']}").json()["character"] == seeded
    assert seeded["icon"] == "folder" and set(seeded) == CHARACTER_KEYS


# -- validation -------------------------------------------------------------------------------------------

VALID = {"name": "Alice", "description": "desc", "reference_images": [VECTOR_ID]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**VALID, "name": ""}, "name: String should have at least 1 character"),
        ({**VALID, "name": "x" * 256}, "name: String should have at most 255 characters"),
        ({**VALID, "name": 7}, "name: Input should be a valid string"),
        ({k: v for k, v in VALID.items() if k != "description"}, "description: Field required"),
        ({**VALID, "description": "d" * 2001}, "description: String should have at most 2000"),
        ({**VALID, "reference_images": []}, "reference_images: List should have at least 1 item"),
        ({**VALID, "reference_images": ["r"] * 21}, "reference_images: List should have at most 20 items"),
        ({**VALID, "reference_images": "r"}, "reference_images: Input should be a valid list"),
        ({**VALID, "reference_images": ["ok", ""]}, "reference_images[1]: String should have at least 1"),
        ({**VALID, "reference_images": ["ok", 3]}, "reference_images[1]: Input should be a valid string"),
        (
            {**VALID, "reference_images": ["https://example.com/a.png"]},
            "reference_images[0]: not a fal-hosted URL",
        ),
        ({**VALID, "identifier": "i" * 65}, "identifier: String should have at most 64"),
        ({**VALID, "cover_image_url": "not a uri"}, "cover_image_url: Input should be a valid URI"),
        ({**VALID, "cover_image_url": "https://evil.example/x.png"}, "cover_image_url: not a fal-hosted URL"),
        ([VALID], "body: Input should be a valid JSON object"),
    ],
)
def test_create_validation_names_the_field(
    fal_fake: FakeFal, api: httpx.Client, body: object, field: str
) -> None:
    assert_error(api.post("/assets/characters", json=body), 422, "validation_error", field)
    assert fal_fake.characters == {}


def test_malformed_bodies_are_422(api: httpx.Client) -> None:
    assert_error(
        api.post("/assets/characters", content=b"{nope"), 422, "validation_error", "body: Invalid JSON"
    )
    assert_error(api.post("/assets/characters"), 422, "validation_error", "body: Field required")
    as_text = api.post("/assets/characters", content=b"{}", headers={"Content-Type": "text/plain"})
    assert_error(as_text, 422, "validation_error", "Content-Type")
    huge = {**VALID, "description": "d" * (1024 * 1024)}
    assert_error(api.post("/assets/characters", json=huge), 400, "validation_error", "body: larger than")


def test_update_validation_and_unknown_fields(fal_fake: FakeFal, api: httpx.Client) -> None:
    cid = new_character(api)["id"]
    assert_error(api.patch(f"/assets/characters/{cid}", json={"name": ""}), 422, "validation_error", "name:")
    bad_refs = api.patch(f"/assets/characters/{cid}", json={"reference_images": [FAL_URL, "http://x.test/a"]})
    assert_error(bad_refs, 422, "validation_error", "reference_images[1]: not a fal-hosted URL")
    # The spec's request schemas allow additional properties, so unknown fields are ignored, not rejected.
    extra = api.patch(f"/assets/characters/{cid}", json={"name": "Bob", "mood": "happy"})
    assert extra.status_code == 200 and "mood" not in extra.json()["character"]
    assert fal_fake.writes_applied["updateAssetCharacter"] == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": 0}, "limit: Input should be greater than or equal to 1"),
        ({"limit": 101}, "limit: Input should be less than or equal to 100"),
        ({"limit": "ten"}, "limit: Input should be a valid integer"),
        ({"offset": -1}, "offset: Input should be greater than or equal to 0"),
        ({"offset": "1.5"}, "offset: Input should be a valid integer"),
    ],
)
def test_list_query_validation(api: httpx.Client, params: dict[str, Any], message: str) -> None:
    assert_error(api.get("/assets/characters", params=params), 422, "validation_error", message)


def test_list_limit_bounds_are_inclusive(api: httpx.Client) -> None:
    for _ in range(3):
        new_character(api)
    assert len(api.get("/assets/characters", params={"limit": 1}).json()["characters"]) == 1
    assert len(api.get("/assets/characters", params={"limit": 100, "offset": 0}).json()["characters"]) == 3


# -- idempotency ------------------------------------------------------------------------------------------


def test_a_repeated_key_with_the_same_body_replays_without_applying(
    fal_fake: FakeFal, api: httpx.Client
) -> None:
    headers = {"Idempotency-Key": "k-1"}
    first = api.post("/assets/characters", json=VALID, headers=headers)
    # Same JSON, other key order and spacing: still the same request.
    again = api.post(
        "/assets/characters",
        content=b'{"reference_images": ["019e6d0a-e5be-7b82-b329-35ae64296902"], "description": "desc",'
        b' "name": "Alice"}',
        headers={**headers, "Content-Type": "application/json"},
    )
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["x-idempotent-replayed"] == "true" and "x-idempotent-replayed" not in first.headers
    assert len(fal_fake.characters) == 1
    assert fal_fake.writes_applied["createAssetCharacter"] == 1
    assert fal_fake.counts["createAssetCharacter"] == 2
    assert [r.idempotent_replay for r in fal_fake.requests] == [False, True]


def test_a_reused_key_for_another_request_is_rejected(fal_fake: FakeFal, api: httpx.Client) -> None:
    headers = {"Idempotency-Key": "k-2"}
    cid = api.post("/assets/characters", json=VALID, headers=headers).json()["character"]["id"]
    other_body = api.post("/assets/characters", json={**VALID, "name": "Bob"}, headers=headers)
    assert_error(other_body, 422, "validation_error", "Idempotency-Key 'k-2' was already used")
    other_path = api.patch(f"/assets/characters/{cid}", json=VALID, headers=headers)
    assert_error(other_path, 422, "validation_error", "Idempotency-Key")
    # favorite does not document 422, so the same mistake there is a 400.
    assert_error(api.post(f"/assets/characters/{cid}/favorite", headers=headers), 400, "validation_error")
    assert fal_fake.writes_applied == {"createAssetCharacter": 1}


def test_keys_expire_after_ten_minutes(http: httpx.Client) -> None:
    now = [1_800_000_000.0]
    with FakeFal.serve(clock=lambda: now[0]) as fake:
        url = f"{fake.api_base_url}/assets/characters"
        headers = {"Authorization": f"Key {fake.api_key}", "Idempotency-Key": "k-3"}
        first = http.post(url, json=VALID, headers=headers).json()["character"]
        assert first["created_at"] == "2027-01-15T08:00:00.000Z"
        now[0] += 599
        assert http.post(url, json=VALID, headers=headers).headers.get("x-idempotent-replayed") == "true"
        now[0] += 2
        fresh = http.post(url, json=VALID, headers=headers)
        assert fresh.status_code == 201 and "x-idempotent-replayed" not in fresh.headers
        assert fresh.json()["character"]["id"] != first["id"]
        assert fake.writes_applied["createAssetCharacter"] == 2


def test_each_key_expires_on_its_own_clock(http: httpx.Client) -> None:
    now = [1_800_000_000.0]
    with FakeFal.serve(clock=lambda: now[0]) as fake:
        url = f"{fake.api_base_url}/assets/characters"
        auth = {"Authorization": f"Key {fake.api_key}"}

        def post(key: str) -> httpx.Response:
            return http.post(url, json=VALID, headers={**auth, "Idempotency-Key": key})

        def replayed(response: httpx.Response) -> bool:
            return response.headers.get("x-idempotent-replayed") == "true"

        post("a")
        now[0] += 300
        post("b")
        now[0] += 301  # a is 601 s old, b 301 s
        assert not replayed(post("a"))  # expired: applied again, and stored anew
        assert replayed(post("b"))
        now[0] += 300  # b is 601 s old, the new a 300 s
        assert not replayed(post("b"))
        assert replayed(post("a"))
        assert fake.writes_applied["createAssetCharacter"] == 4


def test_not_found_outcomes_are_replayed_but_invalid_requests_are_not_remembered(
    fal_fake: FakeFal, api: httpx.Client
) -> None:
    gone = api.delete("/assets/characters/missing", headers={"Idempotency-Key": "k-4"})
    replay = api.delete("/assets/characters/missing", headers={"Idempotency-Key": "k-4"})
    assert gone.status_code == replay.status_code == 404 and replay.content == gone.content
    assert replay.headers["x-idempotent-replayed"] == "true"
    bad = api.post("/assets/characters", json={**VALID, "name": ""}, headers={"Idempotency-Key": "k-5"})
    assert bad.status_code == 422
    fixed = api.post("/assets/characters", json=VALID, headers={"Idempotency-Key": "k-5"})
    assert fixed.status_code == 201 and "x-idempotent-replayed" not in fixed.headers
