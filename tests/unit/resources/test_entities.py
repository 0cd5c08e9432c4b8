"""`client.entities` on the served fake, sync and async: the issue's journey (upload, then create a prop
from local files with a cover among them, list by type, update, delete), fal's rules checked locally with
nothing sent, and the fake's entity semantics (handles unique across kinds, characters are entities)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fal_assets import ConflictError, Entity, EntityType, FalAssets, UnprocessableEntityError, ValidationError
from fal_assets.testing import FakeFal

from tests.library_support import png
from tests.support import api_requests, async_client, json_body, sync_client


def photos(tmp_path: Path) -> list[Path]:
    paths = []
    for index, name in enumerate(("skiff-bow.png", "skiff-side.png", "skiff-stern.png")):
        path = tmp_path / name
        path.write_bytes(png(20 + index, 10))
        paths.append(path)
    return paths


def check_journey(
    fake: FakeFal, created: Entity, listed: list[Entity], updated: Entity, uploaded: str
) -> None:
    assert created.type_ is EntityType.PROP and created.handle == "skiff"
    assert len(created.reference_images) == 3
    assert created.cover_image_url == created.reference_images[1], "the cover is the side view's upload"
    assert [e.id for e in listed] == [created.id], "only props, not the character"
    assert updated.name == "Skiff (blue trim)" and updated.description is None
    assert updated.reference_images == [uploaded]
    assert updated.cover_image_url == uploaded
    assert created.id not in fake.entities
    # Each local image was uploaded once although the cover names one of them again.
    assert fake.counts["cdnUpload"] == 4
    create = json_body(api_requests(fake, "createAssetEntity")[0])
    assert create["type"] == "prop" and "handle" not in create, "the handle defaults from the name (fal)"
    assert api_requests(fake, "listAssetEntities")[0].query["types"] == "prop"


def test_the_entity_journey_sync(tmp_path: Path) -> None:
    front, side, back = photos(tmp_path)
    with FakeFal.serve() as fake, sync_client(fake) as client:
        uploaded = client.files.upload(tmp_path / "skiff-bow.png")
        client.characters.create(name="Ann", description="A sailor", reference_images=[uploaded])
        created = client.entities.create(
            type="prop",
            name="Skiff",
            description="A weathered wooden boat",
            reference_images=[front, side, back],
            cover_image=side,
        )
        listed = client.entities.list(types="prop")
        updated = client.entities.update(
            created.id,
            name="Skiff (blue trim)",
            description=None,
            reference_images=[uploaded],
            cover_image=uploaded,
        )
        client.entities.delete(created.id)
        check_journey(fake, created, listed, updated, uploaded)


@pytest.mark.anyio
async def test_the_entity_journey_async(tmp_path: Path) -> None:
    front, side, back = photos(tmp_path)
    with FakeFal.serve() as fake:
        async with async_client(fake) as client:
            uploaded = await client.files.upload(tmp_path / "skiff-bow.png")
            await client.characters.create(name="Ann", description="A sailor", reference_images=[uploaded])
            created = await client.entities.create(
                type="prop",
                name="Skiff",
                description="A weathered wooden boat",
                reference_images=[front, side, back],
                cover_image=side,
            )
            listed = await client.entities.list(types=["prop"])
            updated = await client.entities.update(
                created.id,
                name="Skiff (blue trim)",
                description=None,
                reference_images=[uploaded],
                cover_image=uploaded,
            )
            await client.entities.delete(created.id)
            all_of_them = [e.id async for e in client.entities.iter(page_size=1)]
        check_journey(fake, created, listed, updated, uploaded)
        assert len(all_of_them) == 1, "the character remains, seen through the entity list"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"type": "vehicle"}, "type"),
        ({"type": "character"}, "description"),
        ({"name": ""}, "name"),
        ({"name": "x" * 256}, "name"),
        ({"handle": ""}, "handle"),
        ({"handle": "h" * 65}, "handle"),
        ({"handle": "@skiff"}, "handle"),
        ({"description": ""}, "description"),
        ({"reference_images": []}, "reference_images"),
        ({"reference_images": [f"id{i}" for i in range(21)]}, "reference_images"),
        ({"cover_image": "CDN/files/elsewhere.png"}, "cover_image"),
        ({"cover_image": png(9, 9)}, "cover_image"),
    ],
)
def test_fals_rules_are_checked_before_anything_is_sent(arguments: dict[str, Any], field: str) -> None:
    with FakeFal.serve() as fake, sync_client(fake) as client:
        call: dict[str, Any] = {
            "type": "prop",
            "name": "Skiff",
            "reference_images": [f"{fake.cdn_base_url}/files/skiff.png", png(2, 2)],
            **arguments,
        }
        if isinstance(call.get("cover_image"), str):
            call["cover_image"] = call["cover_image"].replace("CDN", fake.cdn_base_url)
        with pytest.raises(ValidationError) as caught:
            client.entities.create(**call)
        assert caught.value.field == field or field in str(caught.value)
        assert fake.requests == [], "nothing was sent, not even an upload"


def test_update_and_list_arguments_are_checked_locally(fal_fake: FakeFal) -> None:
    with sync_client(fal_fake) as client:
        for call in (
            lambda: client.entities.update("e1"),
            lambda: client.entities.update("e1", name=None),  # type: ignore[arg-type]
            lambda: client.entities.update("../x", name="n"),
            lambda: client.entities.update("e1", reference_images=[png(2, 2)], cover_image=png(3, 3)),
            lambda: client.entities.list(types="vehicle"),
            lambda: client.entities.list(types=[]),
            lambda: client.entities.list(limit=101),
            lambda: client.entities.iter(page_size=0),
        ):
            with pytest.raises(ValidationError):
                call()
    assert fal_fake.requests == []


def test_a_cover_among_references_given_as_ids_is_left_to_fal(fal_fake: FakeFal) -> None:
    with sync_client(fal_fake) as client:
        ref = client.entities.create(type="style", name="Ink", reference_images=["vec-1"]).reference_images[0]
        style = client.entities.create(
            type="style", name="Ink 2", reference_images=["vec-1"], cover_image=ref
        )
        assert style.cover_image_url == ref
        with pytest.raises(UnprocessableEntityError, match="one of the entity's reference images"):
            client.entities.create(
                type="style",
                name="Ink 3",
                reference_images=["vec-1"],
                cover_image=ref.replace("vec-1", "vec-2"),
            )


def test_handles_are_unique_across_kinds_and_default_from_the_name(fal_fake: FakeFal) -> None:
    with sync_client(fal_fake) as client:
        ann = client.characters.create(
            name="Ann", description="A sailor", identifier="ann", reference_images=["vec-1"]
        )
        with pytest.raises(ConflictError) as caught:
            client.entities.create(type="prop", name="Ann's boat", handle="ann", reference_images=["vec-1"])
        assert caught.value.status_code == 409 and "ann" in caught.value.message
        with pytest.raises(ConflictError):
            client.characters.create(name="X", description="d", identifier="ANN", reference_images=["vec-1"])
        first = client.entities.create(type="scene", name="Harbour at Dawn", reference_images=["vec-1"])
        second = client.entities.create(
            type="environment", name="Harbour at dawn", reference_images=["vec-1"]
        )
        assert first.handle == "harbour-at-dawn" and second.handle != first.handle
        with pytest.raises(ConflictError):
            client.entities.update(second.id, handle=first.handle)
        assert client.entities.update(second.id, handle="harbour").handle == "harbour"
        as_entity = client.entities.get(ann.id)
        assert (as_entity.type_, as_entity.handle, as_entity.name) == (EntityType.CHARACTER, "ann", "Ann")


def test_a_character_is_an_entity_and_the_reverse(fal_fake: FakeFal) -> None:
    with sync_client(fal_fake) as client:
        made_as_entity = client.entities.create(
            type="character", name="Bo", description="A fisher", reference_images=["vec-1"]
        )
        seen = client.characters.get(made_as_entity.id)
        assert (seen.name, seen.description, seen.character_identifier) == ("Bo", "A fisher", "bo")
        made_as_character = client.characters.create(name="Cy", description="A cook", reference_images=["v"])
        assert made_as_character.id in {e.id for e in client.entities.list(types="character")}
        client.entities.update(made_as_character.id, name="Cyrus")
        assert client.characters.get(made_as_character.id).name == "Cyrus"
        with pytest.raises(UnprocessableEntityError, match="character handles cannot be changed"):
            client.entities.update(made_as_entity.id, handle="bobby")
        with pytest.raises(UnprocessableEntityError, match="cannot be cleared"):
            client.entities.update(made_as_entity.id, description=None)
        prop = client.entities.create(type="prop", name="Net", reference_images=["vec-1"])
        assert prop.id not in {c.id for c in client.characters.list()}, "a prop is not a character"
        client.characters.delete(made_as_character.id)
        assert made_as_character.id not in fal_fake.entities


def test_the_lineage_of_an_asset_generated_with_a_prop_lists_the_prop(fal_fake: FakeFal) -> None:
    with sync_client(fal_fake) as client:
        prop = client.entities.create(type="prop", name="Skiff", reference_images=["vec-1"])
        asset = fal_fake.add_asset(prompt="@skiff at sea", entities=[prop.id])
        lineage = client.assets.lineage(asset["asset_id"])
    entities = [node for node in lineage.nodes if getattr(node, "entity_id", None) == prop.id]
    assert len(entities) == 1
    assert entities[0].entity_type.value == "prop" and entities[0].handle == "skiff"


def test_client_entities_is_exported_and_typed() -> None:
    import fal_assets

    assert fal_assets.Entity is Entity and "Entity" in fal_assets.__all__
    assert isinstance(FalAssets(api_key="k").entities, object)
