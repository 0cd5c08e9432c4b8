"""FakeFal's collection operations over real HTTP (raw httpx): manual, smart and character collections,
nesting limits and move validation, hierarchy, favorites, and collection membership."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fal_assets.testing import FakeFal

from tests.library_support import JSONDict, api_client, assert_error

COLLECTION_KEYS = {
    "id",
    "type",
    "name",
    "description",
    "icon",
    "color",
    "cover_image_url",
    "character_identifier",
    "parent_collection_id",
    "is_favorited",
    "filters",
    "asset_count",
    "created_at",
    "updated_at",
}
COVER = "https://v3b.fal.media/files/b/0a9b4900/cover.png"


@pytest.fixture
def api(fal_fake: FakeFal) -> Iterator[httpx.Client]:
    with api_client(fal_fake) as client:
        yield client


def create(api: httpx.Client, name: str = "Folder", **fields: object) -> JSONDict:
    response = api.post("/assets/collections", json={"name": name, **fields})
    assert response.status_code == 201, response.text
    collection: JSONDict = response.json()["collection"]
    return collection


def chain(api: httpx.Client, levels: int) -> list[JSONDict]:
    """`levels` manual collections, each nested in the previous one."""
    made = [create(api, "level 1")]
    for level in range(2, levels + 1):
        made.append(create(api, f"level {level}", parent_collection_id=made[-1]["id"]))
    return made


def member_ids(api: httpx.Client, cid: str, **params: object) -> list[str]:
    response = api.get(f"/assets/collections/{cid}/assets", params=params)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    return [a["asset_id"] for a in response.json()["assets"]]


# -- create, get, list, update, delete -----------------------------------------------------------------------


def test_create_get_update_a_manual_collection(api: httpx.Client) -> None:
    made = create(api, "Campaign", description="Imagery", icon="folder", color="blue", cover_image_url=COVER)
    assert set(made) == COLLECTION_KEYS
    assert made["type"] == "manual" and made["asset_count"] == 0 and made["filters"] is None
    assert made["parent_collection_id"] is None and made["character_identifier"] is None
    assert api.get(f"/assets/collections/{made['id']}").json()["collection"] == made
    updated = api.patch(f"/assets/collections/{made['id']}", json={"name": "Renamed", "description": None})
    assert updated.status_code == 200
    body = updated.json()["collection"]
    assert body["name"] == "Renamed" and body["description"] is None and body["icon"] == "folder"
    assert body["updated_at"] > made["updated_at"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "n" * 256}, "name"),
        ({"name": "x", "cover_image_url": "https://example.com/c.png"}, "cover_image_url"),
        ({"name": "x", "icon": 3}, "icon"),
    ],
)
def test_invalid_collections_are_422(
    fal_fake: FakeFal, api: httpx.Client, body: JSONDict, field: str
) -> None:
    assert_error(api.post("/assets/collections", json=body), 422, "validation_error", field)
    assert fal_fake.collections == {}


def test_characters_are_listed_as_collections_of_type_character(fal_fake: FakeFal, api: httpx.Client) -> None:
    alice = fal_fake.add_character(name="Alice", character_identifier="alice", description="Red hair")
    folder = create(api)
    listed = api.get("/assets/collections").json()["collections"]
    assert [c["id"] for c in listed] == [folder["id"], alice["id"]]  # newest first
    as_collection = listed[1]
    assert set(as_collection) == COLLECTION_KEYS
    assert as_collection["type"] == "character" and as_collection["character_identifier"] == "alice"
    assert as_collection["asset_count"] is None and "reference_images" not in as_collection
    assert api.get(f"/assets/collections/{alice['id']}").json()["collection"] == as_collection
    # Paging by offset and limit.
    assert [c["id"] for c in api.get("/assets/collections", params={"offset": 1}).json()["collections"]] == [
        alice["id"]
    ]
    assert len(api.get("/assets/collections", params={"limit": 1}).json()["collections"]) == 1
    assert_error(api.get("/assets/collections", params={"limit": 101}), 422, "validation_error", "limit")


def test_characters_can_be_updated_favorited_and_deleted_as_collections(
    fal_fake: FakeFal, api: httpx.Client
) -> None:
    alice = fal_fake.add_character(name="Alice")
    cid = alice["id"]
    assert (
        api.patch(f"/assets/collections/{cid}", json={"name": "Alicia"}).json()["collection"]["name"]
        == "Alicia"
    )
    assert api.post(f"/assets/collections/{cid}/favorite").json()["collection"]["is_favorited"] is True
    character = api.get(f"/assets/characters/{cid}").json()["character"]
    assert character["name"] == "Alicia" and character["is_favorited"] is True
    assert api.post(f"/assets/collections/{cid}/unfavorite").json()["collection"]["is_favorited"] is False
    assert_error(
        api.patch(f"/assets/collections/{cid}", json={"filters": {"q": "x"}}), 422, "validation_error"
    )
    assert api.delete(f"/assets/collections/{cid}").status_code == 204
    assert api.get(f"/assets/characters/{cid}").status_code == 404


def test_unknown_collections_are_404(api: httpx.Client) -> None:
    for method, path in [
        ("GET", "/assets/collections/nope"),
        ("PATCH", "/assets/collections/nope"),
        ("DELETE", "/assets/collections/nope"),
        ("GET", "/assets/collections/nope/hierarchy"),
        ("POST", "/assets/collections/nope/favorite"),
        ("GET", "/assets/collections/nope/assets"),
    ]:
        body = {} if method == "PATCH" else None
        assert_error(api.request(method, path, json=body), 404, "not_found", "Collection not found")


def test_delete_removes_nested_collections_but_never_assets(fal_fake: FakeFal, api: httpx.Client) -> None:
    top, middle, leaf = chain(api, 3)
    other = create(api, "Other")
    asset = fal_fake.add_asset()
    api.post(f"/assets/collections/{leaf['id']}/assets", json={"asset_id": asset["asset_id"]})
    assert api.delete(f"/assets/collections/{middle['id']}").status_code == 204
    assert set(fal_fake.collections) == {top["id"], other["id"]}
    assert fal_fake.assets[asset["asset_id"]]["collection_ids"] == []


# -- smart collections ---------------------------------------------------------------------------------------


def test_smart_collections_follow_their_filters(fal_fake: FakeFal, api: httpx.Client) -> None:
    smart = create(api, "Videos", filters={"media_type": ["video"]})
    assert smart["type"] == "smart" and smart["filters"] == {"media_type": ["video"]}
    assert smart["asset_count"] is None
    video = fal_fake.add_asset(type="video")
    image = fal_fake.add_asset(type="image")
    assert member_ids(api, smart["id"]) == [video["asset_id"]]
    add = api.post(f"/assets/collections/{smart['id']}/assets", json={"asset_id": video["asset_id"]})
    assert_error(add, 422, "validation_error", "smart")
    patched = api.patch(f"/assets/collections/{smart['id']}", json={"filters": {"media_type": "image"}})
    assert patched.json()["collection"]["filters"] == {"media_type": "image"}
    assert member_ids(api, smart["id"]) == [image["asset_id"]]
    assert_error(
        api.patch(f"/assets/collections/{create(api)['id']}", json={"filters": {}}), 422, "validation_error"
    )


# -- nesting, move, hierarchy --------------------------------------------------------------------------------


def test_nesting_is_limited_to_five_levels(fal_fake: FakeFal, api: httpx.Client) -> None:
    levels = chain(api, 5)
    assert levels[-1]["parent_collection_id"] == levels[-2]["id"]
    too_deep = api.post("/assets/collections", json={"name": "6", "parent_collection_id": levels[-1]["id"]})
    assert_error(too_deep, 422, "validation_error", "parent_collection_id: collections nest at most 5 levels")
    assert len(fal_fake.collections) == 5


def test_only_manual_collections_nest(fal_fake: FakeFal, api: httpx.Client) -> None:
    smart = create(api, "Smart", filters={"q": "cat"})
    alice = fal_fake.add_character(name="Alice")
    for parent in (smart["id"], alice["id"]):
        response = api.post("/assets/collections", json={"name": "x", "parent_collection_id": parent})
        assert_error(response, 422, "validation_error", "only manual collections")
    nested_smart = {"name": "x", "filters": {"q": "dog"}, "parent_collection_id": create(api)["id"]}
    assert_error(api.post("/assets/collections", json=nested_smart), 422, "validation_error")
    missing = api.post("/assets/collections", json={"name": "x", "parent_collection_id": "nope"})
    assert_error(missing, 404, "not_found")


def test_move_validates_cycles_depth_and_kinds(fal_fake: FakeFal, api: httpx.Client) -> None:
    top, middle, leaf = chain(api, 3)
    deep = chain(api, 4)

    def move(cid: str, parent: str | None) -> httpx.Response:
        return api.post(f"/assets/collections/{cid}/move", json={"parent_collection_id": parent})

    assert_error(move(top["id"], top["id"]), 422, "validation_error", "parent_collection_id")
    assert_error(move(top["id"], leaf["id"]), 422, "validation_error", "descendants")
    # top's subtree is 3 levels deep: under a collection at depth 3 it would reach 6.
    assert_error(move(top["id"], deep[2]["id"]), 422, "validation_error", "5 levels")
    assert_error(move(top["id"], "nope"), 404, "not_found")
    assert_error(move("nope", None), 404, "not_found")
    alice = fal_fake.add_character(name="Alice")
    assert_error(move(alice["id"], None), 422, "validation_error", "only manual collections can be moved")
    assert_error(move(top["id"], alice["id"]), 422, "validation_error")
    missing_field = api.post(f"/assets/collections/{top['id']}/move", json={})
    assert_error(missing_field, 422, "validation_error", "parent_collection_id: Field required")
    assert all(c["parent_collection_id"] is None for c in (top,))  # nothing moved so far
    moved = move(top["id"], deep[1]["id"])  # 2 + 3 = 5 levels: allowed
    assert moved.status_code == 200 and moved.json()["collection"]["parent_collection_id"] == deep[1]["id"]
    assert fal_fake.collections[leaf["id"]]["parent_collection_id"] == middle["id"]
    back = move(top["id"], None)
    assert back.json()["collection"]["parent_collection_id"] is None


def test_hierarchy_gives_the_subtree_and_the_ancestors(fal_fake: FakeFal, api: httpx.Client) -> None:
    top, middle, leaf = chain(api, 3)
    sibling = create(api, "sibling", parent_collection_id=middle["id"])
    body = api.get(f"/assets/collections/{middle['id']}/hierarchy").json()
    assert body["ancestors"] == [{"id": top["id"], "name": "level 1", "type": "manual"}]
    assert body["hierarchy"] == {
        "id": middle["id"],
        "name": "level 2",
        "type": "manual",
        "children": [
            {"id": leaf["id"], "name": "level 3", "type": "manual", "children": []},
            {"id": sibling["id"], "name": "sibling", "type": "manual", "children": []},
        ],
    }
    alice = fal_fake.add_character(name="Alice")
    character_tree = api.get(f"/assets/collections/{alice['id']}/hierarchy").json()
    assert character_tree == {
        "hierarchy": {"id": alice["id"], "name": "Alice", "type": "character", "children": []},
        "ancestors": [],
    }


def test_favorite_and_unfavorite_a_collection(fal_fake: FakeFal, api: httpx.Client) -> None:
    folder = create(api)
    favored = api.post(f"/assets/collections/{folder['id']}/favorite")
    assert favored.status_code == 200 and favored.json()["collection"]["is_favorited"] is True
    assert fal_fake.collections[folder["id"]]["is_favorited"] is True
    assert (
        api.post(f"/assets/collections/{folder['id']}/unfavorite").json()["collection"]["is_favorited"]
        is False
    )


# -- membership ----------------------------------------------------------------------------------------------


def test_add_list_and_remove_assets(fal_fake: FakeFal, api: httpx.Client) -> None:
    folder = create(api)
    cid = folder["id"]
    first, second = fal_fake.add_asset(prompt="a cat"), fal_fake.add_asset(type="video", prompt="a dog")
    fal_fake.add_asset()
    for ref in ({"asset_id": first["asset_id"]}, {"vector_id": second["vector_id"]}):
        added = api.post(f"/assets/collections/{cid}/assets", json=ref)
        assert added.status_code == 200 and added.json() == {"success": True}
    api.post(f"/assets/collections/{cid}/assets", json={"asset_id": first["asset_id"]})  # twice: still once
    assert sorted(member_ids(api, cid)) == sorted([first["asset_id"], second["asset_id"]])
    assert member_ids(api, cid, media_type="video") == [second["asset_id"]]
    assert member_ids(api, cid, q="cat") == [first["asset_id"]]
    assert api.get(f"/assets/collections/{cid}").json()["collection"]["asset_count"] == 2
    assert fal_fake.assets[first["asset_id"]]["collection_ids"] == [cid]
    assert [a["asset_id"] for a in api.get("/assets", params={"collection_id": cid}).json()["assets"]] == [
        second["asset_id"],
        first["asset_id"],
    ]
    removed = api.request(
        "DELETE", f"/assets/collections/{cid}/assets", json={"request_id": first["request_id"]}
    )
    assert removed.status_code == 204 and member_ids(api, cid) == [second["asset_id"]]
    again = api.request("DELETE", f"/assets/collections/{cid}/assets", json={"asset_id": first["asset_id"]})
    assert again.status_code == 204
    bad = api.post(f"/assets/collections/{cid}/assets", json={"asset_id": "a", "request_id": "b"})
    assert_error(bad, 422, "validation_error", "exactly one")


def test_collection_assets_page_with_cursors(fal_fake: FakeFal, api: httpx.Client) -> None:
    cid = create(api)["id"]
    for _ in range(3):
        api.post(f"/assets/collections/{cid}/assets", json={"asset_id": fal_fake.add_asset()["asset_id"]})
    first = api.get(f"/assets/collections/{cid}/assets", params={"limit": 2}).json()
    assert first["has_more"] is True and first["total_count"] == 3 and len(first["assets"]) == 2
    rest = api.get(
        f"/assets/collections/{cid}/assets", params={"limit": 2, "cursor": first["next_cursor"]}
    ).json()
    assert rest["has_more"] is False and rest["next_cursor"] is None and len(rest["assets"]) == 1


def test_character_collections_hold_linked_and_mentioning_assets(
    fal_fake: FakeFal, api: httpx.Client
) -> None:
    alice = fal_fake.add_character(name="Alice", character_identifier="alice")
    linked = fal_fake.add_asset(prompt="portrait")
    mention = fal_fake.add_asset(prompt="@alice on a bike")
    fal_fake.add_asset(prompt="@alicia, someone else")
    assert (
        api.post(
            f"/assets/collections/{alice['id']}/assets", json={"asset_id": linked["asset_id"]}
        ).status_code
        == 200
    )
    assert sorted(member_ids(api, alice["id"])) == sorted([linked["asset_id"], mention["asset_id"]])
    by_identifier = api.get("/assets", params={"character_identifier": "alice"}).json()["assets"]
    assert sorted(a["asset_id"] for a in by_identifier) == sorted([linked["asset_id"], mention["asset_id"]])
    assert fal_fake.assets[linked["asset_id"]]["collection_ids"] == [alice["id"]]
