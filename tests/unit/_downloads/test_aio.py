"""The async driver: download and download_many (one of them forbidden: fetched through a signed URL), and
a cut body resumed."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from fal_assets import (
    AsyncFalAssets,
)
from fal_assets.testing import FakeFal

from tests.support import Sleeps, async_client

DATA = os.urandom(300_000)


def test_async_downloads(fal_fake: FakeFal, tmp_path: Path) -> None:
    contents = [os.urandom(50_000) for _ in range(5)]
    urls = [fal_fake.add_file(c, f"f{n}.bin") for n, c in enumerate(contents)]

    async def run() -> list[Path]:
        async with async_client(fal_fake) as client:
            await client.storage.set_acl(urls[0], default="forbid")
            one = await client.files.download(urls[1], tmp_path / "one.bin")
            many = await client.files.download_many([(u, f"{tmp_path / 'many'}/") for u in urls])
            return [one, *many]

    paths = asyncio.run(run())
    assert paths[0].read_bytes() == contents[1]
    assert [p.read_bytes() for p in paths[1:]] == contents


def test_async_resumes_a_cut_body(fal_fake: FakeFal, tmp_path: Path) -> None:
    url = fal_fake.add_file(DATA, "a.bin")
    fal_fake.body_fault_next("cut", amount=100_000)
    sleeps = Sleeps()

    async def run() -> Path:
        client: AsyncFalAssets = async_client(fal_fake, sleeps)
        async with client:
            return await client.files.download(url, tmp_path / "a.bin")

    assert asyncio.run(run()).read_bytes() == DATA
    ranges = [r.headers.get("range") for r in fal_fake.requests if r.operation == "fileGet"]
    assert ranges == [None, "bytes=100000-"] and len(sleeps.waits) == 1
