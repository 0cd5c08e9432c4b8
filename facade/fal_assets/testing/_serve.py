"""`fal-assets fake` and `python -m fal_assets.testing`: a FakeFal on 127.0.0.1 until Ctrl-C, for CLI tests
and tests in other languages. It prints where it serves and the settings to point a client at it."""

from __future__ import annotations

import argparse
import json
import shlex
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import TextIO

from ._fake import FakeFal

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".avif"})


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument(
        "--latency", type=float, default=0.0, metavar="SECONDS", help="delay every reply (default 0)"
    )
    parser.add_argument(
        "--seed",
        action="append",
        default=[],
        metavar="PATH",
        help="start with the characters of a characters.toml, or a folder's images as library assets "
        "(repeatable)",
    )
    parser.add_argument(
        "--env",
        action="store_true",
        help="print shell `export` lines (FAL_KEY, FAL_ASSETS_BASE_URL, FAL_ASSETS_STORAGE_URL) on stdout",
    )
    parser.add_argument("--api-key", metavar="KEY", help="the only key accepted (default: a generated one)")


def settings(fake: FakeFal) -> dict[str, str]:
    return {
        "FAL_KEY": fake.api_key,
        "FAL_ASSETS_BASE_URL": fake.api_base_url,
        "FAL_ASSETS_STORAGE_URL": fake.storage_base_url,
    }


def seed(fake: FakeFal, paths: Sequence[str]) -> list[str]:
    """Load each --seed into the served fake through the public client; one summary line per seed."""
    from .._client import FalAssets
    from ..cast.manifest import load_manifest

    done: list[str] = []
    with FalAssets(**fake.client_kwargs()) as client:
        for raw in paths:
            path = Path(raw).expanduser()
            if path.is_dir():
                images = sorted(
                    p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()
                )
                for image in images:
                    client.assets.upload(image)
                done.append(f"{len(images)} assets from {path}")
                continue
            manifest = load_manifest(path, fal_hosts=fake.fal_hosts)
            for entry in manifest.entries:
                references = [source.path or source.label for source in entry.references]
                cover = None if entry.cover is None else (entry.cover.path or entry.cover.label)
                if entry.kind == "character" and entry.description is not None:
                    client.characters.create(
                        name=entry.name,
                        description=entry.description,
                        identifier=entry.identifier,
                        reference_images=references,
                        cover_image=cover,
                    )
                else:
                    client.entities.create(
                        type=entry.kind,
                        name=entry.name,
                        handle=entry.identifier,
                        description=entry.description,
                        reference_images=references,
                        cover_image=cover,
                    )
            done.append(f"{len(manifest.entries)} characters and entities from {path}")
    return done


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(args: argparse.Namespace, stdout: TextIO, stderr: TextIO, *, as_json: bool = False) -> int:
    """Serve until interrupted (Ctrl-C or SIGTERM); 0 then. Raises what a bad --seed or --port raises."""
    if args.latency < 0:
        raise ValueError("--latency must not be negative")
    fake = FakeFal(args.api_key)
    fake.latency = args.latency
    try:
        fake.start(args.port)
    except OSError as exc:
        raise OSError(f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc}") from None
    try:
        seeded = seed(fake, args.seed)
        values = settings(fake)
        if as_json:
            stdout.write(json.dumps({**values, "cdn_base_url": fake.cdn_base_url}) + "\n")
        elif args.env:
            stdout.write("".join(f"export {name}={shlex.quote(value)}\n" for name, value in values.items()))
        info = stderr if (as_json or args.env) else stdout
        info.write(
            f"FakeFal serving on {fake.storage_base_url} (Ctrl-C to stop)\n"
            f"  API      {fake.api_base_url}\n"
            f"  storage  {fake.storage_base_url}\n"
            f"  CDN      {fake.cdn_base_url}\n"
            f"  FAL_KEY  {fake.api_key}\n"
            + "".join(f"  seeded   {line}\n" for line in seeded)
            + f"use: FAL_KEY={shlex.quote(fake.api_key)} fal-assets --base-url {fake.api_base_url} "
            f"--storage-url {fake.storage_base_url} characters list\n"
        )
        stdout.flush()
        stderr.flush()
        previous = signal.signal(signal.SIGTERM, _stop)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            info.write("FakeFal stopped\n")
        finally:
            signal.signal(signal.SIGTERM, previous)
    finally:
        fake.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m fal_assets.testing", description="Serve a FakeFal on 127.0.0.1 until Ctrl-C."
    )
    add_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the settings as one JSON line")
    args = parser.parse_args(argv)
    try:
        return serve(args, sys.stdout, sys.stderr, as_json=args.json)
    except (OSError, ValueError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
