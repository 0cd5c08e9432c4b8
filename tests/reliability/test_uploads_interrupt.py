"""Interrupting uploads: Ctrl-C, `close()` from another thread, task cancellation and `aclose()` stop
in-flight and queued uploads within a second or two, start no new attempt, and leave no thread behind.

The upload host accepts every request and never answers (tests/hostile.py), which is what kept the
interpreter alive for minutes before.
"""

from __future__ import annotations

import asyncio
import io
import json
import socket
import subprocess
import sys
import threading
import time
from typing import Any

import pytest
from fal_assets import AsyncFalAssets, FalAssets, FalAssetsError, UploadProgress, UploadSettings
from fal_assets.cli.output import ProgressPrinter

from tests.hostile import Behaviour, HostileServer, never_answer, reply, routes, serving

CONCURRENCY = UploadSettings().concurrency  # the default: the requests in flight at most
INPUTS = [b"\x89PNG" + bytes([n]) * 64 for n in range(50)]


def stalled_storage() -> Behaviour:
    def token(conn: Any, request: Any) -> None:
        host = request.headers["host"]
        reply(200, {"token": "t", "token_type": "Bearer", "base_url": f"http://{host}"})(conn, request)

    return routes({"/storage/auth/token": token}, default=never_answer())


def uploads_sent(server: HostileServer) -> int:
    return sum(1 for r in server.requests if not r.target.startswith("/storage/auth/token"))


def settings(server: HostileServer) -> dict[str, Any]:
    return {
        "api_key": "k",
        "base_url": f"{server.origin}/v1",
        "storage_base_url": server.origin,
        "fal_hosts": ["127.0.0.1"],
    }


_CTRL_C = r"""
import json, os, signal, sys, threading, time
from fal_assets import FalAssets
origin = sys.argv[1]
client = FalAssets(api_key="k", base_url=origin + "/v1", storage_base_url=origin, fal_hosts=["127.0.0.1"])
threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
started = time.monotonic()
try:
    client.files.upload_many([b"\x89PNG" + bytes([n]) * 64 for n in range(50)])
except KeyboardInterrupt:
    print(json.dumps({"interrupted_after": time.monotonic() - started}), flush=True)
"""


def test_ctrl_c_stops_uploads_and_the_process_exits() -> None:
    with serving(stalled_storage()) as storage:
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-c", _CTRL_C, storage.origin],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
        lifetime = time.monotonic() - started
        sent = uploads_sent(storage)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["interrupted_after"] < 1 + 1.5
    # Interpreter start and imports, the 1 s before Ctrl-C, then at most a second or two to exit.
    assert lifetime < 1 + 4
    assert 1 <= sent <= CONCURRENCY  # the requests in flight at Ctrl-C; nothing started after it


def test_close_from_another_thread_stops_uploads() -> None:
    outcome: list[BaseException | None] = []
    events: list[UploadProgress] = []
    # Other tests in this process may hold clients of their own (and their idle upload threads).
    before = set(threading.enumerate())
    with serving(stalled_storage()) as storage:
        client = FalAssets(**settings(storage))

        def upload() -> None:
            try:
                client.files.upload_many(INPUTS, on_progress=events.append)
                outcome.append(None)
            except BaseException as exc:
                outcome.append(exc)

        worker = threading.Thread(target=upload, daemon=True)
        worker.start()
        time.sleep(0.7)
        started = time.monotonic()
        client.close()
        closing = time.monotonic() - started
        worker.join(3)
        sent = uploads_sent(storage)
    assert closing < 2 and not worker.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], FalAssetsError), outcome
    assert 1 <= sent <= CONCURRENCY
    assert not [t for t in set(threading.enumerate()) - before if t.name.startswith("fal-assets-upload")]
    # Every input still got its last event, with the error, before the call returned.
    done = [e for e in events if e.done]
    assert sorted(id(e.input) for e in done) == sorted(id(i) for i in INPUTS)
    assert all(e.error is not None and e.url is None for e in done)
    # Each says why: the close, not the disconnect httpx saw when the close shut its socket.
    assert "the client was closed" in str(outcome[0]) and "RemoteProtocolError" not in str(outcome[0])
    for item in INPUTS:  # that last event is final: nothing about the input follows it
        mine = [e for e in events if e.input is item]
        assert mine[-1].done and sum(e.done for e in mine) == 1
    # The CLI's progress line counts none of them as uploaded.
    printer = ProgressPrinter(io.StringIO(), total_files=len(INPUTS), interval=0)
    for event in events:
        printer(event)
    assert printer.status_line().startswith(
        f"uploading: 0/{len(INPUTS)} files ({len(INPUTS)} failed or cancelled)"
    )


@pytest.mark.anyio
async def test_cancelling_the_task_stops_uploads() -> None:
    with serving(stalled_storage()) as storage:
        async with AsyncFalAssets(**settings(storage)) as client:
            task = asyncio.ensure_future(client.files.upload_many(INPUTS))
            await asyncio.sleep(0.7)
            started = time.monotonic()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await asyncio.wait_for(task, 2)
            assert time.monotonic() - started < 2
        assert 1 <= uploads_sent(storage) <= CONCURRENCY


@pytest.mark.anyio
async def test_aclose_stops_uploads_of_other_tasks() -> None:
    with serving(stalled_storage()) as storage:
        client = AsyncFalAssets(**settings(storage))
        task = asyncio.ensure_future(client.files.upload_many(INPUTS))
        await asyncio.sleep(0.7)
        started = time.monotonic()
        await asyncio.wait_for(client.close(), 2)
        with pytest.raises(FalAssetsError):
            await asyncio.wait_for(task, 2)
        assert time.monotonic() - started < 2
        assert 1 <= uploads_sent(storage) <= CONCURRENCY


def test_close_returns_at_once_while_connections_to_a_silent_cdn_are_still_connecting() -> None:
    """A CDN that never accepts past its backlog leaves connect() blocked: close() from another thread
    used to wait for the connect timeout (10 s). Repeated at many moments, to catch a 1-in-10 race: the
    chance that 30 runs all miss it is 0.9**30, about 4%."""
    hole = socket.create_server(("127.0.0.1", 0), backlog=1)  # listens, never accepts nor reads
    hole_origin = f"http://127.0.0.1:{hole.getsockname()[1]}"

    def token(conn: Any, request: Any) -> None:
        reply(200, {"token": "t", "token_type": "Bearer", "base_url": hole_origin})(conn, request)

    slowest = 0.0
    try:
        with serving(routes({"/storage/auth/token": token}, default=never_answer())) as storage:
            for run in range(30):
                client = FalAssets(**settings(storage))
                outcome: list[BaseException | None] = []

                def upload(client: FalAssets = client, outcome: list[BaseException | None] = outcome) -> None:
                    try:
                        client.files.upload_many(INPUTS)
                        outcome.append(None)
                    except BaseException as exc:
                        outcome.append(exc)

                worker = threading.Thread(target=upload, daemon=True)
                worker.start()
                time.sleep((0.0, 0.002, 0.01, 0.05, 0.2)[run % 5])
                started = time.monotonic()
                client.close()
                slowest = max(slowest, time.monotonic() - started)
                worker.join(2)
                assert not worker.is_alive()
                assert len(outcome) == 1 and isinstance(outcome[0], FalAssetsError), outcome
    finally:
        hole.close()
    assert slowest < 1, f"close() took {slowest:.2f} s"
