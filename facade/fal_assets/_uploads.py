"""STUB — the uploads helper replaces this file. Contract used by _client.py and characters.py:

class SyncUploader:
    def __init__(self, http: httpx.Client, config: ClientConfig, sleep: Callable[[float], None]) -> None
    def resolve(self, plan: ImagePlan, *, on_progress: ProgressCallback | None = None) -> ResolvedImages
class AsyncUploader:  (same, async; sleep is async)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from fal_assets_api.types import UNSET, Unset

from ._config import ClientConfig
from ._references import ImagePlan

ProgressCallback = Callable[[object], None]


@dataclass(frozen=True)
class ResolvedImages:
    references: list[str] | Unset = UNSET
    cover: str | None | Unset = UNSET


class SyncUploader:
    def __init__(self, http: httpx.Client, config: ClientConfig, sleep: Callable[[float], None]) -> None:
        self._http = http
        self._config = config
        self._sleep = sleep

    def resolve(self, plan: ImagePlan, *, on_progress: ProgressCallback | None = None) -> ResolvedImages:
        return ResolvedImages(references=plan.references, cover=plan.cover)


class AsyncUploader:
    def __init__(
        self, http: httpx.AsyncClient, config: ClientConfig, sleep: Callable[[float], Awaitable[None]]
    ) -> None:
        self._http = http
        self._config = config
        self._sleep = sleep

    async def resolve(self, plan: ImagePlan, *, on_progress: ProgressCallback | None = None) -> ResolvedImages:
        return ResolvedImages(references=plan.references, cover=plan.cover)
