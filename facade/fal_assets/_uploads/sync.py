"""The sync uploader: storage requests run on a thread pool over the client's pooled `httpx.Client`.

Each pool task is exactly one HTTP request (with its retries). An upload's protocol generator is advanced
by whichever thread completes the last request of its current round (a done-callback, under the upload's
lock), which submits the next round and returns: a multipart upload never holds a worker while waiting for
its own parts, `UploadSettings.concurrency` bounds the requests in flight across all calls on the client,
and the calling thread is woken once, when every upload of its call has settled (not once per request).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from .._config import ClientConfig
from .._core.attempt import Budget
from .._core.auth import Credential
from .._core.engine import SyncEngine
from .._core.lifecycle import Lifecycle
from .._errors import APIConnectionError, ClientClosedError, FalAssetsError
from .batch import (
    BatchState,
    Group,
    Registry,
    ResolvedImages,
    collect_urls,
    group_by_content,
    with_lifecycle,
)
from .progress import NO_PROGRESS, JobProgress, Progress, ProgressCallback
from .protocol import Step, StorageProtocolError, step_spec, upload_steps
from .references import ImageInput, ImagePlan, UploadSource, plan_uploads
from .sources import PreparedSource, choose_hashing, identity_key, needs_hash
from .threads import Call, Run, SyncBody, Workers, prepare_all, settle, shared_upload_done
from .tokens import CdnToken, TokenCache, token_step

__all__ = ["SyncUploader"]


class SyncUploader:
    """Uploads local images for one `FalAssets` client; see `fal_assets._uploads`."""

    def __init__(self, engine: SyncEngine, config: ClientConfig) -> None:
        self._engine = engine
        self._config = config
        self._registry: Registry[Future[str]] = Registry()
        self._tokens = TokenCache()
        self._token_lock = threading.Lock()
        self._workers = Workers(config.uploads.concurrency)

    # -- public -----------------------------------------------------------------------------------------

    def resolve(
        self,
        plan: ImagePlan,
        *,
        on_progress: ProgressCallback | None = None,
        budget: Budget | None = None,
        lifecycle: Lifecycle | None = None,
    ) -> ResolvedImages:
        """The plan's images as strings, uploading its local inputs (no request at all when there are none,
        or when every content is already in the client's cache)."""
        sources = plan.uploads()
        urls = self._upload(sources, on_progress, budget, lifecycle) if sources else []
        references, cover = plan.fill(urls)
        return ResolvedImages(references, cover)

    def upload_many(
        self,
        inputs: Sequence[ImageInput],
        *,
        on_progress: ProgressCallback | None = None,
        budget: Budget | None = None,
        lifecycle: Lifecycle | None = None,
    ) -> list[str]:
        return self._upload(plan_uploads(inputs), on_progress, budget, lifecycle)

    def upload_sources(
        self,
        sources: Sequence[UploadSource],
        *,
        on_progress: ProgressCallback | None = None,
        budget: Budget | None = None,
        lifecycle: Lifecycle | None = None,
    ) -> list[str]:
        """Inputs classified already (`apply`'s planned files, each with the sha256 it must have)."""
        return self._upload(sources, on_progress, budget, lifecycle)

    def upload_one(
        self,
        file: ImageInput,
        *,
        on_progress: ProgressCallback | None = None,
        budget: Budget | None = None,
        lifecycle: Lifecycle | None = None,
    ) -> str:
        sources = plan_uploads([file], field="file", indexed=False)
        [url] = self._upload(sources, on_progress, budget, lifecycle)
        return url

    def close(self) -> None:
        """Stops in-flight and queued uploads (their sockets are shut down) and waits for the threads."""
        self._workers.close()

    # -- a batch ----------------------------------------------------------------------------------------

    def _upload(
        self,
        sources: Sequence[UploadSource],
        on_progress: ProgressCallback | None,
        budget: Budget | None,
        lifecycle: Lifecycle | None = None,
    ) -> list[str]:
        if not sources:
            return []
        if self._engine.http.is_closed:
            raise ClientClosedError("the client is closed")  # not an UploadError: nothing was tried
        budget = budget or self._config.budget()
        self._workers.join(budget.interrupt)
        try:
            return self._upload_within(sources, on_progress, budget, lifecycle)
        except RuntimeError as exc:
            # close() from another thread shut the pool down between this call's start and one of its
            # submits ("cannot schedule new futures after shutdown"): the call met a closed client.
            if self._workers.closed and not isinstance(exc, FalAssetsError):
                raise ClientClosedError("the client was closed during the call") from None
            raise
        except BaseException as exc:
            # Ctrl-C (or any error escaping the driver): requests of this call in other threads stop now,
            # and none starts again.
            if not isinstance(exc, Exception):
                budget.interrupt.set("interrupted")
            raise
        finally:
            self._workers.leave(budget.interrupt)

    def _upload_within(
        self,
        sources: Sequence[UploadSource],
        on_progress: ProgressCallback | None,
        budget: Budget,
        lifecycle: Lifecycle | None,
    ) -> list[str]:
        pool = self._workers.pool()
        batch = BatchState()
        # The inputs already passed local validation: ask for the storage token while hashing instead of
        # after it (a round trip saved per call; a token request carries no file data).
        prefetch: Future[CdnToken] | None = None
        sent = threading.Event()
        if self._tokens.usable() is None:
            prefetch = pool.submit(self._token, batch, None, budget, sent)
            prefetch.add_done_callback(lambda _: sent.set())
        else:
            sent.set()
        try:
            # Every upload waits for the token: its request goes out before this thread competes for the
            # GIL (measured: the first request left 2-4 ms after the call began when waited for, 5-24 ms
            # when not; preparing the inputs takes well under a round trip).
            sent.wait()
            prepared = self._prepare(pool, sources, lifecycle.header if lifecycle is not None else "")
        except BaseException:
            settle(prefetch)
            raise
        try:
            headers = lifecycle.headers() if lifecycle is not None else {}
            groups = group_by_content(prepared, lifecycle.header if lifecycle is not None else "")
            progress = Progress(on_progress)
            call = Call(pool, batch, budget)
            runs: list[Run] = []
            waits: dict[Future[str], tuple[Group, JobProgress]] = {}
            try:
                for group in groups:
                    job = progress.job([sources[i].input for i in group.members], group.source.size)
                    claimed = self._registry.claim(group.key, Future)
                    if isinstance(claimed, str):
                        group.url = claimed
                        job.finish(claimed, None, reused=True)
                    elif claimed[1]:
                        steps = upload_steps(group.source, self._config, job, headers)
                        runs.append(Run(group, claimed[0], steps, job, call))
                    else:
                        waits[claimed[0]] = (group, job)
                if runs or waits:
                    self._drive(call, runs, waits)
            finally:
                # Whatever interrupted us, no other call may keep waiting on an upload we claimed, and no
                # request of ours still queued may start.
                for run in runs:
                    with run.lock:
                        pending = run.pending
                        if not run.finished:
                            run.steps.close()
                            self._finish(run, None, StorageProtocolError("the upload was interrupted"))
                    for future in pending:
                        future.cancel()
                call.stop()
            return collect_urls(sources, groups, budget)
        finally:
            settle(prefetch)
            for source in {id(p): p for p in prepared}.values():
                source.reader.close()

    def _prepare(
        self, pool: ThreadPoolExecutor, sources: Sequence[UploadSource], lifecycle: str
    ) -> list[PreparedSource]:
        """Settle every input before anything is sent (an unreadable one stops the call), hashing only the
        inputs whose content could equal another's (`choose_hashing`), in parallel."""
        keys = [identity_key(source) for source in sources]
        first: dict[tuple[object, ...], UploadSource] = {}
        for key, source in zip(keys, sources, strict=True):
            first.setdefault(key, source)
        modes = choose_hashing(
            first,
            cached=lambda key: self._registry.cached(with_lifecycle(key, lifecycle)) is not None,
            cached_size=self._registry.cached_size,
            multipart_threshold=self._config.uploads.multipart_threshold,
        )
        prepared = prepare_all(pool, {key: (source, modes[key]) for key, source in first.items()})
        rehash = needs_hash(prepared)
        if rehash:
            try:
                prepared.update(prepare_all(pool, {key: (first[key], "hash") for key in rehash}))
            except BaseException:
                for ready in prepared.values():
                    ready.reader.close()
                raise
        return [prepared[key] for key in keys]

    def _drive(
        self, call: Call, runs: list[Run], waits: dict[Future[str], tuple[Group, JobProgress]]
    ) -> None:
        """Start every upload, then wait until each has settled (its URL or error is in its group)."""
        for _ in range(len(runs) + len(waits)):
            call.add()
        for future, (group, job) in waits.items():
            future.add_done_callback(functools.partial(shared_upload_done, call, group, job))
        for run in runs:
            self._advance(run)
            if call.escaped is not None:
                raise call.escaped
        call.wait()
        if call.escaped is not None:
            raise call.escaped

    def _advance(self, run: Run) -> None:
        """Run the upload's generator to its next round of requests and submit them, or finish it."""
        call = run.call
        with run.lock:
            if run.finished:
                return
            try:
                if run.error is not None:
                    error, run.error = run.error, None
                    steps = run.steps.throw(error)
                else:
                    steps = run.steps.send(run.results if run.started else None)
                    run.started = True
            except StopIteration as stop:
                self._finish(run, str(stop.value), None)
                return
            except Exception as exc:
                self._finish(run, None, exc)
                return
            futures: list[Future[Any]] = []
            try:
                for step in steps:
                    futures.append(
                        call.pool.submit(self._execute, step, run.progress, call.batch, call.budget)
                    )
            except RuntimeError:  # the pool was shut down: close() was called
                for future in futures:
                    future.cancel()
                run.steps.close()
                self._finish(run, None, APIConnectionError("the uploads were stopped: the client was closed"))
                return
            run.results = [None] * len(steps)
            run.remaining = len(steps)
            run.pending = futures
        # Outside the lock: a request that has already finished calls back at once, in this thread.
        for index, future in enumerate(futures):
            future.add_done_callback(functools.partial(self._request_done, run, index))

    def _request_done(self, run: Run, index: int, future: Future[Any]) -> None:
        """A request of the upload's current round finished (in the thread that ran it) or was cancelled;
        the last one of the round advances the upload."""
        try:
            siblings: list[Future[Any]] = []
            with run.lock:
                if run.finished:
                    return
                if future.cancelled():
                    # Only ever after the round failed, or once the call is over: never a missing result.
                    run.error = run.error or StorageProtocolError("the upload was interrupted")
                elif (error := future.exception()) is None:
                    run.results[index] = future.result()
                elif run.error is None:
                    run.error = error
                    # One part failed for good: parts not started yet would be wasted.
                    siblings = [f for f in run.pending if f is not future]
                run.remaining -= 1
                last = run.remaining == 0
            for sibling in siblings:
                sibling.cancel()  # calls back here, in this thread: counted down like the others
            if last:
                self._advance(run)
        except BaseException as exc:
            # A callback's exception would only be logged by concurrent.futures, and the call would wait
            # forever for this upload: it fails instead (and Ctrl-C reaches the calling thread).
            if not isinstance(exc, Exception):
                run.call.escaped = run.call.escaped or exc
            with run.lock:
                if not run.finished:
                    run.steps.close()
                    self._finish(run, None, exc)
            raise

    def _finish(self, run: Run, url: str | None, error: BaseException | None) -> None:
        run.finished = True
        run.group.url, run.group.error = url, error
        group = run.group
        self._registry.finish(group.key, run.future, url, group.cache_keys(), group.source.size)
        if error is None:
            run.future.set_result(str(url))
        else:
            run.future.set_exception(error)
        try:
            if not run.call.stopped:
                run.progress.finish(url, error)
        finally:
            run.call.settle()

    # -- one request ------------------------------------------------------------------------------------

    def _execute(
        self,
        step: Step,
        progress: JobProgress,
        batch: BatchState,
        budget: Budget,
        sent: threading.Event | None = None,
    ) -> Any:
        body = step.body
        stream = (lambda: SyncBody(body, progress, sent)) if body is not None else None
        if step.auth != "token":
            credential = self._config.api_credential if step.auth == "key" else None
            return self._engine.send(step_spec(step, step.url, credential, stream), budget)
        token = self._token(batch, None, budget)
        url = token.base_url + step.url if step.url.startswith("/") else step.url

        def credentials(stale: Credential | None) -> Credential:
            return self._token(batch, stale, budget).credential

        return self._engine.send(step_spec(step, url, None, stream), budget, credentials)

    def _token(
        self, batch: BatchState, stale: Credential | None, budget: Budget, sent: threading.Event | None = None
    ) -> CdnToken:
        """The token; `sent` is set once our request for it has left, or when another is already under way."""
        # Reading the cached token needs no lock (every request asks, twice); fetching one does.
        token = self._tokens.usable(stale)
        if token is not None:
            return token
        # One request serves every upload of the batch: the others wait on the lock, then find it cached.
        if not self._token_lock.acquire(blocking=False):
            if sent is not None:
                sent.set()
            self._token_lock.acquire()
        try:
            token = self._tokens.usable(stale)
            if token is not None:
                return token
            if batch.token_error is not None:
                raise batch.token_error
            try:
                token = self._execute(token_step(self._config), NO_PROGRESS, batch, budget, sent)
            except FalAssetsError as exc:
                batch.token_error = exc
                raise
            assert isinstance(token, CdnToken)
            self._tokens.store(token)
            return token
        finally:
            self._token_lock.release()
