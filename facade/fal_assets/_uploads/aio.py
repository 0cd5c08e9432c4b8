"""The async uploader: one task per upload and per multipart part, over the client's `httpx.AsyncClient`.

A semaphore (per client and event loop) bounds the requests in flight to `UploadSettings.concurrency`; it
is held only while a request is being sent, never during a retry's backoff. Disk reads and hashing run in
worker threads so a large file never stalls the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Sequence
from typing import Any, TypeVar

from .._config import ClientConfig
from .._core.attempt import Budget
from .._core.auth import Credential
from .._core.engine import AsyncEngine
from .._core.lifecycle import Lifecycle
from .._errors import APIConnectionError, ClientClosedError, FalAssetsError
from .aio_io import AsyncBody, prepare_all
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
from .protocol import (
    Step,
    step_spec,
    upload_steps,
)
from .references import ImageInput, ImagePlan, UploadSource, plan_uploads
from .sources import (
    PreparedSource,
    choose_hashing,
    identity_key,
    needs_hash,
)
from .tokens import CdnToken, TokenCache, token_step

__all__ = ["AsyncUploader"]

T = TypeVar("T")


class _LoopState:
    """asyncio primitives belong to one event loop; they are rebuilt if the client meets another loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, concurrency: int) -> None:
        self.loop = loop
        self.requests = asyncio.Semaphore(concurrency)
        self.token_lock = asyncio.Lock()


class AsyncUploader:
    """Uploads local images for one `AsyncFalAssets` client; see `fal_assets._uploads`."""

    def __init__(self, engine: AsyncEngine, config: ClientConfig) -> None:
        self._engine = engine
        self._config = config
        self._registry: Registry[asyncio.Future[str]] = Registry()
        self._tokens = TokenCache()
        self._state: _LoopState | None = None
        self._closed = False
        # The uploads in flight, which close() cancels.
        self._running: set[asyncio.Future[Any]] = set()

    # -- public -----------------------------------------------------------------------------------------

    async def resolve(
        self,
        plan: ImagePlan,
        *,
        on_progress: ProgressCallback | None = None,
        budget: Budget | None = None,
        lifecycle: Lifecycle | None = None,
    ) -> ResolvedImages:
        sources = plan.uploads()
        urls = await self._upload(sources, on_progress, budget, lifecycle) if sources else []
        references, cover = plan.fill(urls)
        return ResolvedImages(references, cover)

    async def upload_many(
        self,
        inputs: Sequence[ImageInput],
        *,
        on_progress: ProgressCallback | None = None,
        budget: Budget | None = None,
        lifecycle: Lifecycle | None = None,
    ) -> list[str]:
        return await self._upload(plan_uploads(inputs), on_progress, budget, lifecycle)

    async def upload_sources(
        self,
        sources: Sequence[UploadSource],
        *,
        on_progress: ProgressCallback | None = None,
        budget: Budget | None = None,
        lifecycle: Lifecycle | None = None,
    ) -> list[str]:
        """Inputs classified already (`apply`'s planned files, each with the sha256 it must have)."""
        return await self._upload(sources, on_progress, budget, lifecycle)

    async def upload_one(
        self,
        file: ImageInput,
        *,
        on_progress: ProgressCallback | None = None,
        budget: Budget | None = None,
        lifecycle: Lifecycle | None = None,
    ) -> str:
        sources = plan_uploads([file], field="file", indexed=False)
        [url] = await self._upload(sources, on_progress, budget, lifecycle)
        return url

    async def aclose(self) -> None:
        """Stops in-flight and queued uploads; the calls waiting on them fail with APIConnectionError."""
        self._closed = True
        for running in list(self._running):
            running.cancel()

    async def _interruptible(self, work: Coroutine[Any, Any, Any]) -> None:
        inner = asyncio.ensure_future(work)
        self._running.add(inner)
        try:
            await inner
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if self._closed and task is not None and not task.cancelling():
                raise APIConnectionError("the uploads were stopped: the client was closed") from None
            raise
        finally:
            self._running.discard(inner)

    # -- a batch ----------------------------------------------------------------------------------------

    def _loop_state(self) -> _LoopState:
        loop = asyncio.get_running_loop()
        if self._state is None or self._state.loop is not loop:
            self._state = _LoopState(loop, self._config.uploads.concurrency)
        return self._state

    async def _upload(
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
        if self._closed:
            raise ClientClosedError("the client is closed")
        budget = budget or self._config.budget()
        batch = BatchState()
        # The inputs already passed local validation: ask for the storage token while hashing instead of
        # after it (a round trip saved per call; a token request carries no file data).
        prefetch = (
            asyncio.create_task(self._token(batch, None, budget)) if self._tokens.usable() is None else None
        )
        try:
            prepared = await self._prepare(sources, lifecycle.header if lifecycle is not None else "")
        except BaseException:
            await _settle(prefetch, cancel=True)
            raise
        try:
            headers = lifecycle.headers() if lifecycle is not None else {}
            groups = group_by_content(prepared, lifecycle.header if lifecycle is not None else "")
            progress = Progress(on_progress)
            loop = asyncio.get_running_loop()
            work: list[Coroutine[Any, Any, None]] = []
            for group in groups:
                job = progress.job([sources[i].input for i in group.members], group.source.size)
                claimed = self._registry.claim(group.key, loop.create_future)
                if isinstance(claimed, str):
                    group.url = claimed
                    job.finish(claimed, None, reused=True)
                elif claimed[1]:
                    work.append(self._run(group, claimed[0], job, batch, budget, headers))
                elif claimed[0].get_loop() is not loop:
                    # Being uploaded from another event loop, whose future this loop cannot await.
                    work.append(self._run(group, loop.create_future(), job, batch, budget, headers))
                else:
                    work.append(self._wait(group, claimed[0], job))
            await self._interruptible(_all(work))
            return collect_urls(sources, groups, budget)
        finally:
            await _settle(prefetch, cancel=False)
            for source in {id(p): p for p in prepared}.values():
                source.reader.close()

    async def _prepare(self, sources: Sequence[UploadSource], lifecycle: str) -> list[PreparedSource]:
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
        prepared = await prepare_all({key: (source, modes[key]) for key, source in first.items()})
        rehash = needs_hash(prepared)
        if rehash:
            try:
                prepared.update(await prepare_all({key: (first[key], "hash") for key in rehash}))
            except BaseException:
                for ready in prepared.values():
                    ready.reader.close()
                raise
        return [prepared[key] for key in keys]

    async def _wait(self, group: Group, future: asyncio.Future[str], job: JobProgress) -> None:
        """Another call is uploading the same content: share its result."""
        try:
            group.url = await asyncio.shield(future)
        except Exception as exc:
            group.error = exc
        job.finish(group.url, group.error, reused=group.error is None)

    async def _run(
        self,
        group: Group,
        future: asyncio.Future[str],
        job: JobProgress,
        batch: BatchState,
        budget: Budget,
        lifecycle: dict[str, str],
    ) -> None:
        steps = upload_steps(group.source, self._config, job, lifecycle)
        results: list[Any] | None = None
        error: BaseException | None = None
        url: str | None = None
        try:
            while True:
                try:
                    batch_steps = steps.throw(error) if error is not None else steps.send(results)
                except StopIteration as stop:
                    url = str(stop.value)
                    break
                try:
                    results, error = (
                        await _all([self._execute(s, job, batch, budget) for s in batch_steps]),
                        None,
                    )
                except Exception as exc:
                    results, error = None, exc
        except Exception as exc:
            group.error = exc
        except BaseException as exc:  # cancelled: waiters in other calls must not hang
            group.error = exc
            raise
        finally:
            steps.close()
            group.url = url if group.error is None else None
            self._registry.finish(group.key, future, group.url, group.cache_keys(), group.source.size)
            if not future.done():
                if group.error is None:
                    future.set_result(str(url))
                else:
                    future.set_exception(group.error)
                    future.exception()  # retrieved: no "never retrieved" warning when nobody waits
            job.finish(group.url, group.error)

    # -- one request ------------------------------------------------------------------------------------

    async def _execute(self, step: Step, progress: JobProgress, batch: BatchState, budget: Budget) -> Any:
        body = step.body
        stream = (lambda: AsyncBody(body, progress)) if body is not None else None
        # The semaphore is held while a request is in flight, never during a retry's backoff.
        slot = self._loop_state().requests
        if step.auth != "token":
            credential = self._config.api_credential if step.auth == "key" else None
            return await self._engine.send(step_spec(step, step.url, credential, stream), budget, slot=slot)
        token = await self._token(batch, None, budget)
        url = token.base_url + step.url if step.url.startswith("/") else step.url

        async def credentials(stale: Credential | None) -> Credential:
            return (await self._token(batch, stale, budget)).credential

        return await self._engine.send(step_spec(step, url, None, stream), budget, credentials, slot=slot)

    async def _token(self, batch: BatchState, stale: Credential | None, budget: Budget) -> CdnToken:
        async with self._loop_state().token_lock:
            token = self._tokens.usable(stale)
            if token is not None:
                return token
            if batch.token_error is not None:
                raise batch.token_error
            try:
                token = await self._execute(token_step(self._config), NO_PROGRESS, batch, budget)
            except FalAssetsError as exc:
                batch.token_error = exc
                raise
            assert isinstance(token, CdnToken)
            self._tokens.store(token)
            return token


async def _all(coros: Sequence[Coroutine[Any, Any, T]]) -> list[T]:
    """Run concurrently; on the first failure cancel the rest and raise it. Cancelling the caller cancels
    them all, so no request outlives the call that made it."""
    if not coros:
        return []
    if len(coros) == 1:
        return [await coros[0]]
    tasks = [asyncio.ensure_future(c) for c in coros]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        failed = [t for t in tasks if t in done and not t.cancelled() and t.exception() is not None]
        if failed:
            error = failed[0].exception()
            assert error is not None
            raise error
        return [t.result() for t in tasks]
    finally:
        pending = [t for t in tasks if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)


async def _settle(prefetch: asyncio.Task[CdnToken] | None, *, cancel: bool) -> None:
    """No request outlives the call that made it: the token prefetch is awaited (or cancelled). Its error,
    if any, already reached every upload that needed the token (BatchState.token_error)."""
    if prefetch is None:
        return
    if cancel:
        prefetch.cancel()
    await asyncio.wait([prefetch])  # unlike `await prefetch`, never raises the prefetch's own error
    if not prefetch.cancelled():
        prefetch.exception()  # retrieved, so asyncio does not log it as never retrieved
