"""FakeFal's asset operations over real HTTP (raw httpx): uploadAsset, get, browse filters, page cursors,
the search approximation, favorites by any reference, lineage, idempotency and faults."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator

import httpx
import pytest
from fal_assets.testing import FakeFal

from tests.library_support import JSONDict, api_client, assert_error, png, register, upload_file

ASSET_KEYS = {
    "asset_id",
    "vector_id",
    "request_id",
    "url",
    "type",
    "title",
    "endpoint",
    "created_at",
    "source",
    "prompt",
    "width",
    "height",
    "content_type",
    "is_favorited",
    "collection_ids",
    "tags",
    "similarity",
}
REAL_FAL_URL = "https://v3b.fal.media/files/b/0a9b4900/portrait.jpg"


@pytest.fixture
def api(fal_fake: FakeFal) -> Iterator[httpx.Client]:
    with api_client(fal_fake) as client:
        yield client


def page(api: httpx.Client, **params: object) -> JSONDict:
    response = api.get("/assets", params=params)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    body: JSONDict = response.json()
    return body


def ids(assets: list[JSONDict]) -> list[str]:
    return [a["asset_id"] for a in assets]


# -- uploadAsset and getAsset --------------------------------------------------------------------------------


def test_upload_registers_a_stored_file_with_facts_read_from_it(fal_fake: FakeFal, api: httpx.Client) -> None:
    url = upload_file(fal_fake, png(640, 480), name="alice.png")
    asset = register(api, url, prompt="Alice in a red coat", favorite=True)
    assert set(asset) == ASSET_KEYS
    assert asset["url"] == url and asset["type"] == "image" and asset["source"] == "upload"
    assert (asset["width"], asset["height"], asset["content_type"]) == (640, 480, "image/png")
    assert asset["prompt"] == "Alice in a red coat" and asset["title"] == "Alice in a red coat"
    assert asset["is_favorited"] is True and asset["similarity"] is None
    assert asset["endpoint"] is None and asset["collection_ids"] == [] and asset["tags"] == []
    assert uuid.UUID(asset["vector_id"])
    # getAsset takes the asset ID or the vector ID.
    assert api.get(f"/assets/{asset['asset_id']}").json()["asset"] == asset
    assert api.get(f"/assets/{asset['vector_id']}").json()["asset"] == asset
    assert fal_fake.assets[asset["asset_id"]] == asset


def test_upload_of_a_real_fal_url_and_its_title(api: httpx.Client) -> None:
    asset = register(api, REAL_FAL_URL, type="image")
    assert asset["title"] == "portrait.jpg" and asset["content_type"] == "image/jpeg"
    assert asset["width"] is None and asset["prompt"] is None


def test_registering_the_same_url_again_is_the_same_asset(fal_fake: FakeFal, api: httpx.Client) -> None:
    url = upload_file(fal_fake)
    first = register(api, url)
    again = register(api, url, favorite=True)
    assert again["asset_id"] == first["asset_id"] and again["is_favorited"] is True
    assert len(fal_fake.assets) == 1


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"url": "https://example.com/a.png", "type": "image"}, 422, "url: not a fal-hosted URL"),
        ({"url": REAL_FAL_URL}, 422, "type: Field required"),
        ({"url": REAL_FAL_URL, "type": "gif"}, 422, "type: Input should be"),
        ({"type": "image"}, 422, "url: Field required"),
        ({"url": REAL_FAL_URL, "type": "image", "prompt": ""}, 422, "prompt: String should have at least 1"),
        (
            {"url": REAL_FAL_URL, "type": "image", "prompt": "p" * 2001},
            422,
            "prompt: String should have at most",
        ),
        ({"url": REAL_FAL_URL, "type": "image", "favorite": "yes"}, 422, "favorite"),
        ({"url": REAL_FAL_URL, "type": "image", "tag_ids": ["nope"]}, 404, "Tag not found"),
        ({"url": REAL_FAL_URL, "type": "image", "collection_id": "nope"}, 404, "Collection not found"),
    ],
)
def test_upload_rejects_bad_input_and_stores_nothing(
    fal_fake: FakeFal, api: httpx.Client, body: JSONDict, status: int, message: str
) -> None:
    response = api.post("/assets/uploads", json=body)
    assert_error(response, status, "validation_error" if status == 422 else "not_found", message)
    assert fal_fake.assets == {}


def test_upload_needs_the_file_to_exist_on_the_fakes_cdn(fal_fake: FakeFal, api: httpx.Client) -> None:
    missing = f"{fal_fake.cdn_base_url}/files/0000/none.png"
    assert_error(api.post("/assets/uploads", json={"url": missing, "type": "image"}), 404, "not_found", "url")


def test_get_unknown_asset_is_404(api: httpx.Client) -> None:
    assert_error(api.get("/assets/unknown-id"), 404, "not_found", "Asset not found")


# -- browsing: order, cursors, filters -----------------------------------------------------------------------


def test_cursor_pages_cover_every_asset_once_newest_first(fal_fake: FakeFal, api: httpx.Client) -> None:
    seeded = [fal_fake.add_asset(prompt=f"image {n}") for n in range(7)]
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        params: JSONDict = {"limit": 3} if cursor is None else {"limit": 3, "cursor": cursor}
        body = page(api, **params)
        assert body["total_count"] == 7 and body["scope_truncated"] is False
        seen += ids(body["assets"])
        cursor = body["next_cursor"]
        assert body["has_more"] is (cursor is not None)
        if cursor is None:
            break
    assert seen == ids(list(reversed(seeded)))


def test_cursors_encode_the_page_number_as_fal_documents(fal_fake: FakeFal, api: httpx.Client) -> None:
    seeded = [fal_fake.add_asset(prompt=f"image {n}") for n in range(5)]
    newest_first = ids(list(reversed(seeded)))
    first = page(api, limit=2)
    assert base64.b64decode(first["next_cursor"]) == b"2"
    # fal's own example cursor ("Mg==", page 2) works without a first request
    assert ids(page(api, limit=2, cursor="Mg==")["assets"]) == newest_first[2:4]
    assert ids(page(api, limit=2, cursor=first["next_cursor"])["assets"]) == newest_first[2:4]
    last = page(api, limit=2, cursor=base64.b64encode(b"3").decode())
    assert ids(last["assets"]) == newest_first[4:] and last["next_cursor"] is None
    for bad in ("not-a-cursor", base64.b64encode(b"0").decode(), base64.b64encode(b"-1").decode()):
        assert_error(api.get("/assets", params={"cursor": bad}), 400, "validation_error", "cursor")


def test_filters_by_media_type_source_and_section(fal_fake: FakeFal, api: httpx.Client) -> None:
    image = fal_fake.add_asset(type="image")
    video = fal_fake.add_asset(type="video", source="upload")
    audio = fal_fake.add_asset(type="audio", is_favorited=True)
    assert set(ids(page(api, media_type=["image", "audio"])["assets"])) == {
        image["asset_id"],
        audio["asset_id"],
    }
    assert ids(page(api, source="upload")["assets"]) == [video["asset_id"]]
    assert ids(page(api, section="uploads")["assets"]) == [video["asset_id"]]
    assert set(ids(page(api, section="generated")["assets"])) == {image["asset_id"], audio["asset_id"]}
    assert ids(page(api, section="favorites")["assets"]) == [audio["asset_id"]]
    assert page(api, section="all-media")["total_count"] == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"media_type": "gif"}, "media_type[0]"),
        ({"source": "web"}, "source[0]"),
        ({"section": "everything"}, "section"),
        ({"tag_mode": "some"}, "tag_mode"),
        ({"limit": 0}, "limit"),
        ({"search_image_url": "https://example.com/x.png"}, "search_image_url"),
    ],
)
def test_invalid_filters_are_422_naming_the_parameter(
    api: httpx.Client, params: JSONDict, field: str
) -> None:
    assert_error(api.get("/assets", params=params), 422, "validation_error", field)


def test_unknown_collection_scope_is_404(api: httpx.Client) -> None:
    assert_error(api.get("/assets", params={"collection_id": "nope"}), 404, "not_found")


# -- search --------------------------------------------------------------------------------------------------


def test_text_search_ranks_by_shared_words_and_sets_similarity(fal_fake: FakeFal, api: httpx.Client) -> None:
    both = fal_fake.add_asset(prompt="Alice with red hair on a beach")
    half = fal_fake.add_asset(prompt="red sports car")
    fal_fake.add_asset(prompt="a mountain lake")
    body = page(api, q="red hair")
    assert ids(body["assets"]) == [both["asset_id"], half["asset_id"]]
    assert [a["similarity"] for a in body["assets"]] == [1.0, 0.5]
    assert body["total_count"] == 2
    assert all(a["similarity"] is None for a in page(api)["assets"])


def test_image_search_finds_assets_like_the_given_library_image(fal_fake: FakeFal, api: httpx.Client) -> None:
    url = upload_file(fal_fake, png(2, 2), name="query.png")
    query = register(api, url, prompt="knight in silver armour")
    similar = fal_fake.add_asset(prompt="a knight on horseback")
    fal_fake.add_asset(prompt="a bowl of fruit")
    body = page(api, search_image_url=url)
    assert ids(body["assets"]) == [query["asset_id"], similar["asset_id"]]
    assert body["assets"][0]["similarity"] == 1.0 and 0 < body["assets"][1]["similarity"] < 1
    # Search combines with filters.
    assert ids(page(api, search_image_url=url, source="response")["assets"]) == [similar["asset_id"]]


def test_video_search_by_file_name_of_an_unknown_url(fal_fake: FakeFal, api: httpx.Client) -> None:
    beach = fal_fake.add_asset(type="video", prompt="waves on the beach")
    body = page(api, search_video_url="https://v3.fal.media/files/b/1/beach-waves.mp4")
    assert ids(body["assets"]) == [beach["asset_id"]] and body["assets"][0]["similarity"] == 1.0


# -- favorites by reference ----------------------------------------------------------------------------------


def test_favorite_by_asset_vector_or_request_id(fal_fake: FakeFal, api: httpx.Client) -> None:
    asset = fal_fake.add_asset()
    for key in ("asset_id", "vector_id", "request_id"):
        response = api.post("/assets/favorite", json={key: asset[key]})
        assert response.status_code == 200 and response.json() == {"is_favorited": True}
        assert fal_fake.assets[asset["asset_id"]]["is_favorited"] is True
        response = api.post("/assets/unfavorite", json={key: asset[key]})
        assert response.json() == {"is_favorited": False}
        assert fal_fake.assets[asset["asset_id"]]["is_favorited"] is False


@pytest.mark.parametrize(
    "body", [{}, {"asset_id": "a", "vector_id": "b"}, {"request_id": ""}, {"vector_id": 3}]
)
def test_favorite_needs_exactly_one_reference(fal_fake: FakeFal, api: httpx.Client, body: JSONDict) -> None:
    response = api.post("/assets/favorite", json=body)
    assert_error(response, 422, "validation_error")
    assert fal_fake.assets == {}


def test_favoriting_an_unknown_request_materializes_it(fal_fake: FakeFal, api: httpx.Client) -> None:
    request_id = str(uuid.uuid4())
    assert api.post("/assets/favorite", json={"request_id": request_id}).json() == {"is_favorited": True}
    (asset,) = fal_fake.assets.values()
    assert asset["request_id"] == request_id and asset["source"] == "response" and asset["is_favorited"]
    assert httpx.get(asset["url"]).content.startswith(b"\x89PNG")
    assert_error(api.post("/assets/favorite", json={"asset_id": "nope"}), 404, "not_found")
    assert_error(api.post("/assets/unfavorite", json={"request_id": "never-seen"}), 404, "not_found")


# -- lineage -------------------------------------------------------------------------------------------------


def test_lineage_follows_inputs_requests_and_characters_to_the_asked_depth(
    fal_fake: FakeFal, api: httpx.Client
) -> None:
    alice = fal_fake.add_character(name="Alice", character_identifier="alice")
    source = register(api, upload_file(fal_fake, png(1, 1), name="sketch.png"))
    first = fal_fake.add_asset(
        prompt="colour the sketch", endpoint="fal-ai/flux/dev", inputs=[(source["url"], "source")]
    )
    second = fal_fake.add_asset(
        prompt="@alice in the scene",
        inputs=[first["url"], ("https://v3.fal.media/files/b/x/mask.png", "mask")],
        characters=[alice["id"]],
    )
    graph = api.get(f"/assets/{second['asset_id']}/lineage").json()["lineage"]
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert nodes[graph["focus"]]["asset_id"] == second["asset_id"]
    kinds = sorted(n["kind"] for n in graph["nodes"])
    assert kinds == ["asset", "asset", "asset", "entity", "external_input", "request", "request"]
    edges = {(nodes[e["from"]]["kind"], e["kind"], nodes[e["to"]]["kind"], e["role"]) for e in graph["edges"]}
    assert edges == {
        ("request", "generated_by", "asset", None),
        ("asset", "input_to", "request", "source"),
        ("external_input", "input_to", "request", "mask"),
        ("entity", "referenced_entity", "request", "content_ref"),
    }
    entity = next(n for n in graph["nodes"] if n["kind"] == "entity")
    assert (entity["name"], entity["handle"], entity["tombstone"]) == ("Alice", "alice", False)
    shallow = api.get(f"/assets/{second['asset_id']}/lineage", params={"depth": 1}).json()["lineage"]
    assert sorted(n["kind"] for n in shallow["nodes"]) == [
        "asset",
        "asset",
        "entity",
        "external_input",
        "request",
    ]
    assert_error(
        api.get(f"/assets/{second['asset_id']}/lineage", params={"depth": 6}), 422, "validation_error"
    )
    assert_error(api.get("/assets/nope/lineage"), 404, "not_found")


def test_lineage_flags_expired_inputs_and_deleted_characters_as_tombstones(
    fal_fake: FakeFal, api: httpx.Client
) -> None:
    bob = fal_fake.add_character(name="Bob")
    url = upload_file(fal_fake, lifecycle={"expiration_duration_seconds": 10})
    source = register(api, url)
    made = fal_fake.add_asset(inputs=[url], characters=[bob["id"]])
    fal_fake.advance(11)
    assert api.delete(f"/assets/characters/{bob['id']}").status_code == 204
    nodes = api.get(f"/assets/{made['asset_id']}/lineage").json()["lineage"]["nodes"]
    gone = next(n for n in nodes if n.get("output_key") and n["id"] != f"asset:{made_key(made)}")
    assert gone["tombstone"] is True and gone["url"] is None and gone["asset_id"] is None
    assert source["asset_id"] not in str(nodes)
    entity = next(n for n in nodes if n["kind"] == "entity")
    assert entity["tombstone"] is True and entity["name"] is None


def made_key(asset: JSONDict) -> str:
    import hashlib

    return hashlib.md5(asset["url"].encode(), usedforsecurity=False).hexdigest()


# -- idempotency, faults, inspection -------------------------------------------------------------------------


def test_upload_asset_replays_for_the_same_idempotency_key(fal_fake: FakeFal, api: httpx.Client) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"url": REAL_FAL_URL, "type": "image", "prompt": "p"}
    first = api.post("/assets/uploads", json=body, headers=key)
    again = api.post("/assets/uploads", json=body, headers=key)
    assert again.json() == first.json() and again.headers["x-idempotent-replayed"] == "true"
    assert fal_fake.writes_applied["uploadAsset"] == 1
    other = api.post("/assets/uploads", json={**body, "prompt": "q"}, headers=key)
    assert_error(other, 422, "validation_error", "Idempotency-Key")


def test_faults_and_inspection_reach_the_asset_operations(fal_fake: FakeFal, api: httpx.Client) -> None:
    fal_fake.fail_next(status=503, path="/assets/uploads")
    failed = api.post("/assets/uploads", json={"url": REAL_FAL_URL, "type": "image"})
    assert failed.status_code == 503 and fal_fake.assets == {}
    fal_fake.corrupt_next("non_json", path=r"^/v1/assets$")
    assert api.get("/assets").text == "this is not JSON {"
    register(api, REAL_FAL_URL)
    operations = [r.operation for r in fal_fake.requests]
    assert operations == ["uploadAsset", "listAssets", "uploadAsset"]
    assert [r.fault for r in fal_fake.requests] == ["fail", "corrupt:non_json", None]
    assert all(r.headers["authorization"] == "Key ***" for r in fal_fake.requests)
    assert fal_fake.counts["uploadAsset"] == 2 and fal_fake.writes_applied["uploadAsset"] == 1


def test_asset_operations_need_the_key(fal_fake: FakeFal) -> None:
    with httpx.Client(base_url=fal_fake.api_base_url) as anonymous:
        assert_error(anonymous.get("/assets"), 401, "authorization_error")
        assert_error(anonymous.post("/assets/favorite", json={"asset_id": "a"}), 401, "authorization_error")


def test_search_beyond_the_scope_limit_is_flagged_truncated(fal_fake: FakeFal, api: httpx.Client) -> None:
    oldest = fal_fake.add_asset(prompt="red apple", is_favorited=True)
    newer = [fal_fake.add_asset(prompt="red car", is_favorited=True) for _ in range(2)]
    full = page(api, q="red", section="favorites")
    assert full["scope_truncated"] is False and full["total_count"] == 3
    fal_fake.search_scope_limit = 2
    partial = page(api, q="red", section="favorites")
    assert partial["scope_truncated"] is True
    assert set(ids(partial["assets"])) == {a["asset_id"] for a in newer} and partial["total_count"] == 2
    assert oldest["asset_id"] not in ids(partial["assets"])
    # Browsing without a search, or searching without a scope, is never truncated.
    assert page(api, section="favorites")["scope_truncated"] is False
    assert page(api, q="red")["scope_truncated"] is False
    with pytest.raises(ValueError, match="positive integer"):
        fal_fake.search_scope_limit = 0
