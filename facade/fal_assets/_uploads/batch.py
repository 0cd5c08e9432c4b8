"""Per-call and per-client bookkeeping of uploads: deduplication by content, the URL cache, results."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from fal_assets_api.types import UNSET, Unset

from .._budget import Budget
from .._errors import FalAssetsError, UploadError, UploadFailure
from .protocol import StorageProtocolError
from .references import UploadSource
from .sources import PreparedSource

__all__ = ["BatchState", "Group", "Registry", "ResolvedImages", "collect_urls", "group_by_content"]

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
    """The client's sha256 → URL cache (LRU) and the uploads in flight, under one lock so that a content is
    either cached, being uploaded by exactly one call, or claimed by the caller."""

    def __init__(self, max_entries: int = CACHE_ENTRIES) -> None:
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._inflight: dict[str, F] = {}
        self._max = max_entries

    def claim(self, sha256: str, new_future: Callable[[], F]) -> str | tuple[F, bool]:
        """The cached URL, or (future, True) when the caller must upload, or (future, False) to wait for."""
        with self._lock:
            url = self._cache.get(sha256)
            if url is not None:
                self._cache.move_to_end(sha256)
                return url
            running = self._inflight.get(sha256)
            if running is not None:
                return running, False
            future = new_future()
            self._inflight[sha256] = future
            return future, True

    def finish(self, sha256: str, future: F, url: str | None) -> None:
        with self._lock:
            if url is not None:
                self._cache[sha256] = url
                self._cache.move_to_end(sha256)
                while len(self._cache) > self._max:
                    self._cache.popitem(last=False)
            if self._inflight.get(sha256) is future:
                del self._inflight[sha256]

    def cached(self, sha256: str) -> str | None:
        with self._lock:
            return self._cache.get(sha256)

    def __len__(self) -> int:
        with self._lock:
            return len(self._cache)


@dataclass(eq=False)
class Group:
    """Inputs of one call with the same content: uploaded once."""

    source: PreparedSource
    members: list[int]
    key: str = ""  # the content cache's key: the sha256, and the lifecycle the upload asked for
    url: str | None = None
    error: BaseException | None = None


def group_by_content(prepared: Sequence[PreparedSource], lifecycle: str = "") -> list[Group]:
    """Inputs grouped by content. `lifecycle` (the lifecycle header sent) is part of the cache key: a URL
    uploaded under one expiry is not handed out for an upload that asked for another."""
    groups: dict[str, Group] = {}
    for index, source in enumerate(prepared):
        group = groups.get(source.sha256)
        if group is None:
            key = f"{source.sha256} {lifecycle}" if lifecycle else source.sha256
            groups[source.sha256] = Group(source, [index], key)
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
