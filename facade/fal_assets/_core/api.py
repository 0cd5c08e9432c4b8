"""What resources see of a client (`SyncApi` / `AsyncApi`): its settings, a call's budget,
`call(operation, budget, **arguments)`, `send(spec, budget)` and the uploader; and `_Shared`, what a client
and the clients its `with_options` makes have in common. Split from `_client.py`, which builds them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from .._config import ClientConfig
from .attempt import Budget

if TYPE_CHECKING:
    from .._uploads import AsyncUploader, SyncUploader
    from .engine import AsyncEngine, Spec, SyncEngine
    from .operations import Operation

__all__ = ["AsyncApi", "SyncApi"]

T = TypeVar("T")
H = TypeVar("H", httpx.Client, httpx.AsyncClient)


_loaded: list[Callable[..., Any]] = []


def _api_spec(op: Operation[T], config: ClientConfig, arguments: dict[str, Any]) -> Spec[T]:
    """`operations.api_spec`, imported with the first call (not with the client), then kept at hand: an
    import statement on every call would cost more than the lookup."""
    if not _loaded:
        from .operations import api_spec

        _loaded.append(api_spec)
    spec: Spec[T] = _loaded[0](op, config, arguments)
    return spec


class _Shared(Generic[H]):
    """What a client and the clients made by its `with_options` share: connections, uploader, sleep."""

    def __init__(self, http: H, owns_http: bool, config: ClientConfig) -> None:
        self.http: H = http
        self.owns_http = owns_http
        self.config = config  # the uploader's settings (hosts, upload tuning) are fixed at construction
        self.uploader: Any = None


class SyncApi:
    """The narrow interface resources use: settings, a call's budget, API calls, uploads."""

    def __init__(self, config: ClientConfig, shared: _Shared[httpx.Client], engine: SyncEngine) -> None:
        self.config = config
        self._shared = shared
        self.engine = engine

    def budget(self, options: Mapping[str, Any]) -> Budget:
        return self.config.budget(options)

    def call(self, op: Operation[T], budget: Budget, **arguments: Any) -> T:
        return self.engine.send(_api_spec(op, self.config, arguments), budget)

    def send(self, spec: Spec[T], budget: Budget) -> T:
        """A request built elsewhere in the package (`plan` checking a lock's URL, without credentials)."""
        return self.engine.send(spec, budget)

    @property
    def uploads(self) -> SyncUploader:
        shared = self._shared
        if shared.uploader is None:
            from .._uploads import SyncUploader

            shared.uploader = SyncUploader(self.engine, shared.config)
        uploader: SyncUploader = shared.uploader
        return uploader


class AsyncApi:
    """The asyncio twin of `SyncApi`."""

    def __init__(self, config: ClientConfig, shared: _Shared[httpx.AsyncClient], engine: AsyncEngine) -> None:
        self.config = config
        self._shared = shared
        self.engine = engine

    def budget(self, options: Mapping[str, Any]) -> Budget:
        return self.config.budget(options)

    async def call(self, op: Operation[T], budget: Budget, **arguments: Any) -> T:
        return await self.engine.send(_api_spec(op, self.config, arguments), budget)

    async def send(self, spec: Spec[T], budget: Budget) -> T:
        """See `SyncApi.send`."""
        return await self.engine.send(spec, budget)

    @property
    def uploads(self) -> AsyncUploader:
        shared = self._shared
        if shared.uploader is None:
            from .._uploads import AsyncUploader

            shared.uploader = AsyncUploader(self.engine, shared.config)
        uploader: AsyncUploader = shared.uploader
        return uploader
