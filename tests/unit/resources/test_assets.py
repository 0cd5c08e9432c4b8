"""Bad input to the library resources is a `ValidationError` (or `TypeError` for an unknown keyword) with
nothing sent; lifecycle headers as sent; media types read from content; `Asset`s as character references."""

from __future__ import annotations

import io
import itertools
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fal_assets import APIStatusError, FalAssets, Lifecycle, ValidationError
from fal_assets.testing import FakeFal

from tests.library_support import png
from tests.support import api_requests, async_client, json_body, sync_client

LONG_PROMPT = "p" * 2001
FAL_URL = "https://v3.fal.media/files/b/x/photo.png"


@pytest.fixture
def client(fal_fake: FakeFal) -> Iterator[FalAssets]:
    with sync_client(fal_fake) as client:
        yield client


BAD_CALLS: list[tuple[str, Callable[[FalAssets], Any]]] = [
    ("two refs", lambda c: c.assets.favorite(asset_id="a", vector_id="b")),
    ("no ref", lambda c: c.assets.unfavorite()),
    ("two refs on set_tags", lambda c: c.assets.set_tags([], asset_id="a", request_id="r")),
    ("tag ids not a list", lambda c: c.assets.set_tags(5, asset_id="a")),
    ("dot-dot asset id", lambda c: c.assets.get("..")),
    ("unknown media type", lambda c: list(c.assets.iter(media_type="gif"))),
    ("unknown section", lambda c: c.assets.list(section="everything")),
    ("filter not a string", lambda c: c.assets.list(tag_id=[1])),
    ("limit zero", lambda c: c.assets.list(limit=0)),
    ("lineage too deep", lambda c: c.assets.lineage("a1", depth=6)),
    ("search without query", lambda c: c.assets.search()),
    ("search image is an id", lambda c: c.assets.search(image="d8b6elcregj72v34jr8g")),
    ("search image on another host", lambda c: c.assets.search(image="https://example.com/a.png")),
    ("upload prompt too long", lambda c: c.assets.upload(png(2, 2), prompt=LONG_PROMPT)),
    ("upload unknown type", lambda c: c.assets.upload(png(2, 2), type="gif")),
    ("upload unknown content", lambda c: c.assets.upload(b"not media at all")),
    ("upload missing file", lambda c: c.assets.upload("./no-such-photo.png")),
    ("upload favorite not a bool", lambda c: c.assets.upload(FAL_URL, favorite="yes")),
    ("lifecycle not a Lifecycle", lambda c: c.files.upload(png(2, 2), lifecycle={"expires_in": 5})),
    ("lifecycle expiry zero", lambda c: Lifecycle(expires_in=0)),
    ("lifecycle expiry text", lambda c: Lifecycle(expires_in="forever")),  # type: ignore[arg-type]
    ("lifecycle bad acl", lambda c: Lifecycle(initial_acl="deny")),
]


@pytest.mark.parametrize(("what", "call"), BAD_CALLS, ids=[what for what, _ in BAD_CALLS])
def test_bad_input_is_refused_before_sending(
    client: FalAssets, fal_fake: FakeFal, what: str, call: Callable[[FalAssets], Any]
) -> None:
    with pytest.raises(ValidationError):
        call(client)
    assert fal_fake.requests == []


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.assets.favorite(asset_id="a", id="b"),
        lambda c: c.assets.list(colour="red"),
        lambda c: c.collections.assets("c1", collection_id="c2"),
    ],
)
def test_unknown_keywords_are_type_errors(
    client: FalAssets, fal_fake: FakeFal, call: Callable[[FalAssets], Any]
) -> None:
    with pytest.raises(TypeError):
        call(client)
    assert fal_fake.requests == []


def test_async_bad_input_is_refused_before_sending(fal_fake: FakeFal) -> None:
    client = async_client(fal_fake)
    with pytest.raises(ValidationError):
        client.assets.search()
    with pytest.raises(ValidationError):
        client.collections.assets("..")
    assert fal_fake.requests == []


PRESETS = {"immediate": 60, "1h": 3600, "1d": 86400, "7d": 604800, "30d": 2592000, "1y": 31536000}


def lifecycle_headers(fake: FakeFal) -> list[dict[str, Any]]:
    """The lifecycle headers of each upload request (cdnUpload), as sent."""
    found = []
    for request in fake.requests:
        if request.operation == "cdnUpload":
            headers = request.headers
            value = headers.get("x-fal-object-lifecycle")
            assert value == headers.get("x-fal-object-lifecycle-preference")
            found.append(json.loads(value) if value is not None else {})
    return found


def test_lifecycle_headers_as_sent(client: FalAssets, fal_fake: FakeFal) -> None:
    now = time.time()
    day = client.files.upload(png(2, 2), lifecycle=Lifecycle(expires_in=86400, initial_acl="forbid"))
    never = client.files.upload(png(3, 3), lifecycle=Lifecycle(expires_in="never"))
    default = client.files.upload(png(4, 4))
    empty = client.files.upload(png(5, 5), lifecycle=Lifecycle())
    acl_only = client.files.upload_many(
        [png(6, 6)], lifecycle=Lifecycle(initial_acl={"default": "hide", "rules": [("bob", "allow")]})
    )
    assert lifecycle_headers(fal_fake) == [
        {"expiration_duration_seconds": 86400, "initial_acl": {"default": "forbid"}},
        {"expiration_duration_seconds": None},
        {},
        {},
        {"initial_acl": {"default": "hide", "rules": [{"user": "bob", "decision": "allow"}]}},
    ]
    assert fal_fake.file_expires_at(day) == pytest.approx(now + 86400, abs=5)
    assert fal_fake.file_expires_at(never) is None
    assert fal_fake.file_expires_at(default) is None and fal_fake.file_expires_at(empty) is None
    assert len(acl_only) == 1


def test_lifecycle_presets(client: FalAssets, fal_fake: FakeFal) -> None:
    now = time.time()
    urls = {
        p: client.files.upload(png(7, n + 7), lifecycle=Lifecycle(expires_in=p))
        for n, p in enumerate(PRESETS)
    }
    sent = [h["expiration_duration_seconds"] for h in lifecycle_headers(fal_fake)]
    assert sent == list(PRESETS.values())
    for preset, url in urls.items():
        assert fal_fake.file_expires_at(url) == pytest.approx(now + PRESETS[preset], abs=5)
    assert Lifecycle(expires_in="1h").header == Lifecycle(expires_in=3600).header  # one cache entry
    with pytest.raises(ValidationError, match="1h") as refused:
        Lifecycle(expires_in="2h")  # type: ignore[arg-type]
    assert refused.value.field == "lifecycle.expires_in"


def test_account_expiry_applies_unless_the_upload_says_never(client: FalAssets, fal_fake: FakeFal) -> None:
    client.storage.update_settings(expiration_duration_seconds=60)
    plain = client.files.upload(png(2, 2))
    kept = client.assets.upload(png(3, 3), lifecycle=Lifecycle(expires_in="never"))
    character = client.characters.create(name="A", description="d", reference_images=[png(4, 4)])
    opted_out = client.characters.create(
        name="B", description="d", reference_images=[png(5, 5)], lifecycle=Lifecycle()
    )
    assert fal_fake.file_expires_at(plain) is not None
    assert kept.url is not None and fal_fake.file_expires_at(kept.url) is None
    # Character references never expire by default, whatever the account's setting.
    assert fal_fake.file_expires_at(character.reference_images[0]) is None
    assert fal_fake.file_expires_at(opted_out.reference_images[0]) is not None
    fal_fake.advance(61)
    with pytest.raises(APIStatusError):
        client.assets.upload(plain)  # the expired file is gone: fal refuses to register it


@pytest.mark.anyio
async def test_async_uploads_send_lifecycle_headers(fal_fake: FakeFal) -> None:
    async with async_client(fal_fake) as client:
        await client.files.upload(png(2, 2), lifecycle=Lifecycle(expires_in=30))
        await client.assets.upload(png(3, 3), lifecycle=Lifecycle(initial_acl="forbid"))
        await client.characters.create(name="A", description="d", reference_images=[png(4, 4)])
    assert lifecycle_headers(fal_fake) == [
        {"expiration_duration_seconds": 30},
        {"initial_acl": {"default": "forbid"}},
        {"expiration_duration_seconds": None},
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (png(2, 2), "image"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "image"),
        (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 40, "video"),
        (b"\x1a\x45\xdf\xa3" + b"\x00" * 40, "video"),
        (b"ID3\x03" + b"\x00" * 40, "audio"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt " + b"\x00" * 40, "audio"),
        (b"glTF\x02\x00\x00\x00" + b"\x00" * 40, "3d"),
    ],
)
def test_upload_reads_the_media_type_from_content(
    client: FalAssets, fal_fake: FakeFal, content: bytes, expected: str
) -> None:
    asset = client.assets.upload(io.BytesIO(content))
    assert asset.type_.value == expected
    assert json_body(api_requests(fal_fake, "uploadAsset")[0])["type"] == expected


def test_upload_type_from_a_file_name_or_given(client: FalAssets, fal_fake: FakeFal, tmp_path: Path) -> None:
    clip = tmp_path / "clip.mov"
    clip.write_bytes(b"no known header here")
    assert client.assets.upload(clip).type_.value == "video"
    assert client.assets.upload(b"raw bytes", type="audio").type_.value == "audio"


def test_assets_are_character_references(client: FalAssets, fal_fake: FakeFal) -> None:
    red = client.assets.upload(png(8, 8), prompt="Alice with red hair")
    blue = client.assets.upload(png(9, 9), prompt="Alice with red hair, smiling")
    found = list(client.assets.search("Alice red hair"))
    character = client.characters.create(name="Alice", description="red hair", reference_images=found)
    assert json_body(api_requests(fal_fake, "createAssetCharacter")[0])["reference_images"] == [
        a.vector_id for a in found
    ]
    assert set(character.reference_images) == {red.url, blue.url}
    updated = client.characters.update(character.id, reference_images=red)
    assert updated.reference_images == [red.url]


def test_array_filters_take_a_string_or_a_list(client: FalAssets, fal_fake: FakeFal) -> None:
    client.assets.upload(png(3, 3), prompt="a cat")
    assert len(list(client.assets.iter(media_type="image"))) == 1
    assert len(list(client.assets.iter(media_type=("video", "audio")))) == 0
    # Every value is sent (a repeated parameter): "image" first, not last, still matches.
    assert len(list(client.assets.iter(media_type=["image", "video"], source=["upload"]))) == 1
    assert api_requests(fal_fake, "listAssets")[0].query["media_type"] == "image"


def test_search_uploads_a_local_image_first(client: FalAssets, fal_fake: FakeFal) -> None:
    photo = png(6, 6)
    asset = client.assets.upload(photo, prompt="Alice portrait")
    results = client.assets.search(image=photo)
    assert api_requests(fal_fake, "listAssets") == []  # lazily: nothing before iteration
    assert [a.asset_id for a in results] == [asset.asset_id]
    (request,) = api_requests(fal_fake, "listAssets")
    assert request.query["search_image_url"] == asset.url


def test_search_pages_lazily(client: FalAssets, fal_fake: FakeFal) -> None:
    for index in range(3):
        client.assets.upload(png(3 + index, 3), prompt=f"portrait number {index}")
    first_two = list(itertools.islice(client.assets.search("portrait", page_size=1), 2))
    assert len(first_two) == 2
    assert len(api_requests(fal_fake, "listAssets")) == 2


def test_a_server_repeating_cursors_cannot_make_iteration_endless(
    client: FalAssets, fal_fake: FakeFal
) -> None:
    asset = client.assets.upload(png(3, 3), prompt="a cat")
    page = {
        "assets": [client.assets.get(str(asset.asset_id)).to_dict()],
        "next_cursor": "same",
        "has_more": True,
        "total_count": None,
        "scope_truncated": False,
    }
    fal_fake.fail_next(5, 200, body=page, path=r"/assets$", method="GET")
    assert len(list(client.assets.iter())) == 2  # the first page, then the page whose cursor repeats
    assert len(api_requests(fal_fake, "listAssets")) == 2
