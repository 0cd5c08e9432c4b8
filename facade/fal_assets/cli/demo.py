"""`fal-assets demo`: a tour of the library against the served `FakeFal`, offline and without a key:
characters, characters as code, then the Assets library (upload → tag → collect → search → a character from
the found assets → a signed cover URL; `demo_library.py`).

Everything goes through the public API (`FalAssets(**fake.client_kwargs())`), so the demo doubles as a
smoke test of the installed package: real PNG files are written, uploaded over HTTP to the fake's
storage, and turned into references exactly as they would be against fal.
"""

from __future__ import annotations

import struct
import tempfile
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

import httpx

from .._client import FalAssets
from .._errors import NotFoundError
from .output import character_table

__all__ = ["PNG_SIGNATURE", "gradient_png", "png", "run_demo", "write_demo_images"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# An asset the fake resolves like fal resolves a vector ID of an existing generated image.
EXISTING_ASSET_ID = "019e6d0a-e5be-7b82-b329-35ae64296902"

Pixel = tuple[int, int, int]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, pixel: Callable[[int, int], Pixel]) -> bytes:
    """An 8-bit RGB PNG; `pixel(x, y)` gives each colour. Built by hand so that the demo needs no imaging
    library and its files are still images any decoder (and fal) accepts."""
    if width < 1 or height < 1:
        raise ValueError("a PNG needs at least one pixel")
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type None: each row stored as is
        for x in range(width):
            rows.extend(bytes(pixel(x, y)))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit truecolour, no interlace
    return (
        PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _chunk(b"IEND", b"")
    )


def gradient_png(color: Pixel, size: int = 64) -> bytes:
    """A `size`×`size` gradient from black (top left) to `color` (bottom right)."""
    span = max(2 * (size - 1), 1)

    def pixel(x: int, y: int) -> Pixel:
        t = (x + y) / span
        return (round(color[0] * t), round(color[1] * t), round(color[2] * t))

    return png(size, size, pixel)


_REFERENCE_COLOURS: Sequence[tuple[str, Pixel]] = (
    ("01-red.png", (230, 40, 40)),
    ("02-green.png", (40, 200, 80)),
    ("03-blue.png", (50, 90, 240)),
)


def write_demo_images(folder: Path) -> tuple[Path, Path, Path]:
    """Writes `refs/` (three gradients), `extra.png` and `cover.png` under `folder`."""
    refs = folder / "refs"
    refs.mkdir(parents=True, exist_ok=True)
    for name, colour in _REFERENCE_COLOURS:
        (refs / name).write_bytes(gradient_png(colour))
    extra = folder / "extra.png"
    extra.write_bytes(gradient_png((240, 200, 30)))
    cover = folder / "cover.png"
    cover.write_bytes(gradient_png((180, 60, 220), size=96))
    return refs, extra, cover


class _Printer:
    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._step = 0

    def line(self, text: str = "") -> None:
        self._stream.write(text + "\n")
        self._stream.flush()

    def step(self, title: str, command: str) -> None:
        self._step += 1
        self.line()
        self.line(f"{self._step}. {title}")
        self.line(f"   $ {command}")

    def urls(self, label: str, urls: Sequence[str]) -> None:
        self.line(f"   {label}:")
        for url in urls:
            self.line(f"     {url}")


_DEMO_MANIFEST = """\
[[character]]
identifier = "bob"
name = "Bob"
description = "Tall, grey beard"
references = ["refs/"]
cover = "cover.png"

[[prop]]
handle = "lantern"
name = "Brass lantern"
references = ["extra.png", "refs/01-red.png"]
cover = "extra.png"

[[style]]
handle = "dusk"
name = "Dusk palette"
description = "Warm gradients fading to violet"
references = ["cover.png"]
"""


def _characters_as_code(out: _Printer, client: FalAssets, folder: Path) -> None:
    """The act for `plan` / `apply`: a cast kept in a repository, previewed, applied, edited, previewed."""
    from .plan_render import format_plan

    def show(text: str) -> None:
        for row in text.splitlines():
            out.line(f"   {row}" if row else "")

    manifest = folder / "characters.toml"
    manifest.write_text(_DEMO_MANIFEST)
    out.step(
        "Characters as code: the cast, a prop and a style in characters.toml, preview it", "fal-assets plan"
    )
    plan = client.characters.plan(manifest)
    show(format_plan(plan).replace(str(folder) + "/", ""))

    out.step("Apply it (uploads only content fal does not have yet)", "fal-assets apply --yes")
    result = client.characters.apply(plan)
    for change in result.changes:
        kind = "" if change.kind == "character" else f"{change.kind} "
        out.line(f"   {change.action}d {kind}{change.identifier} ({change.character_id})")
    out.line("   characters.lock now records its id and, per image, the sha256 and fal URL")

    out.step("Edit the description in characters.toml, preview again", "fal-assets plan --exit-code")
    manifest.write_text(_DEMO_MANIFEST.replace("Tall, grey beard", "Tall, grey beard, green scarf"))
    plan = client.characters.plan(manifest)
    show(format_plan(plan).replace(str(folder) + "/", ""))
    out.line("   (exit code 10: changes pending; apply would send exactly one PATCH and upload nothing)")


def run_demo(stream: TextIO) -> int:
    from ..testing import FakeFal  # imported late: only the demo and tests need the fake server

    started = time.perf_counter()
    out = _Printer(stream)
    out.line("fal-assets demo: the library against FakeFal, a local fake of fal's API and storage.")
    out.line("No network, no API key: everything below runs on 127.0.0.1.")
    with tempfile.TemporaryDirectory(prefix="fal-assets-demo-") as tmp, FakeFal.serve() as fake:
        out.line(
            f"fake fal:  API {fake.api_base_url}  storage {fake.storage_base_url}  CDN {fake.cdn_base_url}"
        )
        refs, extra, cover = write_demo_images(Path(tmp))
        images = sorted(refs.iterdir())
        out.line(f"images:    {len(images) + 2} PNGs generated in {tmp} (the commands below run there)")

        # trust_env=False: an HTTP(S)_PROXY from the environment would otherwise receive these loopback
        # requests, and a corporate proxy cannot reach this machine's 127.0.0.1.
        http = httpx.Client(trust_env=False, timeout=30.0)
        with http, FalAssets(**fake.client_kwargs(), http_client=http) as client:
            out.step(
                "Create a character from a folder (its images are uploaded in parallel)",
                "fal-assets characters create --name Alice --description '...' --ref refs/",
            )
            alice = client.characters.create(
                name="Alice",
                description="A demo character with a warm gradient palette",
                reference_images=refs,
                identifier="alice",
            )
            out.line(f"   created {alice.id} ({alice.name}) from {', '.join(p.name for p in images)}")
            out.urls("reference_images", alice.reference_images or [])

            out.step(
                "Update it: one local file plus an existing asset ID, and a new cover",
                f"fal-assets characters update {alice.id} --ref extra.png --ref {EXISTING_ASSET_ID} "
                "--cover cover.png",
            )
            alice = client.characters.update(
                alice.id, reference_images=[extra, EXISTING_ASSET_ID], cover_image=cover
            )
            out.urls("reference_images", alice.reference_images or [])
            out.line(f"   cover_image_url: {alice.cover_image_url}")

            out.step("List characters", "fal-assets characters list")
            for row in character_table(client.characters.list()).splitlines():
                out.line(f"   {row}")

            out.step("Mark it as a favorite", f"fal-assets characters favorite {alice.id}")
            alice = client.characters.favorite(alice.id)
            out.line(f"   is_favorited: {alice.is_favorited}")

            out.step("Delete it", f"fal-assets characters delete {alice.id} --yes")
            client.characters.delete(alice.id)
            try:
                client.characters.get(alice.id)
            except NotFoundError as exc:
                out.line(f"   deleted; fetching it again fails as expected: {exc}")
            else:
                raise AssertionError("the fake still has the deleted character")

            _characters_as_code(out, client, Path(tmp))

            from .demo_library import library_act

            library_act(out, client, refs, extra, http)

    out.line()
    out.line(
        f"Done in {time.perf_counter() - started:.1f} s. Against fal, set FAL_KEY and use the same calls."
    )
    return 0
