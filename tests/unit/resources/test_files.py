"""Uploads end to end through `FalAssets` / `AsyncFalAssets` and a served FakeFal."""

from __future__ import annotations

import inspect
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fal_assets import AsyncFalAssets, FalAssets, Lifecycle, UploadError, UploadSettings, ValidationError
from fal_assets.resources.files import AsyncFiles, Files
from fal_assets.testing import FakeFal

from tests.upload_support import (
    Events,
    KiB,
    MiB,
    Sleeps,
    image_bytes,
    random_file,
    sha256_of,
    stored_sha,
    write,
)

VECTOR_ID = "019e6d0a-e5be-7b82-b329-35ae64296902"


@pytest.fixture
def fake() -> Iterator[FakeFal]:
    with FakeFal.serve() as served:
        yield served


@pytest.fixture
def client(fake: FakeFal) -> Iterator[FalAssets]:
    with FalAssets(**fake.client_kwargs(), sleep=Sleeps()) as c:
        yield c


@pytest.fixture
def album(tmp_path: Path) -> Path:
    folder = tmp_path / "alice"
    folder.mkdir()
    for i, name in enumerate(["side.jpg", "front.png", "back.webp", "notes.md"]):
        write(folder / name, image_bytes(i))
    return folder


def storage_ops(fake: FakeFal) -> list[str]:
    return [r.operation for r in fake.requests if not r.path.startswith("/v1/")]


def api_ops(fake: FakeFal) -> list[str]:
    return [r.operation for r in fake.requests if r.path.startswith("/v1/")]


def test_files_upload_and_upload_many(fake: FakeFal, client: FalAssets, tmp_path: Path) -> None:
    photo = write(tmp_path / "photo.jpg", image_bytes(1))
    url = client.files.upload(str(photo))
    assert stored_sha(fake, url) == sha256_of(photo) and fake.files[url].content_type == "image/jpeg"
    events = Events()
    urls = client.files.upload_many([image_bytes(2), photo, io.BytesIO(image_bytes(3))], on_progress=events)
    assert urls[1] == url  # cached: same content
    assert [stored_sha(fake, u) for u in urls] == [sha256_of(image_bytes(i)) for i in (2, 1, 3)]
    assert len(events.final()) == 3
    with pytest.raises(ValidationError) as info:
        client.files.upload("missing.png")
    assert info.value.field == "file"


def test_create_from_a_folder_then_update_reuses_uploads(
    fake: FakeFal, client: FalAssets, album: Path, tmp_path: Path
) -> None:
    cover = write(tmp_path / "cover.png", image_bytes(9))
    character = client.characters.create(
        name="Alice", description="red hair", reference_images=album, cover_image=cover
    )
    refs = character.reference_images
    assert [fake.files[u].name for u in refs] == ["back.webp", "front.png", "side.jpg"]
    assert isinstance(character.cover_image_url, str)
    assert stored_sha(fake, character.cover_image_url) == sha256_of(cover)
    assert storage_ops(fake).count("storageToken") == 1 and storage_ops(fake).count("cdnUpload") == 4

    before = len(fake.requests)
    updated = client.characters.update(
        character.id, reference_images=[album / "front.png", VECTOR_ID, refs[0]], cover_image=str(cover)
    )
    new_requests = fake.requests[before:]
    assert [r.operation for r in new_requests] == ["updateAssetCharacter"]  # zero bytes uploaded
    assert updated.reference_images[0] == refs[1] and updated.reference_images[2] == refs[0]
    assert updated.cover_image_url == character.cover_image_url


def test_cover_none_clears_and_ids_pass_through(fake: FakeFal, client: FalAssets) -> None:
    character = client.characters.create(
        name="Bob", description="d", reference_images=[VECTOR_ID], cover_image=image_bytes(1)
    )
    assert character.cover_image_url is not None
    cleared = client.characters.update(character.id, cover_image=None)
    assert cleared.cover_image_url is None
    assert storage_ops(fake) == ["storageToken", "cdnUpload"]


def test_invalid_input_sends_nothing_at_all(fake: FakeFal, client: FalAssets, album: Path) -> None:
    character = fake.add_character(name="Carol")
    with pytest.raises(ValidationError) as info:
        client.characters.update(character["id"], reference_images=[album / "front.png", album / "nope.png"])
    assert info.value.field == "reference_images[1]"
    with pytest.raises(ValidationError, match="fal-hosted"):
        client.characters.update(
            character["id"], reference_images=[image_bytes(1), "https://example.com/x.png"]
        )
    with pytest.raises(ValidationError, match="at most 20"):
        client.characters.update(character["id"], reference_images=[image_bytes(i) for i in range(21)])
    assert fake.requests == []


def test_upload_failure_means_no_write(fake: FakeFal, tmp_path: Path) -> None:
    character = fake.add_character(name="Dan")
    big = random_file(tmp_path / "big.bin", MiB)
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + big.read_bytes())  # a reference must sniff as an image
    settings = UploadSettings(multipart_threshold=MiB // 2, part_size=256 * KiB)
    fake.fail_next(1, 500, path=r"/files/upload/multipart$")
    fake.fail_next(1, 500, path="/storage/upload/initiate")
    client = FalAssets(**fake.client_kwargs(), uploads=settings, max_retries=0, sleep=Sleeps())
    with client, pytest.raises(UploadError) as info:
        client.characters.update(character["id"], reference_images=[image_bytes(1), big])
    assert [r.url is not None for r in info.value.results] == [True, False]
    assert api_ops(fake) == []


def test_the_api_key_goes_only_to_the_api_and_storage_hosts(
    fake: FakeFal, client: FalAssets, album: Path
) -> None:
    client.characters.create(name="Eve", description="d", reference_images=album)
    for request in fake.requests:
        on_cdn = request.path.startswith("/cdn/")
        assert request.auth_scheme == ("Bearer" if on_cdn else "Key"), request


def test_files_resources_have_the_same_signatures() -> None:
    for name in ("__init__", "upload", "upload_many"):
        sync_sig, async_sig = (
            inspect.signature(getattr(Files, name)),
            inspect.signature(getattr(AsyncFiles, name)),
        )
        assert list(sync_sig.parameters) == list(async_sig.parameters), name
        for param in sync_sig.parameters:
            a, b = sync_sig.parameters[param], async_sig.parameters[param]
            assert (a.kind, a.default) == (b.kind, b.default), (name, param)
        if name != "__init__":
            assert sync_sig.return_annotation == async_sig.return_annotation
            assert inspect.iscoroutinefunction(getattr(AsyncFiles, name))


@pytest.mark.anyio
async def test_async_client_end_to_end(fake: FakeFal, album: Path, tmp_path: Path) -> None:
    async with AsyncFalAssets(**fake.client_kwargs(), sleep=Sleeps().async_sleep) as client:
        character = await client.characters.create(
            name="Alice", description="d", reference_images=str(album), cover_image=image_bytes(7)
        )
        assert [fake.files[u].name for u in character.reference_images] == [
            "back.webp",
            "front.png",
            "side.jpg",
        ]
        before = len(fake.requests)
        updated = await client.characters.update(character.id, reference_images=[album / "side.jpg"])
        assert [r.operation for r in fake.requests[before:]] == ["updateAssetCharacter"]
        assert updated.reference_images == [character.reference_images[2]]
        photo = write(tmp_path / "p.gif", b"GIF89a" + b"\x00" * 100)
        url = await client.files.upload(photo, lifecycle=Lifecycle(expires_in="never"))
        # The content cache is per lifecycle: the cover (uploaded to never expire) is reused by an upload
        # asking for the same lifecycle, not by one left to the account's default.
        urls = await client.files.upload_many(
            [photo, image_bytes(7)], lifecycle=Lifecycle(expires_in="never")
        )
        assert urls == [url, str(character.cover_image_url)]
        [other] = await client.files.upload_many([image_bytes(7)])
        assert other != character.cover_image_url
        with pytest.raises(ValidationError):
            await client.characters.update(character.id, reference_images=[tmp_path / "missing.png"])
    assert storage_ops(fake).count("storageToken") == 1


def test_clients_configured_by_keyword(fake: FakeFal, tmp_path: Path) -> None:
    kwargs: dict[str, Any] = {**fake.client_kwargs(), "uploads": UploadSettings(concurrency=2)}
    fake.latency = 0.03
    with FalAssets(**kwargs) as client:
        client.files.upload_many([image_bytes(i) for i in range(6)])
    assert fake.peak_concurrency == 2
