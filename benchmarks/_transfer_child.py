"""The child of the download and async-upload cases (`_transfer_case.py`): reads a job (JSON) on stdin,
builds its contender's client, runs the timed phase once, prints its result after RESULT_MARKER.

Every contender imports its library, builds its client and runs one `gc.collect()` before the clock, as in
`_worker.py`; the guard refuses any non-loopback connection before an HTTP library is imported."""

from __future__ import annotations

from benchmarks import _guard

_guard.install()

import asyncio  # noqa: E402
import gc  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import httpx  # noqa: E402

from benchmarks._memory import MemoryProbe  # noqa: E402
from benchmarks._protocol import RESULT_MARKER  # noqa: E402


def _facade_download(job: dict[str, Any]) -> Callable[[], Any]:
    from fal_assets import FalAssets

    client = FalAssets(**_kwargs(job))
    pairs = [(url, f"{job['dest']}/{n}.bin") for n, url in enumerate(job["urls"])]

    def run() -> Any:
        with client:
            return [str(p) for p in client.files.download_many(pairs)]

    return run


def _httpx_download(job: dict[str, Any]) -> Callable[[], Any]:
    # What a careful engineer writes by hand: one pooled client, threads, streamed to a temporary file
    # renamed into place.
    concurrency = job["concurrency"]
    http = httpx.Client(limits=httpx.Limits(max_connections=concurrency))

    def one(item: tuple[int, str]) -> str:
        n, url = item
        final = f"{job['dest']}/{n}.bin"
        with http.stream("GET", url) as response:
            response.raise_for_status()
            with open(final + ".part", "wb") as out:
                for chunk in response.iter_raw():
                    out.write(chunk)
        os.replace(final + ".part", final)
        return final

    def run() -> Any:
        with http, ThreadPoolExecutor(concurrency) as pool:
            return list(pool.map(one, enumerate(job["urls"])))

    return run


def _facade_async_upload(job: dict[str, Any]) -> Callable[[], Any]:
    from fal_assets import AsyncFalAssets

    # Built before the clock, as every other contender's client is: the phase timed is the upload.
    client = AsyncFalAssets(**_kwargs(job))

    def run() -> Any:
        async def go() -> list[str]:
            async with client:
                return await client.files.upload_many(job["paths"])

        return asyncio.run(go())

    return run


def _httpx_async_upload(job: dict[str, Any]) -> Callable[[], Any]:
    concurrency = job["concurrency"]

    client = httpx.AsyncClient(limits=httpx.Limits(max_connections=concurrency))

    def run() -> Any:
        async def go() -> list[str]:
            async with client as http:
                reply = await http.post(
                    f"{job['storage_base_url']}/storage/auth/token",
                    params={"storage_type": "fal-cdn-v3"},
                    json={},
                    headers={"Authorization": f"Key {job['api_key']}"},
                )
                reply.raise_for_status()
                token = reply.json()
                auth = f"{token['token_type']} {token['token']}"
                slots = asyncio.Semaphore(concurrency)

                async def one(path: str) -> str:
                    async with slots:
                        answer = await http.post(
                            f"{token['base_url']}/files/upload",
                            # Read whole, as the sync raw baseline does (the simplest fast code).
                            content=Path(path).read_bytes(),  # noqa: ASYNC240
                            headers={
                                "Authorization": auth,
                                "Content-Type": "application/octet-stream",
                                "X-Fal-File-Name": os.path.basename(path),
                            },
                        )
                        answer.raise_for_status()
                        return str(answer.json()["access_url"])

                return list(await asyncio.gather(*(one(p) for p in job["paths"])))

        return asyncio.run(go())

    return run


def _kwargs(job: dict[str, Any]) -> dict[str, Any]:
    return {
        "api_key": job["api_key"],
        "base_url": job["api_base_url"],
        "storage_base_url": job["storage_base_url"],
        "fal_hosts": frozenset(job["fal_hosts"]),
    }


CONTENDERS = {
    "facade_download": _facade_download,
    "httpx_download": _httpx_download,
    "facade_async_upload": _facade_async_upload,
    "httpx_async_upload": _httpx_async_upload,
}


# Loaded before the clock, as `_worker.py` does: import cost has a case of its own, and fal_assets loads
# its client, resources and engines on first use.
_FIRST_USE = (
    "httpcore",
    "fal_assets._client",
    "fal_assets.resources.files",
    "fal_assets.resources.storage",
    "fal_assets._core.operations",
    "fal_assets._downloads.sync",
    "fal_assets._downloads.aio",
    "fal_assets._uploads.aio",
)


def main() -> None:
    job = json.loads(sys.stdin.read())
    for module in _FIRST_USE if job["contender"].startswith("facade") else _FIRST_USE[:1]:
        importlib.import_module(module)
    run = CONTENDERS[job["contender"]](job)
    gc.collect()
    cpu = time.process_time()
    with MemoryProbe() as probe:
        started = time.perf_counter()
        result = run()
        elapsed = time.perf_counter() - started
    report = {
        "seconds": elapsed,
        "cpu": time.process_time() - cpu,
        "rss_growth_kib": probe.growth_kib,
        "memory_method": probe.method,
        "result": result,
    }
    print(RESULT_MARKER + json.dumps(report))


if __name__ == "__main__":
    main()
