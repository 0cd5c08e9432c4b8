"""What the sync uploader's threads share: the worker pool and the calls using it (`Workers`), a call's
uploads in flight (`Call`), one upload's run (`Run`), request bodies streamed from their readers, and
preparing a call's inputs (hashing in parallel)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import httpx

from .._core.attempt import Budget, Interrupt
from .._errors import ClientClosedError
from .batch import BatchState, Group
from .progress import JobProgress
from .protocol import Body, UploadSteps
from .references import UploadSource
from .sources import Hashing, PreparedSource, prepare_source
from .tokens import CdnToken

__all__ = ["Call", "Run", "SyncBody", "Workers", "prepare_all", "settle", "shared_upload_done"]


class Workers:
    """The uploader's thread pool, made on first use, and the interrupts of the calls using it: `close()`
    sets them all (their sockets are shut down) and waits for the threads."""

    def __init__(self, concurrency: int) -> None:
        self._concurrency = concurrency
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self.closed = False
        self._live: set[Interrupt] = set()

    def pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self.closed:
                raise ClientClosedError("the client is closed")
            if self._pool is None:
                self._pool = ThreadPoolExecutor(
                    max_workers=self._concurrency, thread_name_prefix="fal-assets-upload"
                )
            return self._pool

    def join(self, interrupt: Interrupt) -> None:
        with self._lock:
            self._live.add(interrupt)

    def leave(self, interrupt: Interrupt) -> None:
        with self._lock:
            self._live.discard(interrupt)

    def close(self) -> None:
        with self._lock:
            self.closed = True
            pool, self._pool = self._pool, None
            live = list(self._live)
        for interrupt in live:
            interrupt.set("the client was closed")
        if pool is not None:
            # Queued requests are not cancelled here: the interrupt makes each fail at once when a worker
            # takes it, so the call driving it gets an error to report (a cancelled request has neither a
            # result nor an error for its upload).
            pool.shutdown(wait=True)


class SyncBody(httpx.SyncByteStream):
    """A re-creatable view of a body: every attempt builds a new one, which re-opens its byte range.
    `sent` is set when the body is first read: the request is then connected and its headers written."""

    def __init__(self, body: Body, progress: JobProgress, sent: threading.Event | None = None) -> None:
        self._body = body
        self._progress = progress
        self._sent = sent

    def __iter__(self) -> Iterator[bytes]:
        if self._sent is not None:
            self._sent.set()
        body = self._body
        chunks = body.reader.open_range(body.offset, body.length)
        self._progress.restart(body.track)
        try:
            while (chunk := chunks.read_chunk()) is not None:
                yield chunk
                # Resumed when the HTTP stack asks for more, i.e. once this chunk has been written.
                self._progress.add(body.track, len(chunk))
        finally:
            chunks.close()


class Call:
    """One call's uploads in flight: what their requests run under, and how many have yet to settle."""

    def __init__(self, pool: ThreadPoolExecutor, batch: BatchState, budget: Budget) -> None:
        self.pool = pool
        self.batch = batch
        self.budget = budget
        self._settled = threading.Condition()
        self._unsettled = 0
        self.stopped = False
        # An interrupt (not an Exception) raised in a callback, which concurrent.futures would only log: the
        # calling thread raises it.
        self.escaped: BaseException | None = None

    def add(self) -> None:
        with self._settled:
            self._unsettled += 1

    def settle(self) -> None:
        with self._settled:
            self._unsettled -= 1
            if self._unsettled == 0:
                self._settled.notify_all()

    def wait(self) -> None:
        with self._settled:
            while self._unsettled > 0:
                self._settled.wait()

    def stop(self) -> None:
        """The call is over (interrupted): what finishes from now on is no longer reported to it."""
        with self._settled:
            self.stopped = True


@dataclass(eq=False)
class Run:
    """One upload claimed by a call. `lock` guards the generator and the round's bookkeeping: the threads
    completing its requests (and the calling thread, when interrupted) take turns at it."""

    group: Group
    future: Future[str]
    steps: UploadSteps
    progress: JobProgress
    call: Call
    lock: threading.Lock = field(default_factory=threading.Lock)
    results: list[Any] = field(default_factory=list)
    error: BaseException | None = None
    pending: list[Future[Any]] = field(default_factory=list)
    remaining: int = 0
    started: bool = False
    finished: bool = False


def shared_upload_done(call: Call, group: Group, job: JobProgress, future: Future[str]) -> None:
    """Another call uploaded this content for us (a done-callback, in the thread that finished it)."""
    try:
        # Inside the try: whatever this raises, the call still settles (or its wait() would never return).
        group.error = future.exception()
        group.url = None if group.error else future.result()
        if not call.stopped:
            job.finish(group.url, group.error, reused=group.error is None)
    except BaseException as exc:
        call.escaped = call.escaped or exc  # a progress callback's interrupt is raised by the call
        raise
    finally:
        call.settle()


def prepare_all(
    pool: ThreadPoolExecutor, inputs: dict[tuple[object, ...], tuple[UploadSource, Hashing]]
) -> dict[tuple[object, ...], PreparedSource]:
    """Inputs to hash are read in the pool, in parallel; the others (a few small reads of a local file) in
    this thread meanwhile: a pool task would cost as much as their reads, and starting the pool's threads
    all at once would compete for the GIL with the token request every upload waits for. The first bad
    input, in input order, is raised once every other has settled."""
    hashed = {
        key: pool.submit(prepare_source, source, hashing)
        for key, (source, hashing) in inputs.items()
        if hashing == "hash"
    }
    prepared: dict[tuple[object, ...], PreparedSource] = {}
    errors: dict[tuple[object, ...], BaseException] = {}
    try:
        for key, (source, hashing) in inputs.items():
            if hashing != "hash":
                try:
                    prepared[key] = prepare_source(source, hashing)
                except Exception as exc:
                    errors[key] = exc
        wait(hashed.values())
    finally:
        # When interrupted, what the pool has not finished yet is left to it.
        for key, future in hashed.items():
            if future.done():
                error = future.exception()
                if error is None:
                    prepared[key] = future.result()
                else:
                    errors[key] = error
        if errors or len(prepared) < len(inputs):
            for ready in prepared.values():
                ready.reader.close()
    for key in inputs:
        if key in errors:
            raise errors[key]
    return {key: prepared[key] for key in inputs}


def settle(prefetch: Future[CdnToken] | None) -> None:
    """Let a token prefetch finish inside the call that started it; its error, if any, already reached
    every upload that needed the token (BatchState.token_error)."""
    if prefetch is not None:
        wait([prefetch])
