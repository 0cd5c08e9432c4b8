"""Peak memory of big uploads, measured in a fresh child process against a served FakeFal in this one.

fal-client grows peak RSS by ~230 MiB uploading a 300 MiB file (and ~520 MiB for 300 MiB of bytes); ours
streams 1 MiB chunks, so its growth is bounded by concurrency x chunk size, not by the file. The child
reads VmHWM from /proc/self/status (its own high-water mark; ru_maxrss can start at the parent's peak).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fal_assets.testing import FakeFal

MiB = 1024 * 1024
SIZE = 300 * MiB
LIMIT = 64 * MiB

_CHILD = r"""
import asyncio, json, sys, time
import httpx
from fal_assets._config import make_config
from fal_assets._core.engine import AsyncEngine, SyncEngine
from fal_assets._uploads import AsyncUploader, SyncUploader

def peak() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM")

mode, path, storage, hosts, key = sys.argv[1:6]
config = make_config(api_key=key, base_url=None, storage_base_url=storage, fal_hosts=hosts.split(","),
                     timeout=60.0, max_retries=0, uploads=None)
# Non-zero bytes: a calloc'ed zero buffer would not even be resident until touched.
source = b"\x01" * int(sys.argv[6]) if mode == "bytes" else path

if mode == "async":
    async def run() -> tuple[int, int, list[str]]:
        async with httpx.AsyncClient() as http:
            up = AsyncUploader(AsyncEngine(http, asyncio.sleep), config)
            await up.upload_many([b"warm-up: imports, pools, the token"])
            before = peak()
            urls = await up.upload_many([source])
            return before, peak(), urls
    before, after, urls = asyncio.run(run())
else:
    with httpx.Client() as http:
        up = SyncUploader(SyncEngine(http, time.sleep), config)
        up.upload_many([b"warm-up: imports, pools, the token"])
        before = peak()
        urls = up.upload_many([source])
        after = peak()
        up.close()
print(json.dumps({"before": before, "after": after, "url": urls[0]}))
"""


def _sha256_of_repeated(byte: int, size: int) -> str:
    digest = hashlib.sha256()
    block = bytes([byte]) * MiB
    for _ in range(size // MiB):
        digest.update(block)
    return digest.hexdigest()


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("memory") / "big.bin"
    with path.open("wb") as f:
        f.truncate(SIZE)  # sparse: instant to create, and reads cost no disk I/O
    return path


def _upload_in_child(fake: FakeFal, mode: str, path: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    args = [mode, str(path), fake.storage_base_url, ",".join(fake.fal_hosts), fake.api_key, str(SIZE)]
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("mode", ["sync", "async", "bytes"])
def test_300_mib_upload_grows_peak_rss_by_less_than_64_mib(mode: str, big_file: Path) -> None:
    with FakeFal.serve() as fake:
        result = _upload_in_child(fake, mode, big_file)
        stored = fake.files[result["url"]]
    growth = result["after"] - result["before"]
    print(f"{mode}: peak RSS grew by {growth / MiB:.1f} MiB uploading {SIZE // MiB} MiB")
    assert growth < LIMIT, f"{mode}: peak RSS grew by {growth / MiB:.1f} MiB"
    assert (stored.via, stored.size, stored.parts_sorted) == ("multipart", SIZE, True)
    assert stored.sha256 == _sha256_of_repeated(1 if mode == "bytes" else 0, SIZE)
