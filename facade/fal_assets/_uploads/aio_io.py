"""The async uploader's blocking I/O, in worker threads so that a large file never stalls the event loop:
request bodies read from their ranges, and the inputs' preparation (reads, hashing, content types).

Each hop to a worker thread costs 50-100 us of CPU, so hops are shared where order allows: a body's range
is opened and its first chunk read in one, and the inputs not hashed first are prepared together in one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Coroutine
from typing import Any

import httpx

from .progress import JobProgress
from .protocol import Body
from .references import UploadSource
from .sources import Hashing, PreparedSource, RangeReader, prepare_source

__all__ = ["AsyncBody", "prepare_all"]


class AsyncBody(httpx.AsyncByteStream):
    def __init__(self, body: Body, progress: JobProgress) -> None:
        self._body = body
        self._progress = progress

    async def __aiter__(self) -> AsyncIterator[bytes]:
        body = self._body
        blocking = body.reader.blocking
        chunks: RangeReader
        chunk: bytes | None
        if blocking:
            # Opening the range and reading its first chunk share one worker-thread hop (a hop costs
            # 50-100 us of CPU; a 1 MiB file is one chunk).
            chunks, chunk = await asyncio.to_thread(_open_and_read, body)
        else:
            chunks = body.reader.open_range(body.offset, body.length)
            chunk = chunks.read_chunk()
        self._progress.restart(body.track)
        left = body.length
        try:
            while chunk is not None:
                yield chunk
                self._progress.add(body.track, len(chunk))
                left -= len(chunk)
                # Past the range's last byte a read reads nothing, it only checks the source (an fstat, as
                # `identity_key` stats on the loop too): no thread hop for it.
                if blocking and left > 0:
                    chunk = await asyncio.to_thread(chunks.read_chunk)
                else:
                    chunk = chunks.read_chunk()
        finally:
            chunks.close()


def _open_and_read(body: Body) -> tuple[RangeReader, bytes | None]:
    chunks = body.reader.open_range(body.offset, body.length)
    try:
        return chunks, chunks.read_chunk()
    except BaseException:
        chunks.close()
        raise


async def prepare_all(
    inputs: dict[tuple[object, ...], tuple[UploadSource, Hashing]],
) -> dict[tuple[object, ...], PreparedSource]:
    """Disk reads and hashing in worker threads: each input to hash in its own, the others (a few small
    reads of a local file each) together in one, as the sync uploader does (`threads.prepare_all`): a
    thread hop per input would cost as much as its reads. The first bad input (in input order) is raised
    after every other has settled."""
    keys = list(inputs)
    light = [key for key in keys if inputs[key][1] != "hash"]
    heavy = [key for key in keys if inputs[key][1] == "hash"]
    work: list[Coroutine[Any, Any, Any]] = [asyncio.to_thread(prepare_source, *inputs[key]) for key in heavy]
    if light:
        work.append(asyncio.to_thread(_prepare_each, [inputs[key] for key in light]))
    outcomes = await asyncio.gather(*work, return_exceptions=True)
    if light:
        light_outcomes = outcomes.pop()
        if isinstance(light_outcomes, BaseException):
            light_outcomes = [light_outcomes] * len(light)
        outcomes.extend(light_outcomes)
    by_key: dict[tuple[object, ...], object] = dict(zip(heavy + light, outcomes, strict=True))
    ordered = [by_key[key] for key in keys]
    errors = [o for o in ordered if isinstance(o, BaseException)]
    if errors:
        for outcome in ordered:
            if isinstance(outcome, PreparedSource):
                outcome.reader.close()
        raise errors[0]
    return dict(zip(keys, ordered, strict=True))  # type: ignore[arg-type]


def _prepare_each(inputs: list[tuple[UploadSource, Hashing]]) -> list[PreparedSource | Exception]:
    outcomes: list[PreparedSource | Exception] = []
    for source, hashing in inputs:
        try:
            outcomes.append(prepare_source(source, hashing))
        except Exception as exc:
            outcomes.append(exc)
    return outcomes
