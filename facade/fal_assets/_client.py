"""`FalAssets` and `AsyncFalAssets`: configuration, the pooled HTTP client, and the resources.

Resources reach the client only through `SyncApi` / `AsyncApi` (in `_core/api.py`): its settings, a
call's `Budget`, `call(operation, budget, **arguments)` and the uploader. A request goes resource →
operation (`fal_assets_api.operations`, generated from the spec; made a request by
`_core/operations.py`) → engine (`_core/engine.py`) → transport (`_core/transport.py` and
`sockets.py`, or the caller's httpx client, which is never modified).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from types import TracebackType
from typing import TYPE_CHECKING, Self

import httpx

from ._config import ClientConfig, UploadSettings, as_timeout, make_config
from ._core.api import AsyncApi, SyncApi, _Shared
from ._core.engine import AsyncEngine, SyncEngine
from ._core.transport import make_async_client, make_sync_client
from ._errors import ValidationError
from ._version import USER_AGENT

if TYPE_CHECKING:
    # The resources, the generated client they use (and attrs), the upload engine (and asyncio, for the
    # async one) load on first use, not with `import fal_assets` nor with constructing a client: a script
    # pays only for what it calls, and the command line's --help for nothing of it.
    from .resources.assets import Assets, AsyncAssets
    from .resources.characters import AsyncCharacters, Characters
    from .resources.collections import AsyncCollections, Collections
    from .resources.entities import AsyncEntities, Entities
    from .resources.files import AsyncFiles, Files
    from .resources.storage import AsyncStorage, Storage
    from .resources.tags import AsyncTags, Tags

__all__ = ["AsyncApi", "AsyncFalAssets", "FalAssets", "SyncApi"]


def _with_options(
    config: ClientConfig,
    timeout: float | httpx.Timeout | None,
    max_retries: int | None,
    strict_response_validation: bool | None,
) -> ClientConfig:
    if timeout is not None:
        config = replace(
            config,
            timeout=as_timeout(timeout),
            attempt_limit=None if isinstance(timeout, httpx.Timeout) else float(timeout),
        )
    if max_retries is not None:
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValidationError("max_retries must be an integer >= 0", field="max_retries")
        config = replace(config, retry=replace(config.retry, max_retries=max_retries))
    if strict_response_validation is not None:
        config = replace(config, strict_response_validation=bool(strict_response_validation))
    return config


def _repr(client: FalAssets | AsyncFalAssets) -> str:
    config = client.config
    return (
        f"{type(client).__name__}(base_url={config.base_url!r}, "
        f"storage_base_url={config.storage_base_url!r}, max_retries={config.retry.max_retries})"
    )


class FalAssets:
    """Client for fal's Assets and Storage API: `characters`, `entities`, `assets`, `collections`, `tags`,
    `storage`, `files`.

    The key comes from `api_key`, else `FAL_KEY`, else `FAL_KEY_ID` + `FAL_KEY_SECRET`. `timeout` as a
    number bounds each attempt as a whole; an `httpx.Timeout` keeps httpx's per-operation meaning.
    `strict_response_validation=True` refuses any reply that differs from the spec (a missing field, a null,
    an enum value it does not list); by default such replies are read and the difference is logged once
    (env `FAL_ASSETS_STRICT_RESPONSE_VALIDATION=1` sets the default). A
    caller-supplied `http_client` is only used to send requests this client builds: its base URL, headers,
    auth and hooks are neither used nor changed, and redirects are never followed.
    """

    config: ClientConfig

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        storage_base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        http_client: httpx.Client | None = None,
        fal_hosts: Iterable[str] | None = None,
        uploads: UploadSettings | None = None,
        strict_response_validation: bool | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        config = make_config(
            api_key=api_key,
            base_url=base_url,
            storage_base_url=storage_base_url,
            fal_hosts=fal_hosts,
            timeout=timeout,
            max_retries=max_retries,
            uploads=uploads,
            strict_response_validation=strict_response_validation,
        )
        http = http_client or make_sync_client(config.timeout, USER_AGENT)
        self._setup(config, _Shared(http, http_client is None, config), sleep)

    def _setup(
        self, config: ClientConfig, shared: _Shared[httpx.Client], sleep: Callable[[float], None] | None
    ) -> None:
        self.config = config
        self._shared = shared
        self._sleep = sleep
        self._api = SyncApi(config, shared, SyncEngine(shared.http, sleep))

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        strict_response_validation: bool | None = None,
    ) -> FalAssets:
        """A client with other defaults that shares this one's connections and uploads (closing either
        closes both)."""
        clone = object.__new__(FalAssets)
        clone._setup(
            _with_options(self.config, timeout, max_retries, strict_response_validation),
            self._shared,
            self._sleep,
        )
        return clone

    @functools.cached_property
    def characters(self) -> Characters:
        """`client.characters`: list, get, create, update and delete asset characters."""
        from .resources.characters import Characters

        return Characters(self._api, self)

    @functools.cached_property
    def entities(self) -> Entities:
        """`client.entities`: characters, props, environments, styles and scenes, with @mention handles."""
        from .resources.entities import Entities

        return Entities(self._api)

    @functools.cached_property
    def files(self) -> Files:
        """`client.files`: upload local files, bytes or file objects, get fal-hosted URLs."""
        from .resources.files import Files

        return Files(self._api)

    @functools.cached_property
    def assets(self) -> Assets:
        """`client.assets`: browse, search, register and organise the assets of fal's library."""
        from .resources.assets import Assets

        return Assets(self._api)

    @functools.cached_property
    def collections(self) -> Collections:
        """`client.collections`: collections of assets, their nesting and their members."""
        from .resources.collections import Collections

        return Collections(self._api)

    @functools.cached_property
    def tags(self) -> Tags:
        """`client.tags`: asset tags and their assignment."""
        from .resources.tags import Tags

        return Tags(self._api)

    @functools.cached_property
    def storage(self) -> Storage:
        """`client.storage`: file ACLs, signed URLs and the account's storage settings."""
        from .resources.storage import Storage

        return Storage(self._api)

    def close(self) -> None:
        """Stops uploads in flight and closes the connections (when this client created them)."""
        shared = self._shared
        if shared.uploader is not None:
            shared.uploader.close()
        if shared.owns_http:
            shared.http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    __repr__ = _repr


class AsyncFalAssets:
    """The asyncio twin of `FalAssets`: same arguments, same methods, awaited."""

    config: ClientConfig

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        storage_base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        http_client: httpx.AsyncClient | None = None,
        fal_hosts: Iterable[str] | None = None,
        uploads: UploadSettings | None = None,
        strict_response_validation: bool | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        config = make_config(
            api_key=api_key,
            base_url=base_url,
            storage_base_url=storage_base_url,
            fal_hosts=fal_hosts,
            timeout=timeout,
            max_retries=max_retries,
            uploads=uploads,
            strict_response_validation=strict_response_validation,
        )
        http = http_client or make_async_client(config.timeout, USER_AGENT)
        self._setup(config, _Shared(http, http_client is None, config), sleep)

    def _setup(
        self,
        config: ClientConfig,
        shared: _Shared[httpx.AsyncClient],
        sleep: Callable[[float], Awaitable[None]] | None,
    ) -> None:
        self.config = config
        self._shared = shared
        self._sleep = sleep
        self._api = AsyncApi(config, shared, AsyncEngine(shared.http, sleep))

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        strict_response_validation: bool | None = None,
    ) -> AsyncFalAssets:
        """A client with other defaults that shares this one's connections and uploads (closing either
        closes both)."""
        clone = object.__new__(AsyncFalAssets)
        clone._setup(
            _with_options(self.config, timeout, max_retries, strict_response_validation),
            self._shared,
            self._sleep,
        )
        return clone

    @functools.cached_property
    def characters(self) -> AsyncCharacters:
        """`client.characters`: list, get, create, update and delete asset characters."""
        from .resources.characters import AsyncCharacters

        return AsyncCharacters(self._api, self)

    @functools.cached_property
    def entities(self) -> AsyncEntities:
        """`client.entities`: characters, props, environments, styles and scenes, with @mention handles."""
        from .resources.entities import AsyncEntities

        return AsyncEntities(self._api)

    @functools.cached_property
    def files(self) -> AsyncFiles:
        """`client.files`: upload local files, bytes or file objects, get fal-hosted URLs."""
        from .resources.files import AsyncFiles

        return AsyncFiles(self._api)

    @functools.cached_property
    def assets(self) -> AsyncAssets:
        """`client.assets`: browse, search, register and organise the assets of fal's library."""
        from .resources.assets import AsyncAssets

        return AsyncAssets(self._api)

    @functools.cached_property
    def collections(self) -> AsyncCollections:
        """`client.collections`: collections of assets, their nesting and their members."""
        from .resources.collections import AsyncCollections

        return AsyncCollections(self._api)

    @functools.cached_property
    def tags(self) -> AsyncTags:
        """`client.tags`: asset tags and their assignment."""
        from .resources.tags import AsyncTags

        return AsyncTags(self._api)

    @functools.cached_property
    def storage(self) -> AsyncStorage:
        """`client.storage`: file ACLs, signed URLs and the account's storage settings."""
        from .resources.storage import AsyncStorage

        return AsyncStorage(self._api)

    async def close(self) -> None:
        """Stops uploads in flight and closes the connections (when this client created them)."""
        shared = self._shared
        if shared.uploader is not None:
            await shared.uploader.aclose()
        if shared.owns_http:
            await shared.http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    __repr__ = _repr
