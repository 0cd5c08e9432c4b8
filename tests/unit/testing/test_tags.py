"""FakeFal's tag operations over real HTTP (raw httpx): the tag list, assignment by any reference, the
per-asset tag list and its full replacement, and the tag filters of listAssets."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fal_assets.testing import FakeFal

from tests.library_support import JSONDict, api_client, assert_error


@pytest.fixture
def api(fal_fake: FakeFal) -> Iterator[httpx.Client]:
    with api_client(fal_fake) as client:
        yield client


def new_tag(api: httpx.Client, name: str) -> JSONDict:
    response = api.post("/assets/tags", json={"name": name})
    assert response.status_code == 201, response.text
    tag: JSONDict = response.json()["tag"]
    return tag


def tag_names(api: httpx.Client, asset_id: str) -> list[str]:
    return [t["name"] for t in api.get(f"/assets/{asset_id}/tags").json()["tags"]]


def test_create_list_update_delete(fal_fake: FakeFal, api: httpx.Client) -> None:
    mood = new_tag(api, "moodboard")
    assert set(mood) == {"id", "name", "created_at"} and mood["name"] == "moodboard"
    hero = new_tag(api, "hero")
    assert api.get("/assets/tags").json() == {"tags": [mood, hero]}
    renamed = api.patch(f"/assets/tags/{mood['id']}", json={"name": "campaign"})
    assert renamed.status_code == 200 and renamed.json()["tag"] == {**mood, "name": "campaign"}
    assert api.patch(f"/assets/tags/{mood['id']}", json={}).json()["tag"]["name"] == "campaign"
    assert api.delete(f"/assets/tags/{mood['id']}").status_code == 204
    assert list(fal_fake.tags) == [hero["id"]]
    assert_error(api.delete(f"/assets/tags/{mood['id']}"), 404, "not_found", "Tag not found")
    assert_error(api.patch("/assets/tags/nope", json={"name": "x"}), 404, "not_found")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "name: Field required"),
        ({"name": ""}, "at least 1"),
        ({"name": "n" * 51}, "at most 50"),
        ({"name": 1}, "string"),
    ],
)
def test_tag_names_are_validated(fal_fake: FakeFal, api: httpx.Client, body: JSONDict, message: str) -> None:
    assert_error(api.post("/assets/tags", json=body), 422, "validation_error", message)
    assert fal_fake.tags == {}


def test_tag_names_are_unique_ignoring_case(api: httpx.Client) -> None:
    tag = new_tag(api, "Moodboard")
    new_tag(api, "n" * 50)
    assert_error(
        api.post("/assets/tags", json={"name": "moodboard"}), 409, "validation_error", "already exists"
    )
    other = new_tag(api, "other")
    assert_error(
        api.patch(f"/assets/tags/{other['id']}", json={"name": "MOODBOARD"}), 409, "validation_error"
    )
    assert api.patch(f"/assets/tags/{tag['id']}", json={"name": "moodboard"}).status_code == 200


def test_assign_and_unassign_by_any_reference(fal_fake: FakeFal, api: httpx.Client) -> None:
    tag = new_tag(api, "hero")
    asset = fal_fake.add_asset()
    for key in ("asset_id", "vector_id", "request_id"):
        for _ in range(2):
            assigned = api.post(f"/assets/tags/{tag['id']}/assign", json={key: asset[key]})
            assert assigned.status_code == 200 and assigned.json() == {"success": True}
        assert tag_names(api, asset["asset_id"]) == ["hero"]  # assigning twice keeps one
        assert fal_fake.assets[asset["asset_id"]]["tags"] == [tag]
        unassigned = api.request("DELETE", f"/assets/tags/{tag['id']}/assign", json={key: asset[key]})
        assert unassigned.status_code == 204
        assert tag_names(api, asset["asset_id"]) == []
    assert_error(api.post("/assets/tags/nope/assign", json={"asset_id": asset["asset_id"]}), 404, "not_found")
    assert_error(
        api.post(f"/assets/tags/{tag['id']}/assign", json={}), 422, "validation_error", "exactly one"
    )


def test_assigning_to_an_unknown_vector_id_materializes_the_asset(
    fal_fake: FakeFal, api: httpx.Client
) -> None:
    tag = new_tag(api, "hero")
    vector_id = "019e6d0a-e5be-7b82-b329-35ae64296902"
    assert api.post(f"/assets/tags/{tag['id']}/assign", json={"vector_id": vector_id}).status_code == 200
    (asset,) = fal_fake.assets.values()
    assert asset["vector_id"] == vector_id and asset["tags"] == [tag]
    # listAssetTagsForAsset takes the asset ID or the vector ID; an unknown asset has no tags (not a 404).
    assert tag_names(api, vector_id) == ["hero"] == tag_names(api, asset["asset_id"])
    assert api.get("/assets/unknown/tags").json() == {"tags": []}


def test_set_tags_replaces_the_whole_set(fal_fake: FakeFal, api: httpx.Client) -> None:
    a, b, c = (new_tag(api, name) for name in "abc")
    asset = fal_fake.add_asset()
    ref = {"asset_id": asset["asset_id"]}
    response = api.put("/assets/tags", json={**ref, "tag_ids": [b["id"], a["id"], b["id"]]})
    assert response.status_code == 200 and response.json() == {"tags": [b, a]}
    assert api.put("/assets/tags", json={**ref, "tag_ids": [c["id"]]}).json() == {"tags": [c]}
    assert_error(api.put("/assets/tags", json={**ref, "tag_ids": [a["id"], "nope"]}), 404, "not_found")
    assert tag_names(api, asset["asset_id"]) == ["c"]  # the failed call changed nothing
    assert_error(api.put("/assets/tags", json=ref), 422, "validation_error", "tag_ids: Field required")
    assert_error(api.put("/assets/tags", json={"tag_ids": []}), 422, "validation_error", "exactly one")
    assert api.put("/assets/tags", json={**ref, "tag_ids": []}).json() == {"tags": []}


def test_deleting_a_tag_removes_it_from_every_asset(fal_fake: FakeFal, api: httpx.Client) -> None:
    tag = new_tag(api, "gone")
    assets = [fal_fake.add_asset() for _ in range(2)]
    for asset in assets:
        api.post(f"/assets/tags/{tag['id']}/assign", json={"asset_id": asset["asset_id"]})
    api.delete(f"/assets/tags/{tag['id']}")
    assert all(a["tags"] == [] for a in fal_fake.assets.values())


def test_list_assets_filters_by_tags_any_or_all(fal_fake: FakeFal, api: httpx.Client) -> None:
    red, blue = new_tag(api, "red"), new_tag(api, "blue")
    only_red, both = fal_fake.add_asset(), fal_fake.add_asset()
    fal_fake.add_asset()
    api.put("/assets/tags", json={"asset_id": only_red["asset_id"], "tag_ids": [red["id"]]})
    api.put("/assets/tags", json={"asset_id": both["asset_id"], "tag_ids": [red["id"], blue["id"]]})

    def listed(**params: object) -> set[str]:
        return {a["asset_id"] for a in api.get("/assets", params=params).json()["assets"]}  # type: ignore[arg-type]

    assert listed(tag_id=[red["id"], blue["id"]]) == {only_red["asset_id"], both["asset_id"]}
    assert listed(tag_id=[red["id"], blue["id"]], tag_mode="all") == {both["asset_id"]}
    assert listed(tag_id=blue["id"]) == {both["asset_id"]}
    assert listed(tag_id="unknown") == set()
