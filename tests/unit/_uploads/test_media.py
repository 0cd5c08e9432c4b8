"""Media types read from content's first bytes (images, video, audio, 3D), else from a name; references
and covers must be images by content, not name; through the client, the type sent to uploadAsset."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fal_assets import FalAssets, ValidationError
from fal_assets._uploads.media import require_image, sniff
from fal_assets.testing import FakeFal

from tests.library_support import png
from tests.support import api_requests, json_body, sync_client


@pytest.fixture
def client(fal_fake: FakeFal) -> Iterator[FalAssets]:
    with sync_client(fal_fake) as client:
        yield client


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\0\0", "image"),
        (b"\xff\xd8\xff\xe0", "image"),
        (b"GIF89a", "image"),
        (b"BM\0\0", "image"),
        (b"II*\x00", "image"),
        (b"MM\x00*", "image"),
        (b"RIFF\0\0\0\0WEBPVP8 ", "image"),
        (b"RIFF\0\0\0\0WAVEfmt ", "audio"),
        (b"RIFF\0\0\0\0AVI LIST", "video"),
        (b"RIFF\0\0\0\0XXXX", None),
        (b"\0\0\0\x1cftypavif", "image"),
        (b"\0\0\0\x1cftypheic", "image"),
        (b"\0\0\0\x1cftypM4A ", "audio"),
        (b"\0\0\0\x1cftypisom", "video"),
        (b"\x1a\x45\xdf\xa3", "video"),
        (b"ID3\x04", "audio"),
        (b"OggS", "audio"),
        (b"fLaC", "audio"),
        (b"\xff\xfb\x90", "audio"),  # an MP3 frame
        (b"glTF\x02", "3d"),
        (b"<html>", None),
        (b"", None),
        (b"\xff", None),
    ],
)
def test_sniff(head: bytes, kind: str | None) -> None:
    assert sniff(head) == kind


def test_require_image_judges_by_content() -> None:
    require_image(png(2, 2)[:32], "references[0]", "the bytes")
    with pytest.raises(ValidationError, match="not an image") as caught:
        require_image(b"ID3\x04 a song", "references[0]", "photo.png")
    assert caught.value.field == "references[0]"


def test_upload_sends_the_sniffed_type_and_a_name_only_when_content_says_nothing(
    client: FalAssets, fal_fake: FakeFal, tmp_path: Path
) -> None:
    webm = tmp_path / "clip.bin"
    webm.write_bytes(b"\x1a\x45\xdf\xa3" + b"\0" * 64)
    song = io.BytesIO(b"\0" * 64)
    song.name = "song.mp3"
    model = tmp_path / "chair.glb"
    model.write_bytes(b"\0" * 64)
    for source in (webm, song, model):
        client.assets.upload(source)
    sent = [json_body(r)["type"] for r in api_requests(fal_fake, "uploadAsset")]
    assert sent == ["video", "audio", "3d"]


def test_a_file_object_is_read_from_where_it_stands(client: FalAssets, fal_fake: FakeFal) -> None:
    stream = io.BytesIO(b"junk" + png(3, 3))
    stream.seek(4)
    client.assets.upload(stream)
    assert json_body(api_requests(fal_fake, "uploadAsset")[0])["type"] == "image"
