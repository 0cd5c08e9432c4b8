"""Checking what a lock claims: fetch a fal URL's content, without credentials, and hash it.

A lock maps content (`sha256:<hex>`) to the fal URL it became. Before `plan` lets a URL stand for local
content that the character does not already hold, the URL's content is fetched and must hash to the
same sha256; otherwise the content is uploaded again. Only URLs on fal hosts are fetched (a lock cannot
make CI request an internal address), no credential is attached (`Spec.credential` is None), each body is
capped at the size of the local file it must equal, and the whole check runs under one deadline.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from .._core.engine import Spec
from .._errors import ClientClosedError, FalAssetsError
from .._uploads.references import is_fal_hosted
from .manifest import Source

if TYPE_CHECKING:
    from .._client import AsyncFalAssets, FalAssets
    from .._core.attempt import Budget
    from .._core.body import Reply

__all__ = ["verified_async", "verified_sync"]

_CONCURRENCY = 8
# Per fetch and for the whole check: a slow or silent CDN costs an upload, never a stuck CI job.
_OPTIONS = {"timeout": 10.0, "max_retries": 1, "deadline": 60.0}


def _digest(reply: Reply) -> str:
    return hashlib.sha256(reply.content).hexdigest()


def _spec(source: Source, url: str) -> Spec[str]:
    assert source.size is not None
    return Spec(
        op="verifyLockUrl",
        method="GET",
        url=url,
        parse=_digest,
        headers={"Accept": "*/*"},
        success=200,
        limit=source.size,  # a longer body cannot be this content
    )


def _wanted(pairs: Sequence[tuple[Source, str]], fal_hosts: frozenset[str]) -> list[tuple[Source, str]]:
    return [(s, url) for s, url in pairs if s.size is not None and is_fal_hosted(url, fal_hosts)]


def verified_sync(client: FalAssets, pairs: Sequence[tuple[Source, str]]) -> set[tuple[str, str]]:
    """The (source key, url) pairs whose fetched content has the source's sha256."""
    wanted = _wanted(pairs, client.config.fal_hosts)
    if not wanted:
        return set()
    budget = client.config.budget(_OPTIONS)

    def check(pair: tuple[Source, str]) -> bool:
        try:
            return client._api.send(_spec(*pair), budget) == pair[0].sha256
        except ClientClosedError:
            raise  # not a fact about the URL: the caller's mistake, or its close() from another thread
        except FalAssetsError:
            return False  # unreachable, refused, too large, too slow: uploaded again

    pool = ThreadPoolExecutor(max_workers=_CONCURRENCY, thread_name_prefix="fal-assets-verify")
    try:
        results = list(pool.map(check, wanted))
    except BaseException:
        # Ctrl-C (or a closed client): the fetches in flight have their sockets shut and the queued ones
        # fail at once, so that leaving does not wait out a silent CDN's timeouts.
        budget.interrupt.set("interrupted")
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return {(s.key, url) for (s, url), ok in zip(wanted, results, strict=True) if ok}


async def verified_async(client: AsyncFalAssets, pairs: Sequence[tuple[Source, str]]) -> set[tuple[str, str]]:
    """See `verified_sync`."""
    wanted = _wanted(pairs, client.config.fal_hosts)
    if not wanted:
        return set()
    budget: Budget = client.config.budget(_OPTIONS)
    gate = asyncio.Semaphore(_CONCURRENCY)

    async def check(pair: tuple[Source, str]) -> bool:
        async with gate:
            try:
                return await client._api.send(_spec(*pair), budget) == pair[0].sha256
            except ClientClosedError:
                raise
            except FalAssetsError:
                return False

    results = await asyncio.gather(*(check(pair) for pair in wanted))
    return {(s.key, url) for (s, url), ok in zip(wanted, results, strict=True) if ok}
