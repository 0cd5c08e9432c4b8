"""Download names and hosts: a file in a folder is named from its URL (hostile names made safe, never
outside the folder), assets' names from theirs; only fal-hosted http(s) URLs are fetched unless allowed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fal_assets import (
    DownloadProgress,
    ValidationError,
)
from fal_assets._downloads import names
from fal_assets.testing import FakeFal

from tests.support import sync_client

DATA = os.urandom(300_000)


def test_download_to_a_folder_names_the_file_from_the_url(fal_fake: FakeFal, tmp_path: Path) -> None:
    url = fal_fake.add_file(DATA, "portrait.png")
    seen: list[DownloadProgress] = []
    with sync_client(fal_fake) as client:
        path = client.files.download(url, tmp_path, on_progress=seen.append)
    assert path == tmp_path / "portrait.png"
    assert path.read_bytes() == DATA
    assert sorted(os.listdir(tmp_path)) == ["portrait.png"]  # no temporary file left behind
    assert seen[-1].done and seen[-1].received == len(DATA) == seen[-1].total
    assert [p.received for p in seen] == sorted(p.received for p in seen)


def test_only_fal_hosted_urls_unless_allowed(fal_fake: FakeFal, tmp_path: Path) -> None:
    with sync_client(fal_fake) as client:
        for url in ("https://example.com/x.png", "ftp://v3.fal.media/x", "http://v3.fal.media/x"):
            with pytest.raises(ValidationError):
                client.files.download(url, tmp_path / "x")
        with pytest.raises(ValidationError, match="credentials"):
            client.files.download("https://user:pw@v3.fal.media/files/x", tmp_path / "x")
    assert fal_fake.requests == []
    external = fal_fake.add_file(DATA, "e.bin").replace("127.0.0.1", "localhost")
    with sync_client(fal_fake, fal_hosts=["127.0.0.1"]) as client:
        with pytest.raises(ValidationError, match="allow_external_urls"):
            client.files.download(external, tmp_path / "e.bin")
        assert (
            client.files.download(external, tmp_path / "e.bin", allow_external_urls=True).read_bytes() == DATA
        )


@pytest.mark.parametrize(
    "url",
    [
        "ftp://user:hunter2@v3.fal.media/x",  # refused for its scheme
        "http://user:hunter2@example.com/x",  # for plain http off loopback
        "https://user:hunter2@v3.fal.media/x y",  # for its space
        "http://user:p@ss:hunter2@example.com/x",  # an "@" in the password
    ],
)
def test_a_refused_urls_credentials_are_not_in_the_error(url: str, fal_fake: FakeFal, tmp_path: Path) -> None:
    with sync_client(fal_fake) as client, pytest.raises(ValidationError) as info:
        client.files.download(url, tmp_path / "x")
    assert "hunter2" not in str(info.value) and "***@" in str(info.value)
    assert fal_fake.requests == []


def test_assets_download_names_files_from_their_urls(fal_fake: FakeFal, tmp_path: Path) -> None:
    fal_fake.add_asset(title="one")
    fal_fake.add_asset(title="two")
    with sync_client(fal_fake) as client:
        assets = client.assets.list().assets
        [first] = [client.assets.download(assets[0], tmp_path)]
        paths = client.assets.download_many(assets, tmp_path / "all")
    assert first.parent == tmp_path and first.name.endswith(".png")
    assert len(set(paths)) == 2 and all(p.read_bytes().startswith(b"\x89PNG") for p in paths)


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("portrait.png", "portrait.png"),
        ("../../etc/passwd", "passwd"),
        ("/abs/path/x.png", "x.png"),
        ("C:\\Users\\me\\x.png", "x.png"),
        ("..", "download"),
        (".", "download"),
        ("", "download"),
        ("  .hidden ", "hidden"),
        ("bad\x00na\x1bme\x7f.png", "bad_na_me_.png"),
        ('a<b>c:d"e|f?g*h.png', "a_b_c_d_e_f_g_h.png"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("com1.tar.gz", "_com1.tar.gz"),
        ("CONSOLE.txt", "CONSOLE.txt"),
        ("e\u0301.png", "\u00e9.png"),  # NFC: one spelling per name
    ],
)
def test_safe_name_makes_hostile_names_harmless(raw: str, safe: str) -> None:
    assert names.safe_name(raw) == safe


def test_a_long_name_is_cut_to_fit_and_keeps_a_short_extension() -> None:
    cut = names.safe_name("é" * 300 + ".png")
    assert cut.endswith(".png") and len(cut.encode()) <= 200
    assert cut.encode().decode() == cut  # never half a character
    assert not names.safe_name("a" * 300 + "." + "x" * 40).endswith("x" * 40)


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://v3.fal.media/files/b/x/photo.png", "photo.png"),
        ("https://v3.fal.media/files/b/x/my%20photo.png?sig=1#frag", "my photo.png"),
        ("https://v3.fal.media/files/b/x/..%2F..%2Fescape.png", "escape.png"),
        ("https://v3.fal.media/files/b/x/%2e%2e", "download"),
        ("https://v3.fal.media/", "download"),
    ],
)
def test_name_from_url(url: str, name: str) -> None:
    assert names.name_from_url(url) == name


def test_within_refuses_a_name_that_leaves_the_folder(tmp_path: Path) -> None:
    assert names.within(tmp_path, "a.png") == tmp_path / "a.png"
    for bad in ("../a.png", "sub/a.png", "..", "CON"):
        with pytest.raises(ValidationError):
            names.within(tmp_path, bad)
    (tmp_path / "link.png").symlink_to(tmp_path.parent / "elsewhere.png")
    with pytest.raises(ValidationError, match="outside"):
        names.within(tmp_path, "link.png")


def test_destination_is_the_path_or_a_file_in_a_folder(tmp_path: Path) -> None:
    url = "https://v3.fal.media/files/b/x/..%2Fphoto.png"
    assert names.destination(tmp_path, url) == tmp_path / "photo.png"
    assert names.destination(f"{tmp_path}/new/", url) == tmp_path / "new" / "photo.png"
    assert names.destination(tmp_path / "given.bin", url) == tmp_path / "given.bin"
    with pytest.raises(ValidationError):
        names.destination("", url)


def test_assets_sharing_a_name_get_their_ids(tmp_path: Path) -> None:
    class Asset:
        def __init__(self, url: str, asset_id: str | None) -> None:
            self.url, self.asset_id = url, asset_id

    assets = [
        Asset("https://v3.fal.media/a/image.png", "id1"),
        Asset("https://v3.fal.media/b/IMAGE.png", "id2"),
        Asset("https://v3.fal.media/c/other.png", None),
        Asset("https://v3.fal.media/d/image.png", None),
    ]
    got = [(url, path.name) for url, path in names.asset_downloads(assets, tmp_path)]
    assert [name for _, name in got] == ["image-id1.png", "IMAGE-id2.png", "other.png", "image-3.png"]
    with pytest.raises(ValidationError, match=r"assets\[0\]"):
        names.asset_downloads([Asset("", "x")], tmp_path)
