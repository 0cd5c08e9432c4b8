"""Replies as fal really sends them (facade/fal_assets/_replies.py and the generated reply models): tolerant
by default, strict on request, and what fails either way."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fal_assets import APIResponseValidationError, AsyncFalAssets, FalAssets
from fal_assets.testing import FakeFal
from fal_assets_api.models.character_type import CharacterType

from tests import paths
from tests.library_support import png
from tests.support import async_client, sync_client

ROOT = paths.ROOT
# fal's docs page for the core endpoint, copied from the workspace's shared/seed/ so that a clone anywhere has
# it (test_the_seed_page_copy_is_current keeps the copy in step when the original is beside the clone).
SEED_PAGE = paths.FIXTURES / "update-asset-character.txt"
SHARED_SEED_PAGE = ROOT.parent / "shared" / "seed" / "update-asset-character.txt"
CHARACTER_ID = "d7tatpsregjaga2cf3d0"


def seed_reply() -> dict[str, Any]:
    """The example reply on fal's docs page for PATCH /assets/characters/{id}, as the page shows it."""
    text = SEED_PAGE.read_text(encoding="utf-8")
    reply, _ = json.JSONDecoder().raw_decode(text, text.index('{\n  "character"'))
    assert isinstance(reply, dict)
    return reply


def test_the_seed_page_copy_is_current() -> None:
    if not SHARED_SEED_PAGE.exists():
        pytest.skip(f"the original docs page is not beside this clone ({SHARED_SEED_PAGE})")
    assert SEED_PAGE.read_bytes() == SHARED_SEED_PAGE.read_bytes(), "copy shared/seed/ into tests/fixtures/"


def tolerant(fake: FakeFal) -> FalAssets:
    return sync_client(fake, strict_response_validation=False)


def canned(
    fake: FakeFal, body: Any, *, status: int = 200, path: str | None = None, method: str | None = None
) -> None:
    fake.fail_next(1, status, body=body, path=path, method=method)


# -- the seed ----------------------------------------------------------------------------------------------

SEED_CALLS: dict[str, tuple[int, str, Callable[[Any], Any]]] = {
    "update": (200, "PATCH", lambda c: c.characters.update(CHARACTER_ID, name="Alice")),
    "get": (200, "GET", lambda c: c.characters.get(CHARACTER_ID)),
    "create": (
        201,
        "POST",
        lambda c: c.characters.create(name="Alice", description="d", reference_images=["ref-id"]),
    ),
    "favorite": (200, "POST", lambda c: c.characters.favorite(CHARACTER_ID)),
    "unfavorite": (200, "POST", lambda c: c.characters.unfavorite(CHARACTER_ID)),
}


def assert_is_seed_character(character: Any) -> None:
    expected = seed_reply()["character"]
    assert character.id == expected["id"]
    assert character.type_ is CharacterType.CHARACTER
    assert character.name == "Alice"
    assert character.parent_collection_id is None  # the example leaves it out
    assert character.reference_images == expected["reference_images"]
    assert character.created_at.isoformat() == "2026-05-23T20:00:00+00:00"
    assert character.to_dict()["cover_image_url"] == expected["cover_image_url"]


@pytest.mark.parametrize("call", sorted(SEED_CALLS))
def test_the_seed_example_reply_parses_on_every_character_operation(fal_fake: FakeFal, call: str) -> None:
    status, method, run = SEED_CALLS[call]
    with tolerant(fal_fake) as client:
        canned(fal_fake, seed_reply(), status=status, path=r"/assets/characters", method=method)
        assert_is_seed_character(run(client))


@pytest.mark.anyio
@pytest.mark.parametrize("call", sorted(SEED_CALLS))
async def test_the_seed_example_reply_parses_on_every_character_operation_async(
    fal_fake: FakeFal, call: str
) -> None:
    status, method, run = SEED_CALLS[call]
    async with async_client(fal_fake, strict_response_validation=False) as client:
        assert isinstance(client, AsyncFalAssets)
        canned(fal_fake, seed_reply(), status=status, path=r"/assets/characters", method=method)
        assert_is_seed_character(await run(client))


def test_strict_mode_refuses_the_seed_example_and_names_the_field(fal_fake: FakeFal) -> None:
    with tolerant(fal_fake) as loose:
        strict = loose.with_options(strict_response_validation=True)
        canned(fal_fake, seed_reply(), path=r"/assets/characters")
        with pytest.raises(APIResponseValidationError, match=r"character\.parent_collection_id: missing"):
            strict.characters.get(CHARACTER_ID)
        # The clone is strict; the client it came from is not.
        canned(fal_fake, seed_reply(), path=r"/assets/characters")
        assert loose.characters.get(CHARACTER_ID).id == CHARACTER_ID
    with sync_client(fal_fake, strict_response_validation=True) as client:
        canned(fal_fake, seed_reply(), path=r"/assets/characters")
        with pytest.raises(APIResponseValidationError):
            client.characters.get(CHARACTER_ID)


# -- drift that must parse ---------------------------------------------------------------------------------


def lineage_with_a_prop() -> dict[str, Any]:
    prop = {
        "kind": "entity",
        "id": "entity:p1",
        "entity_id": "p1",
        "entity_type": "creature",
        "name": "Red umbrella",
        "handle": "umbrella",
        "tombstone": False,
    }
    asset = {
        "kind": "asset",
        "id": "asset:a1",
        "asset_id": "a1",
        "vector_id": "v1",
        "type": "image",
        "url": "https://v3b.fal.media/files/a.png",
        "title": None,
        "tombstone": False,
    }
    edge = {
        "from": "entity:p1",
        "to": "asset:a1",
        "kind": "referenced_entity",
        "role": None,
        "entities": [{"entity_id": "p1", "entity_type": "creature", "handle": "umbrella"}],
    }
    workflow = {"kind": "workflow", "id": "workflow:w1"}
    return {"lineage": {"focus": "asset:a1", "nodes": [prop, asset, workflow], "edges": [edge]}}


def test_a_lineage_with_a_prop_parses_and_reads_prop(
    fal_fake: FakeFal, caplog: pytest.LogCaptureFixture
) -> None:
    with tolerant(fal_fake) as client, caplog.at_level(logging.WARNING, "fal_assets"):
        canned(fal_fake, lineage_with_a_prop(), path=r"/lineage")
        lineage = client.assets.lineage("a1")
    prop, asset, workflow = lineage.nodes
    assert not isinstance(prop, dict) and not isinstance(asset, dict)
    assert prop.entity_type == "creature" and prop.to_dict()["entity_type"] == "creature"
    assert lineage.edges[0].entities[0].entity_type == "creature"
    # A node kind the spec does not know is kept whole, as the object fal sent.
    assert workflow == {"kind": "workflow", "id": "workflow:w1"}
    logged = [r.getMessage() for r in caplog.records if r.name == "fal_assets"]
    assert any("getAssetLineage" in m and "lineage.nodes[].entity_type" in m for m in logged)
    assert any("lineage.nodes[].kind" in m and "'workflow'" in m for m in logged)


def drifted_list_items(client: FalAssets, fal_fake: FakeFal) -> None:
    """Upload two assets and make a collection and a character, so the listings below have real items."""
    client.assets.upload(png(4, 4), prompt="one")
    client.assets.upload(png(5, 5), prompt="two")
    client.collections.create("album")
    client.characters.create(name="A", description="d", reference_images=["ref-id"])


def test_drifted_list_items_come_back_in_full(fal_fake: FakeFal) -> None:
    with tolerant(fal_fake) as client:
        drifted_list_items(client, fal_fake)
        page = client.assets.list()
        assets = [a.to_dict() for a in page.assets]
        assets[0].update(type="document", title=None)
        del assets[1]["created_at"]
        canned(fal_fake, {**page.to_dict(), "assets": assets}, path=r"/assets$")
        got = client.assets.list().assets
        assert [a.asset_id for a in got] == [a["asset_id"] for a in assets]
        assert got[0].type_ == "document" and got[0].title is None
        assert got[1].created_at is None and got[1].prompt == assets[1]["prompt"]

        collections = [c.to_dict() for c in client.collections.list()]
        collections[0]["type"] = "smart_folder"
        canned(fal_fake, {"collections": collections}, path=r"/assets/collections$")
        assert client.collections.list()[0].type_ == "smart_folder"

        character = client.characters.list()[0].to_dict()
        canned(fal_fake, {"characters": [{**character, "is_favorited": None}]}, path=r"/assets/characters$")
        (got_character,) = client.characters.list()
        assert got_character.is_favorited is None and got_character.name == "A"


def test_each_difference_is_logged_once_per_operation_and_field(
    fal_fake: FakeFal, caplog: pytest.LogCaptureFixture
) -> None:
    with tolerant(fal_fake) as client, caplog.at_level(logging.WARNING, "fal_assets"):
        character = client.characters.create(name="A", description="d", reference_images=["ref-id"])
        body = {"character": {**character.to_dict(), "name": None, "type": "prop", "brand_new": 1}}
        for _ in range(3):
            canned(fal_fake, body, path=r"/assets/characters/", method="GET")
            got = client.characters.get(character.id)
            assert got.name is None and got.type_ == "prop" and got["brand_new"] == 1
    lines = [r for r in caplog.records if r.name == "fal_assets" and r.levelno == logging.WARNING]
    fields = sorted(m.getMessage().split(" at ")[1].split(" ")[0] for m in lines)
    assert fields == ["character.name", "character.type"]  # unknown fields are not drift: they are kept
    assert all(r.getMessage().startswith("getAssetCharacter:") for r in lines)


# -- what still fails ----------------------------------------------------------------------------------------


def _character(fake: FakeFal, client: FalAssets) -> dict[str, Any]:
    return client.characters.create(name="A", description="d", reference_images=["ref-id"]).to_dict()


STILL_FAILS: dict[str, Callable[[dict[str, Any]], bytes]] = {
    "not JSON": lambda c: b"{not json",
    "not an object": lambda c: json.dumps([{"character": c}]).encode(),
    "missing wrapper": lambda c: json.dumps({"characters": c}).encode(),
    "wrapper is null": lambda c: json.dumps({"character": None}).encode(),
    "no identity": lambda c: json.dumps({"character": {k: v for k, v in c.items() if k != "id"}}).encode(),
    "list field not a list": lambda c: json.dumps({"character": {**c, "reference_images": "x"}}).encode(),
    "id is a number": lambda c: json.dumps({"character": {**c, "id": 7}}).encode(),
    "wrong type": lambda c: json.dumps({"character": {**c, "is_favorited": "yes"}}).encode(),
    "deeply nested": lambda c: b'{"character": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
}


@pytest.mark.parametrize("strict", [False, True], ids=["tolerant", "strict"])
@pytest.mark.parametrize("case", sorted(STILL_FAILS))
def test_what_still_fails_raises_with_status_and_request_id(
    fal_fake: FakeFal, case: str, strict: bool
) -> None:
    with sync_client(fal_fake, strict_response_validation=strict) as client:
        body = STILL_FAILS[case](_character(fal_fake, client))
        canned(fal_fake, body, path=r"/assets/characters/", method="GET")
        with pytest.raises(APIResponseValidationError) as caught:
            client.characters.get("some-id")
    assert caught.value.status_code == 200
    assert caught.value.request_id  # the fake's x-fal-request-id
    assert "getAssetCharacter" in str(caught.value)


def test_an_asset_needs_one_of_its_identities(fal_fake: FakeFal) -> None:
    with tolerant(fal_fake) as client:
        asset = client.assets.upload(png(4, 4), prompt="one").to_dict()
        assert asset["asset_id"] is not None
        canned(fal_fake, {"asset": {**asset, "vector_id": None}}, path=r"/assets/")
        assert client.assets.get("x").asset_id == asset["asset_id"]
        canned(fal_fake, {"asset": {**asset, "vector_id": None, "asset_id": None}}, path=r"/assets/")
        with pytest.raises(APIResponseValidationError, match=r"asset: an object without its identity"):
            client.assets.get("x")


def test_a_bad_item_is_named_by_its_index(fal_fake: FakeFal) -> None:
    with tolerant(fal_fake) as client:
        good = _character(fal_fake, client)
        canned(fal_fake, {"characters": [good, good, {**good, "id": None}]}, path=r"/assets/characters")
        with pytest.raises(APIResponseValidationError, match=r"characters\[2\]\.id: expected a string"):
            client.characters.list()


# -- strict rejects what tolerant accepts --------------------------------------------------------------------

TOLERATED: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "missing field": lambda c: {k: v for k, v in c.items() if k != "description"},
    "null": lambda c: {**c, "created_at": None},
    "unknown enum value": lambda c: {**c, "type": "prop"},
}


@pytest.mark.parametrize("case", sorted(TOLERATED))
def test_strict_mode_rejects_what_tolerant_mode_accepts(fal_fake: FakeFal, case: str) -> None:
    with tolerant(fal_fake) as client:
        body = {"character": TOLERATED[case](_character(fal_fake, client))}
        canned(fal_fake, body, path=r"/assets/characters/", method="GET")
        assert client.characters.get("x").id == body["character"]["id"]
        canned(fal_fake, body, path=r"/assets/characters/", method="GET")
        with pytest.raises(APIResponseValidationError):
            client.with_options(strict_response_validation=True).characters.get("x")


@pytest.mark.anyio
async def test_async_strict_option(fal_fake: FakeFal) -> None:
    async with async_client(fal_fake, strict_response_validation=True) as client:
        canned(fal_fake, seed_reply(), path=r"/assets/characters")
        with pytest.raises(APIResponseValidationError):
            await client.characters.get(CHARACTER_ID)
        canned(fal_fake, seed_reply(), path=r"/assets/characters")
        loose = client.with_options(strict_response_validation=False)
        assert (await loose.characters.get(CHARACTER_ID)).id == CHARACTER_ID


# -- corrupt_next("drifted") across every operation ----------------------------------------


@pytest.fixture
def drifting(fal_fake: FakeFal) -> Iterator[FalAssets]:
    with tolerant(fal_fake) as client:
        yield client


def test_every_operation_reads_a_drifted_reply(fal_fake: FakeFal, drifting: FalAssets) -> None:
    """Every wrapped operation, each reply drifted: nothing fails, identities hold, enums read 'drifted'."""
    client = drifting
    fal_fake.corrupt_next("drifted", 10_000)
    tag = client.tags.create("people")
    client.tags.update(tag.id, "persons")
    client.tags.list()
    asset = client.assets.upload(png(8, 8), prompt="red", tag_ids=[tag.id])
    assert asset.asset_id is not None and asset.type_ == "drifted"
    assert asset.is_favorited is None  # a boolean sent as null
    client.assets.get(asset.asset_id)
    client.assets.lineage(asset.asset_id)
    client.assets.list()
    list(client.assets.iter())
    list(client.assets.search("red"))
    client.assets.favorite(asset_id=asset.asset_id)
    client.assets.unfavorite(asset_id=asset.asset_id)
    client.assets.tags(asset.asset_id)
    client.assets.set_tags([tag.id], asset_id=asset.asset_id)
    client.tags.assign(tag.id, asset_id=asset.asset_id)
    client.tags.unassign(tag.id, asset_id=asset.asset_id)
    album = client.collections.create("album")
    child = client.collections.create("child", parent_collection_id=album.id)
    client.collections.get(album.id)
    client.collections.update(album.id, name="album 2")
    client.collections.add(album.id, asset_id=asset.asset_id)
    list(client.collections.assets(album.id))
    client.collections.remove(album.id, asset_id=asset.asset_id)
    client.collections.hierarchy(album.id)
    client.collections.favorite(album.id)
    client.collections.unfavorite(album.id)
    client.collections.move(child.id, None)
    client.collections.list()
    client.collections.delete(child.id)
    character = client.characters.create(name="A", description="d", reference_images=["ref-id"])
    assert character.type_ == "drifted" and character.name == "A"
    client.characters.get(character.id)
    client.characters.update(character.id, name="B")
    client.characters.favorite(character.id)
    client.characters.unfavorite(character.id)
    client.characters.list()
    client.characters.delete(character.id)
    entity = client.entities.create(type="prop", name="P", reference_images=["ref-id"])
    assert entity.type_ == "drifted" and entity.name == "P"
    client.entities.get(entity.id)
    client.entities.update(entity.id, name="Q")
    client.entities.list(types="prop")
    client.entities.delete(entity.id)
    assert asset.url is not None
    client.storage.set_acl(asset.url, default="forbid")
    assert client.storage.get_acl(asset.url).default == "forbid"  # top-level fields are kept
    client.storage.sign(asset.url, expires_in=60)
    client.storage.get_settings()
    client.storage.update_settings(expiration_duration_seconds=3600)
    client.tags.delete(tag.id)
    wrapped = {op for op, count in fal_fake.counts.items() if count and op in _spec_operations()}
    assert wrapped == _spec_operations()


def _spec_operations() -> set[str]:
    from fal_assets._core import spec as _spec

    return {
        operation["operationId"]
        for item in _spec.document()["paths"].values()
        for method, operation in item.items()
        if method in ("get", "put", "post", "patch", "delete")
    }


def test_drifted_replies_differ_from_the_spec(fal_fake: FakeFal) -> None:
    """corrupt_next('drifted') really drifts: strict mode refuses what it sends."""
    with sync_client(fal_fake, strict_response_validation=True) as client:
        character = client.characters.create(name="A", description="d", reference_images=["ref-id"])
        fal_fake.corrupt_next("drifted", path=r"/assets/characters/", method="GET")
        with pytest.raises(APIResponseValidationError):
            client.characters.get(character.id)
        raw = fal_fake.requests[-1]
        assert raw.operation == "getAssetCharacter"


# -- characters as code on drifted listings ------------------------------------------------------------------


def _summary(plan: Any) -> list[Any]:
    changes = [
        (c.action, c.identifier, c.drift, [(f.field, f.before, f.after) for f in c.fields])
        for c in plan.changes
    ]
    return [*changes, *sorted(s.label for s in plan.uploads)]


def test_plan_against_a_drifted_listing_shows_the_same_plan(fal_fake: FakeFal, tmp_path: Path) -> None:
    from tests.plan_support import write_cast

    manifest = write_cast(tmp_path)
    with tolerant(fal_fake) as client:
        fresh = _summary(client.characters.plan(manifest))
        fal_fake.corrupt_next("drifted", 1_000, path=r"/assets/characters")
        assert _summary(client.characters.plan(manifest)) == fresh
        fal_fake.reset()

        client.characters.apply(client.characters.plan(manifest))
        alice = next(c for c in client.characters.iter() if c.character_identifier == "alice")
        client.characters.update(alice.id, description="Edited on fal")
        edited = _summary(client.characters.plan(manifest))
        assert [change[:2] for change in edited] == [("update", "alice")]
        fal_fake.corrupt_next("drifted", 1_000, path=r"/assets/characters")
        assert _summary(client.characters.plan(manifest)) == edited
        listed = client.characters.list()  # the listing plan read was drifted indeed
        assert listed and all(c.type_ == "drifted" and "drifted_field" in c for c in listed)
        assert fal_fake.counts["listAssetCharacters"] >= 1
        fal_fake.reset()

        client.characters.apply(client.characters.plan(manifest))
        fal_fake.corrupt_next("drifted", 1_000, path=r"/assets/characters")
        assert not client.characters.plan(manifest).has_changes


def test_the_readme_drift_example_runs_as_written() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Forward compatibility", 1)[1].split("\n## ", 1)[0]
    (example,) = [block.split("```", 1)[0] for block in section.split("```python\n")[1:]]
    exec(compile(example, "README.md: Forward compatibility", "exec"), {})  # noqa: S102 -- our README


# -- every operation: drifted parses, broken fails ------------------------------------------------


class Cast:
    """One of everything, made before the reply under test is corrupted."""

    def __init__(self, client: FalAssets) -> None:
        self.tag = client.tags.create("people")
        self.asset = client.assets.upload(png(6, 6), prompt="red", tag_ids=[self.tag.id])
        assert self.asset.asset_id is not None and self.asset.url is not None
        self.asset_id, self.url = self.asset.asset_id, self.asset.url
        self.album = client.collections.create("album")
        self.child = client.collections.create("child", parent_collection_id=self.album.id)
        client.collections.add(self.album.id, asset_id=self.asset_id)
        self.character = client.characters.create(name="A", description="d", reference_images=["ref-id"])
        self.entity = client.entities.create(type="prop", name="P", reference_images=["ref-id"])


OPERATION_CALLS: dict[str, Callable[[FalAssets, Cast], Any]] = {
    "listAssetCharacters": lambda c, x: c.characters.list(),
    "createAssetCharacter": lambda c, x: c.characters.create(
        name="B", description="d", reference_images=["r"]
    ),
    "getAssetCharacter": lambda c, x: c.characters.get(x.character.id),
    "updateAssetCharacter": lambda c, x: c.characters.update(x.character.id, name="B"),
    "deleteAssetCharacter": lambda c, x: c.characters.delete(x.character.id),
    "favoriteAssetCharacter": lambda c, x: c.characters.favorite(x.character.id),
    "unfavoriteAssetCharacter": lambda c, x: c.characters.unfavorite(x.character.id),
    "listAssetEntities": lambda c, x: c.entities.list(types="prop"),
    "createAssetEntity": lambda c, x: c.entities.create(type="style", name="S", reference_images=["r"]),
    "getAssetEntity": lambda c, x: c.entities.get(x.entity.id),
    "updateAssetEntity": lambda c, x: c.entities.update(x.entity.id, name="Q"),
    "deleteAssetEntity": lambda c, x: c.entities.delete(x.entity.id),
    "listAssets": lambda c, x: c.assets.list(),
    "getAsset": lambda c, x: c.assets.get(x.asset_id),
    "getAssetLineage": lambda c, x: c.assets.lineage(x.asset_id),
    "favoriteAsset": lambda c, x: c.assets.favorite(asset_id=x.asset_id),
    "unfavoriteAsset": lambda c, x: c.assets.unfavorite(asset_id=x.asset_id),
    "uploadAsset": lambda c, x: c.assets.upload(x.url, prompt="again"),
    "listAssetTagsForAsset": lambda c, x: c.assets.tags(x.asset_id),
    "setAssetTagsForAsset": lambda c, x: c.assets.set_tags([x.tag.id], asset_id=x.asset_id),
    "listAssetCollections": lambda c, x: c.collections.list(),
    "createAssetCollection": lambda c, x: c.collections.create("another"),
    "getAssetCollection": lambda c, x: c.collections.get(x.album.id),
    "updateAssetCollection": lambda c, x: c.collections.update(x.album.id, name="renamed"),
    "deleteAssetCollection": lambda c, x: c.collections.delete(x.child.id),
    "getAssetCollectionHierarchy": lambda c, x: c.collections.hierarchy(x.album.id),
    "favoriteAssetCollection": lambda c, x: c.collections.favorite(x.album.id),
    "unfavoriteAssetCollection": lambda c, x: c.collections.unfavorite(x.album.id),
    "moveAssetCollection": lambda c, x: c.collections.move(x.child.id, None),
    "listAssetCollectionAssets": lambda c, x: list(c.collections.assets(x.album.id)),
    "addAssetToCollection": lambda c, x: c.collections.add(x.child.id, asset_id=x.asset_id),
    "removeAssetFromCollection": lambda c, x: c.collections.remove(x.album.id, asset_id=x.asset_id),
    "listAssetTags": lambda c, x: c.tags.list(),
    "createAssetTag": lambda c, x: c.tags.create("another"),
    "updateAssetTag": lambda c, x: c.tags.update(x.tag.id, "renamed"),
    "deleteAssetTag": lambda c, x: c.tags.delete(x.tag.id),
    "assignAssetTag": lambda c, x: c.tags.assign(x.tag.id, asset_id=x.asset_id),
    "unassignAssetTag": lambda c, x: c.tags.unassign(x.tag.id, asset_id=x.asset_id),
    "getStorageFileAcl": lambda c, x: c.storage.get_acl(x.url),
    "setStorageFileAcl": lambda c, x: c.storage.set_acl(x.url, default="forbid"),
    "signStorageFileUrl": lambda c, x: c.storage.sign(x.url, expires_in=60),
    "getStorageSettings": lambda c, x: c.storage.get_settings(),
    "updateStorageSettings": lambda c, x: c.storage.update_settings(expiration_duration_seconds=60),
}


def spec_operations_with_bodies() -> dict[str, tuple[str, str, int, bool]]:
    """operationId -> (method, path regex, success status, whether the success reply has a JSON body)."""
    import re

    from fal_assets._core import spec as _spec

    found: dict[str, tuple[str, str, int, bool]] = {}
    for template, item in _spec.document()["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "put", "post", "patch", "delete"):
                continue
            status = min(int(code) for code in operation["responses"] if code.startswith("2"))
            has_body = "content" in operation["responses"][str(status)]
            path = re.sub(r"\\\{[^}]+\\\}", "[^/?]+", re.escape(template))
            found[operation["operationId"]] = (method.upper(), f"^/v1{path}(\\?|$)", status, has_body)
    return found


def test_every_spec_operation_has_a_call_here() -> None:
    missing = sorted(set(spec_operations_with_bodies()) - set(OPERATION_CALLS))
    assert not missing, f"add a call for each to OPERATION_CALLS in {__file__}: {missing}"


BROKEN: dict[str, Callable[[FakeFal, str, str, int], None]] = {
    "non_json": lambda fake, method, path, status: fake.corrupt_next(
        "non_json", path=path, method=method, status=status
    ),
    "wrong_shape": lambda fake, method, path, status: fake.corrupt_next(
        "wrong_shape", path=path, method=method, status=status
    ),
    "not_an_object": lambda fake, method, path, status: fake.fail_next(
        1, status, body=b'[{"id": "x"}]', path=path, method=method
    ),
}


@pytest.mark.parametrize("kind", ["drifted", *sorted(BROKEN)])
@pytest.mark.parametrize("operation", sorted(OPERATION_CALLS))
def test_each_operation_reads_drift_and_refuses_a_broken_reply(
    fal_fake: FakeFal, operation: str, kind: str
) -> None:
    method, path, status, has_body = spec_operations_with_bodies()[operation]
    with tolerant(fal_fake) as client:
        cast = Cast(client)
        before = fal_fake.counts[operation]
        if kind == "drifted":
            fal_fake.corrupt_next("drifted", path=path, method=method)
            OPERATION_CALLS[operation](client, cast)
        else:
            BROKEN[kind](fal_fake, method, path, status)
            if has_body:
                with pytest.raises(APIResponseValidationError) as caught:
                    OPERATION_CALLS[operation](client, cast)
                assert caught.value.status_code == status and caught.value.request_id
            else:  # a reply without a body is not read: nothing to refuse
                OPERATION_CALLS[operation](client, cast)
        assert fal_fake.counts[operation] == before + 1
        assert fal_fake.pending_faults == 0  # the corruption hit the operation under test
