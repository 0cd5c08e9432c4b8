"""Per-call and per-client bookkeeping of uploads: deduplication by content, the URL cache, results."""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from fal_assets_api.types import UNSET, Unset

from .._core.attempt import Budget
from .._errors import FalAssetsError, UploadError, UploadFailure
from .protocol import StorageProtocolError
from .references import UploadSource
from .sources import PreparedSource

__all__ = [
    "BatchState",
    "Group",
    "Registry",
    "ResolvedImages",
    "collect_urls",
    "group_by_content",
    "with_lifecycle",
]

F = TypeVar("F")

CACHE_ENTRIES = 4096


@dataclass(frozen=True)
class ResolvedImages:
    """The image arguments of a character write, as strings the API accepts."""

    references: list[str] | Unset = UNSET
    cover: str | None | Unset = UNSET


@dataclass
class BatchState:
    """Per-call state: a token request that failed is not repeated by every upload of the batch."""

    token_error: FalAssetsError | None = None


class Registry(Generic[F]):
    """The client's key → URL cache (LRU) and the uploads in flight, under one lock so that a content is
    either cached, being uploaded by exactly one call, or claimed by the caller. Keys are `sha256:<hex>` or
    a trusted file identity (`PreparedSource.key`); the sizes of cached hashed contents are counted, since
    only a file of such a size can have a cached content."""

    def __init__(self, max_entries: int = CACHE_ENTRIES) -> None:
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, tuple[str, int | None]] = OrderedDict()
        self._sizes: Counter[int] = Counter()
        self._inflight: dict[str, F] = {}
        self._max = max_entries

    def claim(self, sha256: str, new_future: Callable[[], F]) -> str | tuple[F, bool]:
        """The cached URL, or (future, True) when the caller must upload, or (future, False) to wait for."""
        with self._lock:
            entry = self._cache.get(sha256)
            if entry is not None:
                self._cache.move_to_end(sha256)
                return entry[0]
            running = self._inflight.get(sha256)
            if running is not None:
                return running, False
            future = new_future()
            self._inflight[sha256] = future
            return future, True

    def finish(
        self,
        sha256: str,
        future: F,
        url: str | None,
        cache_as: Sequence[str] | None = None,
        size: int | None = None,
    ) -> None:
        """End the claim of `sha256`; a URL is cached under `cache_as` (default: the claimed key)."""
        with self._lock:
            if url is not None:
                for key in (sha256,) if cache_as is None else cache_as:
                    self._store(key, url, size if key.startswith("sha256:") else None)
            if self._inflight.get(sha256) is future:
                del self._inflight[sha256]

    def _store(self, key: str, url: str, size: int | None) -> None:
        old = self._cache.pop(key, None)
        if old is not None and old[1] is not None:
            self._sizes[old[1]] -= 1
        self._cache[key] = (url, size)
        if size is not None:
            self._sizes[size] += 1
        while len(self._cache) > self._max:
            _, (_, evicted) = self._cache.popitem(last=False)
            if evicted is not None:
                self._sizes[evicted] -= 1

    def cached(self, sha256: str) -> str | None:
        with self._lock:
            entry = self._cache.get(sha256)
            return None if entry is None else entry[0]

    def cached_size(self, size: int) -> bool:
        with self._lock:
            return self._sizes[size] > 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._cache)


@dataclass(eq=False)
class Group:
    """Inputs of one call with the same content: uploaded once."""

    source: PreparedSource
    members: list[int]
    key: str = ""  # the cache's key: the source's key, and the lifecycle the upload asked for
    lifecycle: str = ""
    url: str | None = None
    error: BaseException | None = None

    def cache_keys(self) -> list[str]:
        """Where its URL is cached once uploaded: `PreparedSource.cache_keys`, with the lifecycle."""
        return [with_lifecycle(key, self.lifecycle) for key in self.source.cache_keys()]


def with_lifecycle(key: str, lifecycle: str) -> str:
    return f"{key} {lifecycle}" if lifecycle else key


def group_by_content(prepared: Sequence[PreparedSource], lifecycle: str = "") -> list[Group]:
    """Inputs grouped by content. `lifecycle` (the lifecycle header sent) is part of the cache key: a URL
    uploaded under one expiry is not handed out for an upload that asked for another."""
    groups: dict[str, Group] = {}
    for index, source in enumerate(prepared):
        group = groups.get(source.key)
        if group is None:
            groups[source.key] = Group(source, [index], with_lifecycle(source.key, lifecycle), lifecycle)
        else:
            group.members.append(index)
    return list(groups.values())


def collect_urls(sources: Sequence[UploadSource], groups: Sequence[Group], budget: Budget) -> list[str]:
    """One URL per input, in input order, or an `UploadError` reporting every input (raised as the cause of
    an `APITimeoutError` when the call's deadline ran out)."""
    results: list[UploadFailure | None] = [None] * len(sources)
    for group in groups:
        error = group.error
        if error is None and group.url is None:
            error = StorageProtocolError("the upload did not finish")
        for index in group.members:
            results[index] = UploadFailure(sources[index].input, None if error else group.url, error)
    reported = [r for r in results if r is not None]
    if any(r.error is not None for r in reported) or len(reported) != len(sources):
        error = UploadError(reported)
        if budget.expired():
            failed = len(error.errors)
            raise budget.deadline_error(f"{failed} of {len(reported)} uploads unfinished", 1) from error
        raise error
    return [str(r.url) for r in reported]
