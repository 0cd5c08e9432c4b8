"""`fal-assets demo` and the PNG files it generates."""

from __future__ import annotations

import io
import ipaddress
import os
import re
import socket
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from fal_assets.cli.demo import PNG_SIGNATURE, gradient_png, png, run_demo, write_demo_images


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """A strict reader for what `png()` writes (8-bit RGB, one IDAT): checks the signature, every chunk's
    CRC, the chunk order and the decompressed size; returns width, height and the pixel rows."""
    assert data[:8] == PNG_SIGNATURE
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert len(body) == length, "truncated chunk"
        assert crc == zlib.crc32(kind + body), f"bad CRC in {kind!r}"
        chunks.append((kind, body))
        pos += 12 + length
    assert pos == len(data)
    assert [k for k, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"]
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, colour, compression, filtering, interlace) == (8, 2, 0, 0, 0)
    raw = zlib.decompress(chunks[1][1])
    stride = 1 + 3 * width
    assert len(raw) == height * stride
    rows = [raw[y * stride : (y + 1) * stride] for y in range(height)]
    assert all(row[0] == 0 for row in rows), "unexpected filter type"
    return width, height, [row[1:] for row in rows]


def test_png_is_decodable_and_holds_the_pixels_asked_for() -> None:
    width, height, rows = decode_png(png(3, 2, lambda x, y: (x * 100, y * 200, 7)))
    assert (width, height) == (3, 2)
    assert rows == [bytes([0, 0, 7, 100, 0, 7, 200, 0, 7]), bytes([0, 200, 7, 100, 200, 7, 200, 200, 7])]


def test_gradient_runs_from_black_to_the_colour() -> None:
    width, height, rows = decode_png(gradient_png((230, 40, 40)))
    assert (width, height) == (64, 64)
    assert rows[0][:3] == bytes([0, 0, 0])
    assert rows[-1][-3:] == bytes([230, 40, 40])
    with pytest.raises(ValueError, match="at least one pixel"):
        png(0, 5, lambda x, y: (0, 0, 0))


def test_demo_images_are_valid_distinct_pngs(tmp_path: Path) -> None:
    refs, extra, cover = write_demo_images(tmp_path)
    files = [*sorted(refs.iterdir()), extra, cover]
    assert [p.name for p in files] == ["01-red.png", "02-green.png", "03-blue.png", "extra.png", "cover.png"]
    contents = [p.read_bytes() for p in files]
    assert len(set(contents)) == len(contents)
    sizes = [decode_png(c)[:2] for c in contents]
    assert sizes == [(64, 64)] * 4 + [(96, 96)]


def _guard_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Fails any outgoing connection that is not to loopback, and records the ones made."""
    attempts: list[Any] = []
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        host = address[0] if isinstance(address, tuple) else None
        if host is None or not ipaddress.ip_address(host).is_loopback:
            raise AssertionError(f"the demo tried to reach {address!r}")
        real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return attempts


def test_demo_runs_offline_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FAL_KEY", "FAL_KEY_ID", "FAL_KEY_SECRET", "FAL_ASSETS_BASE_URL", "FAL_ASSETS_STORAGE_URL"):
        monkeypatch.delenv(name, raising=False)
    # A proxy in the environment must not capture the demo's loopback traffic.
    monkeypatch.setenv("HTTP_PROXY", "http://192.0.2.1:9")
    monkeypatch.setenv("HTTPS_PROXY", "http://192.0.2.1:9")
    connections = _guard_network(monkeypatch)
    out = io.StringIO()
    started = time.perf_counter()
    assert run_demo(out) == 0
    elapsed = time.perf_counter() - started
    text = out.getvalue()
    assert elapsed < 10, f"the demo took {elapsed:.1f} s"
    assert connections, "the demo made no HTTP connection at all"

    port = re.search(r"API http://127\.0\.0\.1:(\d+)/v1", text)
    assert port is not None, text
    cdn = rf"http://127\.0\.0\.1:{port.group(1)}/cdn/files/\S+"
    steps = re.findall(r"^(\d+)\. ", text, re.MULTILINE)
    assert steps == [str(n) for n in range(1, 13)]
    created = re.search(r"created (\S+) \(Alice\) from 01-red\.png, 02-green\.png, 03-blue\.png", text)
    assert created is not None, text
    cid = created.group(1)
    # Three uploaded references after the create, then the uploaded extra.png plus the resolved ID.
    reference_blocks = re.findall(r"reference_images:\n((?: {5}\S+\n)+)", text)
    assert [len(block.split()) for block in reference_blocks] == [3, 2]
    assert all(re.fullmatch(cdn, url) for block in reference_blocks for url in block.split())
    assert "019e6d0a-e5be-7b82-b329-35ae64296902" in reference_blocks[1]
    assert re.search(rf"cover_image_url: {cdn}", text)
    assert re.search(rf"^   {cid}\s+Alice\s+-\s+2\s+\d{{4}}-", text, re.MULTILINE), "list table row"
    assert "is_favorited: True" in text
    assert re.search(
        r"deleted; fetching it again fails as expected: 404 not_found: Character not found", text
    )
    assert f"$ fal-assets characters delete {cid} --yes" in text
    # Characters as code: plan -> apply -> edit -> plan.
    act = text[text.index("6. Characters as code") :]
    assert "+ create bob" in act and "Plan: 3 to create" in act
    assert "+ create prop lantern" in act and "+ create style dusk" in act
    assert re.search(r"^   created bob \(\w+\)$", act, re.MULTILINE)
    assert re.search(r"^   created prop lantern \(\w+\)$", act, re.MULTILINE)
    assert re.search(r"^   created style dusk \(\w+\)$", act, re.MULTILINE)
    edited = act[act.index("8. Edit") :]
    assert "~ update bob" in edited and "'Tall, grey beard' → 'Tall, grey beard, green scarf'" in edited
    assert "Plan: 0 to create, 1 to update, 0 to delete, 2 unchanged." in edited  # nothing to upload
    # The library: upload → tag → collect → search → a character from the found assets → a signed cover.
    library = text[text.index("9. Register local images") :]
    assert len(re.findall(r"^   \w+  image  Alice, red hair", library, re.MULTILINE)) == 3
    search = library[library.index("10. Search") : library.index("11. Create")]
    assert search.count("Alice, red hair") == 3 and "yellow sun" not in search and "SIMILARITY" in search
    assert re.search(r"created \w+ with 3 references", library)
    assert re.search(rf"^   {cdn}\?identity=\S+$", library, re.MULTILINE)
    assert "the CDN answers 403 without the signature, 200 with it" in library


def test_demo_command_runs_without_a_key() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAL_")}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "fal_assets", "demo"], env=env, capture_output=True, text=True, timeout=60
    )
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("fal-assets demo:")
    assert re.search(r"^Done in \d+\.\d s\.", result.stdout, re.MULTILINE)
    assert elapsed < 15
