"""`_uploads/threads.py`, what the sync uploader's threads share, without a server: `Workers` runs work on
at most `concurrency` threads made on first use, and `close()` interrupts every call still using it, lets
queued work fail fast rather than vanish, waits for its threads and refuses new work; `Call.wait` returns
once every upload added has settled, whichever thread settles it and even when reporting it raises;
`SyncBody` streams its byte range anew on every attempt; `prepare_all` hashes in the pool, and raises the
first bad input in input order only once every other has settled; `settle` waits for a token prefetch
without raising its error.

Every wait here is bounded, so that a regression fails instead of hanging the suite.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections.abc import Iterator
from concurrent.futures import CancelledError, Future
from typing import Any

import pytest
from fal_assets import ValidationError
from fal_assets._config import make_config
from fal_assets._core.attempt import Interrupt, Interrupted
from fal_assets._errors import ClientClosedError
from fal_assets._uploads.batch import BatchState, Group
from fal_assets._uploads.inputs import FileObject, MemoryBytes
from fal_assets._uploads.progress import JobProgress, Progress, UploadProgress
from fal_assets._uploads.protocol import Body
from fal_assets._uploads.readers import RangeReader
from fal_assets._uploads.sources import Hashing, prepare_source
from fal_assets._uploads.threads import Call, SyncBody, Workers, prepare_all, settle, shared_upload_done
from fal_assets._uploads.tokens import CdnToken

TIMEOUT = 5.0  # seconds: only ever reached by a regression
PREFIX = "fal-assets-upload"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def workers() -> Iterator[Workers]:
    made = Workers(3)
    try:
        yield made
    finally:
        made.close()


def wait_for(condition: Any, what: str) -> None:
    """Poll `condition()` until true, failing (not hanging) after TIMEOUT."""
    done = threading.Event()
    for _ in range(int(TIMEOUT / 0.005)):
        if condition():
            return
        done.wait(0.005)
    pytest.fail(f"timed out waiting for {what}")


def in_thread(target: Any) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


CONFIG = make_config(
    api_key="k",
    base_url=None,
    storage_base_url=None,
    fal_hosts=None,
    timeout=None,
    max_retries=0,
    uploads=None,
)


def new_call(workers: Workers) -> Call:
    return Call(workers.pool(), BatchState(), CONFIG.budget())


class Events:
    def __init__(self) -> None:
        self.seen: list[UploadProgress] = []

    def __call__(self, event: UploadProgress) -> None:
        self.seen.append(event)


def job_for(callback: Any, total: int = 10) -> JobProgress:
    return Progress(callback).job(["input"], total)


# -- Workers ---------------------------------------------------------------------------------------------


def test_the_pool_is_made_on_first_use_and_then_reused() -> None:
    before = set(threading.enumerate())
    workers = Workers(2)
    try:
        assert not [t for t in set(threading.enumerate()) - before if t.name.startswith(PREFIX)]
        pool = workers.pool()
        assert workers.pool() is pool
        assert pool.submit(threading.current_thread).result(TIMEOUT).name.startswith(PREFIX)
    finally:
        workers.close()


def test_at_most_concurrency_workers_run_at_once_and_results_come_back(workers: Workers) -> None:
    lock = threading.Lock()
    release = threading.Event()
    active = peak = 0
    threads: set[threading.Thread] = set()

    def task(n: int) -> int:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
            threads.add(threading.current_thread())
        try:
            release.wait(TIMEOUT)
            if n == 4:
                raise KeyError(n)
            return n * n
        finally:
            with lock:
                active -= 1

    futures = [workers.pool().submit(task, n) for n in range(9)]
    wait_for(lambda: active >= 3, "three tasks running")
    release.set()
    results = [f.exception(TIMEOUT) or f.result(TIMEOUT) for f in futures]
    assert results[:4] == [0, 1, 4, 9] and results[5:] == [25, 36, 49, 64]
    assert isinstance(results[4], KeyError)  # the failure comes back typed; the others are unaffected
    assert peak == 3 and len(threads) <= 3
    assert all(t.name.startswith(PREFIX) for t in threads)


def test_close_interrupts_every_call_still_using_the_workers() -> None:
    workers = Workers(2)
    joined, left, never = Interrupt(), Interrupt(), Interrupt()
    workers.join(joined)
    workers.join(left)
    workers.leave(left)
    workers.close()
    assert joined.is_set() and joined.reason == "the client was closed"
    assert not left.is_set() and not never.is_set()
    with pytest.raises(Interrupted, match="the client was closed"):
        joined.check()


def test_close_lets_queued_work_fail_fast_and_waits_for_the_threads() -> None:
    workers = Workers(1)
    interrupt = Interrupt()
    workers.join(interrupt)
    started = threading.Event()
    threads: list[threading.Thread] = []

    def in_flight() -> str:
        threads.append(threading.current_thread())
        started.set()
        interrupt.wait(TIMEOUT)  # a request in flight: the interrupt ends it at once
        return "not interrupted"

    def queued() -> str:
        interrupt.check()  # a request taken from the queue after close(): fails, it is not dropped
        return "not interrupted"

    running = workers.pool().submit(in_flight)
    waiting = workers.pool().submit(queued)
    assert started.wait(TIMEOUT)
    closer = in_thread(workers.close)
    closer.join(TIMEOUT)
    assert not closer.is_alive(), "close() did not return"
    for future in (running, waiting):
        assert future.done() and not future.cancelled()
        assert isinstance(future.exception(0), Interrupted)
    assert threads and not any(t.is_alive() for t in threads)


def test_a_closed_workers_refuses_new_work_and_closes_again_quietly() -> None:
    workers = Workers(2)
    pool = workers.pool()
    thread = pool.submit(threading.current_thread).result(TIMEOUT)
    workers.close()
    assert workers.closed and not thread.is_alive()
    with pytest.raises(ClientClosedError, match="closed"):
        workers.pool()
    with pytest.raises(RuntimeError):
        pool.submit(int)  # a call holding the old pool cannot schedule on it either
    workers.close()
    unused = Workers(2)
    unused.close()  # never used: no pool to shut down, and no thread was started for it
    with pytest.raises(ClientClosedError):
        unused.pool()


# -- Call and shared uploads -----------------------------------------------------------------------------


def test_call_wait_returns_once_every_added_upload_has_settled(workers: Workers) -> None:
    call = new_call(workers)
    idle = in_thread(call.wait)
    idle.join(TIMEOUT)
    assert not idle.is_alive()  # nothing added: nothing to wait for

    for _ in range(5):
        call.add()
    waiter = in_thread(call.wait)
    gates = [threading.Event() for _ in range(5)]

    def settle_when(gate: threading.Event) -> None:
        gate.wait(TIMEOUT)
        call.settle()

    futures = [workers.pool().submit(settle_when, gate) for gate in gates]
    for gate in gates[:4]:
        gate.set()
    for future in futures[:4]:
        future.result(TIMEOUT)
    waiter.join(0.05)
    assert waiter.is_alive()  # one upload has not settled yet
    gates[4].set()
    waiter.join(TIMEOUT)
    assert not waiter.is_alive()
    call.stop()
    assert call.stopped


def test_an_upload_by_another_call_is_reported_as_reused(workers: Workers) -> None:
    call = new_call(workers)
    events = Events()
    group = Group(prepare_source(MemoryBytes("input", "f", memoryview(PNG + b"a"))), [0])
    future: Future[str] = Future()
    call.add()
    future.add_done_callback(lambda f: shared_upload_done(call, group, job_for(events), f))
    workers.pool().submit(future.set_result, "https://cdn/x.png").result(TIMEOUT)
    assert (group.url, group.error) == ("https://cdn/x.png", None)
    [event] = events.seen
    assert event.done and event.reused and event.url == "https://cdn/x.png" and event.bytes_sent == 10
    waiter = in_thread(call.wait)
    waiter.join(TIMEOUT)
    assert not waiter.is_alive()


def test_a_failed_shared_upload_is_reported_as_its_error_and_a_stopped_call_hears_nothing(
    workers: Workers,
) -> None:
    call = new_call(workers)
    events = Events()
    group = Group(prepare_source(MemoryBytes("input", "f", memoryview(PNG + b"a"))), [0])
    failure = OSError("the owner's upload failed")
    failed: Future[str] = Future()
    failed.set_exception(failure)
    call.add()
    shared_upload_done(call, group, job_for(events), failed)
    assert group.url is None and group.error is failure
    [event] = events.seen
    assert event.done and not event.reused and event.error is failure

    call.stop()
    late = Events()
    done: Future[str] = Future()
    done.set_result("https://cdn/y.png")
    call.add()
    shared_upload_done(call, group, job_for(late), done)
    assert group.url == "https://cdn/y.png" and late.seen == []  # recorded, not reported
    waiter = in_thread(call.wait)
    waiter.join(TIMEOUT)
    assert not waiter.is_alive()


def test_a_cancelled_shared_upload_still_settles_the_call(workers: Workers) -> None:
    # No code path cancels these futures today; should one, the call must not wait for ever.
    call = new_call(workers)
    group = Group(prepare_source(MemoryBytes("input", "f", memoryview(PNG + b"a"))), [0])
    cancelled: Future[str] = Future()
    assert cancelled.cancel()
    call.add()
    with pytest.raises(CancelledError):
        shared_upload_done(call, group, job_for(Events()), cancelled)
    waiter = in_thread(call.wait)
    waiter.join(TIMEOUT)
    assert not waiter.is_alive()


def test_an_interrupt_raised_while_reporting_escapes_to_the_call_without_a_deadlock(
    workers: Workers,
) -> None:
    class Stop(BaseException):
        """Not an Exception: the progress guard lets it through, as it does an interrupt."""

    def interrupt(event: UploadProgress) -> None:
        raise Stop

    call = new_call(workers)
    group = Group(prepare_source(MemoryBytes("input", "f", memoryview(PNG + b"a"))), [0])
    first: Future[str] = Future()
    first.set_result("https://cdn/x.png")
    second: Future[str] = Future()
    second.set_result("https://cdn/x.png")
    call.add()
    call.add()
    with pytest.raises(Stop):
        shared_upload_done(call, group, job_for(interrupt), first)
    escaped = call.escaped
    assert isinstance(escaped, Stop)
    with pytest.raises(Stop):
        shared_upload_done(call, group, job_for(interrupt), second)
    assert call.escaped is escaped  # the first one is what the call raises
    waiter = in_thread(call.wait)
    waiter.join(TIMEOUT)
    assert not waiter.is_alive()  # both settled although both raised


# -- SyncBody --------------------------------------------------------------------------------------------


class ChunkedReader:
    """A Reader of fixed bytes in small chunks, recording the ranges it opened and closed."""

    blocking = False

    def __init__(self, data: bytes, chunk: int) -> None:
        self._data = data
        self._chunk = chunk
        self.opened: list[tuple[int, int]] = []
        self.closed = 0

    def open_range(self, offset: int, length: int) -> RangeReader:
        self.opened.append((offset, length))
        reader = self
        data = self._data[offset : offset + length]

        class Range:
            position = 0

            def read_chunk(self) -> bytes | None:
                if self.position >= len(data):
                    return None
                chunk = data[self.position : self.position + reader._chunk]
                self.position += len(chunk)
                return chunk

            def close(self) -> None:
                reader.closed += 1

        return Range()

    def close(self) -> None:
        pass


def test_a_sync_body_streams_its_range_anew_on_every_attempt() -> None:
    reader = ChunkedReader(bytes(range(100)), chunk=16)
    events = Events()
    sent = threading.Event()
    body = SyncBody(Body(reader, 10, 40, "part-1"), job_for(events, total=40), sent)
    assert not sent.is_set()
    first = list(body)
    assert b"".join(first) == bytes(range(10, 50)) and [len(c) for c in first] == [16, 16, 8]
    assert sent.is_set()
    assert [e.bytes_sent for e in events.seen] == [16, 32, 40] and not any(e.done for e in events.seen)
    events.seen.clear()
    assert b"".join(body) == bytes(range(10, 50))  # a retry re-opens the range: its count restarts
    assert [e.bytes_sent for e in events.seen] == [16, 32, 40]
    assert reader.opened == [(10, 40), (10, 40)] and reader.closed == 2


def test_a_sync_body_abandoned_midway_closes_its_range() -> None:
    reader = ChunkedReader(bytes(64), chunk=8)
    chunks = iter(SyncBody(Body(reader, 0, 64, "whole"), job_for(None)))
    assert next(chunks) == bytes(8)
    assert reader.closed == 0
    chunks.close()  # type: ignore[attr-defined]
    assert reader.closed == 1


# -- prepare_all and settle ------------------------------------------------------------------------------


class Recorded(io.BytesIO):
    """A seekable file object recording the threads that read it; `fail` makes every read fail, `gate` makes
    reads wait for it (bounded)."""

    def __init__(self, data: bytes, *, fail: bool = False, gate: threading.Event | None = None) -> None:
        super().__init__(data)
        self.fail = fail
        self.gate = gate
        self.threads: set[str] = set()
        self.finished = False

    def read(self, size: int | None = -1) -> bytes:
        self.threads.add(threading.current_thread().name)
        if self.gate is not None:
            self.gate.wait(TIMEOUT)
        if self.fail:
            raise OSError("device went away")
        data = super().read(size)
        self.finished = self.tell() >= len(self.getvalue())
        return data


def file_input(stream: Recorded, field: str) -> FileObject:
    return FileObject(field, field, stream, 0, len(stream.getvalue()))


def test_prepare_all_hashes_in_the_pool_and_returns_every_input_in_order(workers: Workers) -> None:
    streams = {name: Recorded(PNG + name.encode() * 50) for name in ("a", "b", "c", "d")}
    modes: dict[str, Hashing] = {"a": "hash", "b": "stream", "c": "hash", "d": "sample"}
    inputs = {(name,): (file_input(streams[name], name), modes[name]) for name in streams}
    prepared = prepare_all(workers.pool(), inputs)
    assert list(prepared) == [("a",), ("b",), ("c",), ("d",)]
    for name, stream in streams.items():
        assert prepared[(name,)].sha256 == hashlib.sha256(stream.getvalue()).hexdigest()
    caller = threading.current_thread().name
    for name in ("a", "c"):
        [reader] = streams[name].threads
        assert reader.startswith(PREFIX)
    assert streams["b"].threads == streams["d"].threads == {caller}


@pytest.mark.parametrize("pool_first", [True, False], ids=["pool-input-first", "caller-input-first"])
def test_prepare_all_raises_the_first_bad_input_once_every_other_has_settled(
    workers: Workers, pool_first: bool
) -> None:
    gate = threading.Event()
    in_pool = Recorded(PNG + b"p" * 64, fail=True)
    in_caller = Recorded(PNG + b"c" * 64, fail=True)
    # Read in the pool only once the caller's own input has failed: prepare_all must still wait for it.
    slow = Recorded(PNG + b"s" * 64, gate=gate)
    caller_input = file_input(in_caller, "caller")
    original_read = in_caller.read

    def read_then_open_gate(size: int | None = -1) -> bytes:
        gate.set()
        return original_read(size)

    in_caller.read = read_then_open_gate  # type: ignore[method-assign]
    entries: list[tuple[tuple[object, ...], tuple[FileObject, Hashing]]] = [
        (("pool",), (file_input(in_pool, "pool"), "hash")),
        (("caller",), (caller_input, "stream")),
    ]
    if not pool_first:
        entries.reverse()
    entries.append((("slow",), (file_input(slow, "slow"), "hash")))
    with pytest.raises(ValidationError) as caught:
        prepare_all(workers.pool(), dict(entries))
    assert caught.value.field == ("pool" if pool_first else "caller")
    assert slow.finished  # settled before prepare_all raised


def test_settle_waits_for_the_prefetch_without_raising_its_error(workers: Workers) -> None:
    settle(None)
    release = threading.Event()

    def token() -> CdnToken:
        release.wait(TIMEOUT)
        raise OSError("the token request failed")

    prefetch = workers.pool().submit(token)
    settler = in_thread(lambda: settle(prefetch))
    settler.join(0.05)
    assert settler.is_alive() and not prefetch.done()
    release.set()
    settler.join(TIMEOUT)
    assert not settler.is_alive() and isinstance(prefetch.exception(0), OSError)
