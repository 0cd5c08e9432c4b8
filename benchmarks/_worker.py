"""The child side of every measured run: ``python -m benchmarks._worker`` reads a `Job` on stdin.

Each run gets a fresh interpreter so that no client, connection pool, token cache or dedupe cache carries
over from another contender or repeat, and so that peak memory is this run's alone. The guard goes in
before any HTTP library is imported.
"""

from __future__ import annotations

from benchmarks import _guard

_guard.install()

import asyncio  # noqa: E402
import cProfile  # noqa: E402
import gc  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import mimetypes  # noqa: E402
import os  # noqa: E402
import pstats  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Callable  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import httpx  # noqa: E402

from benchmarks._memory import MemoryProbe  # noqa: E402
from benchmarks._protocol import RESULT_MARKER, Endpoint, Job, UploadTuning  # noqa: E402

# The raw-httpx baseline: what a careful engineer writes by hand with one pooled client, at the facade's
# concurrency unless the job says otherwise (cases pass the facade's default explicitly).
RAW_CONCURRENCY = 8
RAW_MULTIPART_THRESHOLD = 100 * 1024 * 1024  # the facade's defaults, for the same parts on both sides
RAW_PART_SIZE = 10 * 1024 * 1024


# -- uploads -------------------------------------------------------------------------------------


# An uploader is set up by `prepare()` (client construction, untimed by itself) and returns the callable
# that uploads every path of the job and closes its client.
Uploader = Callable[[], list[str]]


def _facade_uploader(job: Job) -> Uploader:
    from fal_assets import FalAssets, UploadSettings

    settings = {
        name: value
        for name, value in (
            ("multipart_threshold", job.tuning.multipart_threshold),
            ("part_size", job.tuning.part_size),
            ("concurrency", job.tuning.concurrency),
        )
        if value is not None
    }
    client = FalAssets(**job.endpoint.facade_kwargs(), uploads=UploadSettings(**settings))

    def run() -> list[str]:
        with client:
            if job.single:
                return [client.files.upload(path) for path in job.paths]
            return list(client.files.upload_many(job.paths))

    return run


def point_fal_client_at(endpoint: Endpoint, tuning: UploadTuning) -> None:
    """fal-client 1.0.3 has its hosts as module constants, read at call time; FAL_KEY comes from the env.

    ``REST_URL`` serves the token (and the fallback); single uploads go to ``CDN_URL``, multipart to the
    token's ``base_url``, which the fake sets to its own CDN path.
    """
    import fal_client.client as fal_module

    fal_module.REST_URL = endpoint.storage_base_url
    fal_module.CDN_URL = endpoint.cdn_base_url
    if tuning.multipart_threshold is not None:
        fal_module.MULTIPART_THRESHOLD = tuning.multipart_threshold
    if tuning.part_size is not None:
        fal_module.MULTIPART_CHUNK_SIZE = tuning.part_size


def _fal_client_uploader(job: Job) -> Uploader:
    # The module-level function, as users call it; it builds its HTTP clients inside each call.
    import fal_client

    point_fal_client_at(job.endpoint, job.tuning)

    def run() -> list[str]:
        return [fal_client.upload_file(Path(path)) for path in job.paths]

    return run


def _httpx_uploader(job: Job) -> Uploader:
    endpoint = job.endpoint
    concurrency = job.tuning.concurrency or RAW_CONCURRENCY
    threshold = job.tuning.multipart_threshold or RAW_MULTIPART_THRESHOLD
    part_size = job.tuning.part_size or RAW_PART_SIZE
    http = httpx.Client(limits=httpx.Limits(max_connections=concurrency))

    def run() -> list[str]:
        with http:
            reply = http.post(
                f"{endpoint.storage_base_url}/storage/auth/token",
                params={"storage_type": "fal-cdn-v3"},
                json={},
                headers={"Authorization": f"Key {endpoint.api_key}"},
            )
            reply.raise_for_status()
            token = reply.json()
            auth = f"{token['token_type']} {token['token']}"
            with ThreadPoolExecutor(concurrency) as pool:

                def headers(path: str) -> dict[str, str]:
                    return {
                        "Authorization": auth,
                        "Content-Type": mimetypes.guess_type(path)[0] or "application/octet-stream",
                        "X-Fal-File-Name": os.path.basename(path),
                    }

                def one(path: str) -> str:
                    if os.path.getsize(path) > threshold:
                        return multipart(path)
                    answer = http.post(
                        f"{token['base_url']}/files/upload",
                        content=Path(path).read_bytes(),
                        headers=headers(path),
                    )
                    answer.raise_for_status()
                    return str(answer.json()["access_url"])

                def multipart(path: str) -> str:
                    # The same protocol and parts as the facade: initiate, parts in parallel (each read
                    # whole with pread: the simplest fast code, memory bounded by the pool), complete.
                    started = http.post(f"{token['base_url']}/files/upload/multipart", headers=headers(path))
                    started.raise_for_status()
                    upload = started.json()
                    base = f"{upload['access_url']}/multipart/{upload['uploadId']}"
                    size = os.path.getsize(path)
                    kind = headers(path)["Content-Type"]
                    fd = os.open(path, os.O_RDONLY)
                    try:

                        def part(number: int) -> dict[str, Any]:
                            offset = (number - 1) * part_size
                            data = os.pread(fd, min(part_size, size - offset), offset)
                            answer = http.put(
                                f"{base}/{number}",
                                content=data,
                                headers={
                                    "Authorization": auth,
                                    "Content-Type": kind,
                                },
                            )
                            answer.raise_for_status()
                            return {"partNumber": number, "etag": answer.headers["etag"]}

                        count = -(-size // part_size)
                        parts = list(pool.map(part, range(1, count + 1)))
                    finally:
                        os.close(fd)
                    done = http.post(
                        f"{base}/complete", json={"parts": parts}, headers={"Authorization": auth}
                    )
                    done.raise_for_status()
                    return str(upload["access_url"])

                if len(job.paths) == 1:
                    return [one(job.paths[0])]  # its parts need the pool's threads
                return list(pool.map(one, job.paths))

    return run


_UPLOADERS: dict[str, Callable[[Job], Uploader]] = {
    "facade": _facade_uploader,
    "fal_client": _fal_client_uploader,
    "httpx": _httpx_uploader,
}


# Imported before the clock and the memory probe start: import cost has a case of its own. fal_assets
# loads its client, resources and upload engine on first use; those modules are loaded here too, and the
# time they take is reported apart (`first_use_import_seconds`): paid once per process, not per upload.
_LIBRARIES = {
    "facade": (
        "fal_assets",
        "fal_assets._client",
        "fal_assets.resources.characters",
        "fal_assets.resources.files",
        "fal_assets._uploads.sync",
        "fal_assets._uploads.aio",
        "fal_assets._core.operations",
    ),
    "fal_client": ("fal_client",),
    "httpx": ("httpx",),
}


def _cpu_seconds() -> float:
    """User + system CPU of this process, every thread included."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def task_upload(job: Job) -> dict[str, Any]:
    importlib.import_module(_LIBRARIES[job.contender][0])
    lazy_started = time.perf_counter()
    for module in _LIBRARIES[job.contender][1:]:
        importlib.import_module(module)
    first_use_imports = time.perf_counter() - lazy_started
    # httpx imports httpcore on its first client, and mimetypes reads the system tables on first use: both
    # one-off import costs that every contender would otherwise pay inside its timing.
    importlib.import_module("httpcore")
    mimetypes.init()
    # Importing leaves the garbage collector partway to a full pass (over every object the imports made),
    # which then lands in whichever timed phase reaches the threshold: measured, a 20-25 ms full pass inside
    # the facade's 200-file upload phase and none in raw httpx's. One collection here, for every contender,
    # keeps that one-off import cost out of the phases as the imports themselves are.
    gc.collect()
    with MemoryProbe() as memory:
        started = time.perf_counter()
        run = _UPLOADERS[job.contender](job)
        prepared = time.perf_counter()
        cpu_before = _cpu_seconds()
        urls = run()
        finished = time.perf_counter()
        cpu = _cpu_seconds() - cpu_before
    first_request = _guard.first_connect[0] - prepared if _guard.first_connect else None
    return {
        "seconds": finished - started,
        "setup_seconds": prepared - started,
        "upload_seconds": finished - prepared,
        "upload_cpu_seconds": cpu,
        "first_use_import_seconds": first_use_imports,
        "first_request_seconds": first_request,
        "urls": urls,
        "rss_growth_kib": memory.growth_kib,
        "rss_base_kib": memory.base_kib,
        "memory_method": memory.method,
    }


# -- character updates ---------------------------------------------------------------------------


def _raw_headers(api_key: str, *, idempotency_key: bool) -> Callable[[], dict[str, str]]:
    """The facade sends a fresh Idempotency-Key with every write; the like-for-like baseline does too, so
    both ask the server for the same work and the ratio measures the clients."""
    fixed = {"Authorization": f"Key {api_key}"}
    if not idempotency_key:
        return lambda: fixed
    return lambda: {**fixed, "Idempotency-Key": str(uuid.uuid4())}


def _update_loop(job: Job, contender: str, loop: asyncio.AbstractEventLoop) -> Callable[[int], None]:
    """A callable making `n` sequential updates of the job's character, each with a new name."""
    endpoint, cid = job.endpoint, job.character_id
    path = f"/assets/characters/{cid}"
    if contender == "facade_sync":
        from fal_assets import FalAssets

        client = FalAssets(**endpoint.facade_kwargs())

        def facade_sync(n: int) -> None:
            for i in range(n):
                client.characters.update(cid, name=f"bench {i}")

        return facade_sync
    if contender in ("httpx_sync", "httpx_sync_bare"):
        http = httpx.Client(base_url=endpoint.api_base_url)
        headers = _raw_headers(endpoint.api_key, idempotency_key=contender == "httpx_sync")

        def httpx_sync(n: int) -> None:
            for i in range(n):
                reply = http.patch(path, json={"name": f"bench {i}"}, headers=headers())
                reply.raise_for_status()
                reply.json()

        return httpx_sync
    if contender == "facade_async":
        from fal_assets import AsyncFalAssets

        async_client = AsyncFalAssets(**endpoint.facade_kwargs())

        async def facade_async(n: int) -> None:
            for i in range(n):
                await async_client.characters.update(cid, name=f"bench {i}")

        return lambda n: loop.run_until_complete(facade_async(n))
    if contender == "httpx_async":
        async_http = httpx.AsyncClient(base_url=endpoint.api_base_url)
        async_headers = _raw_headers(endpoint.api_key, idempotency_key=True)

        async def httpx_async(n: int) -> None:
            for i in range(n):
                reply = await async_http.patch(path, json={"name": f"bench {i}"}, headers=async_headers())
                reply.raise_for_status()
                reply.json()

        return lambda n: loop.run_until_complete(httpx_async(n))
    raise ValueError(f"unknown update contender {contender!r}")


def task_update(job: Job) -> dict[str, Any]:
    """The group's contenders in alternating blocks (order rotated per block), so that whatever else the
    machine is doing weighs on each of them alike; the result is each contender's time per block."""
    # One loop for every async client, warm-up and measurement: an async pool is bound to its first loop.
    loop = asyncio.new_event_loop()
    loops = {c: _update_loop(job, c, loop) for c in job.group}
    for run in loops.values():
        run(job.warmup)
    blocks: dict[str, list[float]] = {c: [] for c in job.group}
    for index in range(job.calls // job.block):
        shift = index % len(job.group)
        for contender in [*job.group[shift:], *job.group[:shift]]:
            started = time.perf_counter()
            loops[contender](job.block)
            blocks[contender].append(time.perf_counter() - started)
    return {"blocks": blocks}


def _package_of(filename: str, function: str) -> str:
    if filename == "~":
        if "recv" in function or "send" in function or "select" in function or "poll" in function:
            return "socket I/O (waiting on the server)"
        return "builtins"
    path = filename.replace("\\", "/")
    for package in ("fal_assets_api", "fal_assets", "httpx", "httpcore", "h11", "anyio", "dateutil", "attr"):
        if f"/{package}/" in path:
            return package
    if "/asyncio/" in path or "/selectors.py" in path:
        return "asyncio"
    if "/json/" in path:
        return "json"
    return "other stdlib"


def task_profile_update(job: Job) -> dict[str, Any]:
    """cProfile of one contender's update loop, as own time per call grouped by package, plus the top
    functions."""
    run = _update_loop(job, job.contender, asyncio.new_event_loop())
    run(job.warmup)
    profiler = cProfile.Profile()
    profiler.enable()
    run(job.calls)
    profiler.disable()
    stats = pstats.Stats(profiler)
    by_package: dict[str, float] = {}
    functions: list[tuple[float, float, int, str]] = []
    raw_stats: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = stats.stats  # type: ignore[attr-defined]
    for (filename, line, name), (_cc, ncalls, tottime, cumtime, _callers) in raw_stats.items():
        package = _package_of(filename, name)
        by_package[package] = by_package.get(package, 0.0) + tottime
        label = f"{package}: {Path(filename).name}:{line} {name}" if filename != "~" else name
        functions.append((tottime, cumtime, ncalls, label))
    functions.sort(reverse=True)
    return {
        "calls": job.calls,
        "by_package": by_package,
        "top": [{"tottime": t, "cumtime": c, "ncalls": n, "function": f} for t, c, n, f in functions[:12]],
    }


# -- dedupe --------------------------------------------------------------------------------------


def task_dedupe(job: Job) -> dict[str, Any]:
    from fal_assets import FalAssets

    timings: list[float] = []
    references: list[list[str]] = []
    with FalAssets(**job.endpoint.facade_kwargs()) as client:
        for _ in range(2):
            started = time.perf_counter()
            character = client.characters.update(job.character_id, reference_images=list(job.paths))
            timings.append(time.perf_counter() - started)
            references.append(list(character.reference_images or ()))
    return {"seconds": timings, "references": references}


TASKS: dict[str, Callable[[Job], dict[str, Any]]] = {
    "upload": task_upload,
    "update": task_update,
    "profile_update": task_profile_update,
    "dedupe": task_dedupe,
}


def main() -> None:
    job = Job.from_json(sys.stdin.read())
    result = TASKS[job.task](job)
    if _guard.blocked:
        raise SystemExit(f"network guard refused: {_guard.blocked}")
    result["guard_refusals"] = list(_guard.blocked)
    print(RESULT_MARKER + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
