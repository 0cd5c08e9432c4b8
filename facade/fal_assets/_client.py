"""`FalAssets` and `AsyncFalAssets`: configuration, the pooled HTTP client, and the retry loop."""

from __future__ import annotations

import functools
import ssl
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

import httpx
from fal_assets_api.client import Client as GeneratedClient

from ._calls import Call, CallOptions, CallState, attempt_context, install_hooks
from ._config import ClientConfig, UploadSettings, as_timeout, make_config
from ._errors import ValidationError
from .characters import AsyncCharacters, Characters

if TYPE_CHECKING:
    # The upload engine (and asyncio, for the async one) load on first use, not with `import fal_assets`:
    # scripts that only read characters should not pay for it.
    from ._uploads import AsyncUploader, SyncUploader
    from .files import AsyncFiles, Files

__all__ = ["AsyncFalAssets", "FalAssets"]

T = TypeVar("T")

_VERSION = "0.1.0"
_USER_AGENT = f"fal-assets-python/{_VERSION}"
# Upload concurrency plus headroom for API calls made meanwhile from other threads. Keep-alive equals the
# maximum: with fewer, httpcore closes the surplus idle connections whenever more than that many finish at
# once and then opens new ones for the waiting requests, so a busy client churns through a new connection
# (a TCP + TLS handshake) per request instead of reusing its pool.
_POOL_LIMITS = httpx.Limits(max_connections=32, max_keepalive_connections=32)


@functools.cache
def _shared_ssl_context() -> ssl.SSLContext:
    # Building a default SSL context (loading the CA bundle) costs 0.1-0.2 s; clients share one.
    return httpx.create_ssl_context()


class _ClientBase:
    """Configuration and per-call option handling common to both clients."""

    config: ClientConfig

    def _options(
        self, timeout: float | httpx.Timeout | None, max_retries: int | None, deadline: float | None
    ) -> CallOptions:
        retry = self.config.retry
        if max_retries is not None:
            if max_retries < 0:
                raise ValidationError("max_retries must be >= 0", field="max_retries")
            retry = replace(retry, max_retries=max_retries)
        if deadline is not None and deadline <= 0:
            raise ValidationError("deadline must be positive", field="deadline")
        return CallOptions(
            timeout=self.config.timeout if timeout is None else as_timeout(timeout),
            retry=retry,
            deadline=deadline,
        )

    def _generated(self) -> GeneratedClient:
        return GeneratedClient(base_url=self.config.base_url)

    def _http_settings(self) -> dict[str, Any]:
        """Settings for the httpx client we create when the caller gives none."""
        return {
            "timeout": self.config.timeout,
            "limits": _POOL_LIMITS,
            "headers": {"User-Agent": _USER_AGENT},
            "verify": _shared_ssl_context(),
            # An HTTP(S)_PROXY from the environment would capture even 127.0.0.1 (httpx does not exempt
            # loopback), so a client pointed only at a local fake ignores proxy settings.
            "trust_env": not self.config.all_loopback(),
        }

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.config.base_url!r}, "
            f"storage_base_url={self.config.storage_base_url!r}, max_retries={self.config.retry.max_retries})"
        )


class FalAssets(_ClientBase):
    """Client for fal's asset-character API.

    The key comes from `api_key`, else `FAL_KEY`, else `FAL_KEY_ID` + `FAL_KEY_SECRET`. A caller-supplied
    `http_client` is used for its transport settings; the client sets its `base_url` and adds two event
    hooks to it (see `_calls.py`), so give it one that is not shared with unrelated code.
    """

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
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.config = make_config(
            api_key=api_key,
            base_url=base_url,
            storage_base_url=storage_base_url,
            fal_hosts=fal_hosts,
            timeout=timeout,
            max_retries=max_retries,
            uploads=uploads,
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(**self._http_settings())
        self._http.base_url = httpx.URL(self.config.base_url)
        install_hooks(self._http)
        self._gen = self._generated().set_httpx_client(self._http)
        self._sleep = sleep or time.sleep
        self.characters = Characters(self)

    @functools.cached_property
    def _uploader(self) -> SyncUploader:
        from ._uploads import SyncUploader

        return SyncUploader(self._http, self.config, self._sleep)

    @functools.cached_property
    def files(self) -> Files:
        """`client.files`: upload local files, bytes or file objects, get fal-hosted URLs."""
        from .files import Files

        return Files(self._uploader)

    def _run(
        self,
        call: Call[T],
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> T:
        state = CallState(call, self._options(timeout, max_retries, deadline))
        api_key = self.config.api_key
        while True:
            attempt_timeout = state.begin_attempt()
            result: Any = None
            exc: BaseException | None = None
            with attempt_context(api_key, attempt_timeout) as attempt:
                try:
                    result = call.sync_fn(client=self._gen, **call.kwargs)
                except Exception as err:
                    exc = err
            outcome = state.outcome(result, exc, attempt)
            if outcome.error is None:
                return outcome.value  # type: ignore[return-value]
            delay = state.retry_delay(outcome)
            if delay is None:
                raise state.failure(outcome) from exc
            self._sleep(delay)

    def close(self) -> None:
        if "_uploader" in self.__dict__:
            self._uploader.close()
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncFalAssets(_ClientBase):
    """The asyncio twin of `FalAssets`: same arguments, same methods, awaited."""

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
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        self.config = make_config(
            api_key=api_key,
            base_url=base_url,
            storage_base_url=storage_base_url,
            fal_hosts=fal_hosts,
            timeout=timeout,
            max_retries=max_retries,
            uploads=uploads,
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(**self._http_settings())
        self._http.base_url = httpx.URL(self.config.base_url)
        install_hooks(self._http)
        self._gen = self._generated().set_async_httpx_client(self._http)
        if sleep is None:
            import asyncio

            sleep = asyncio.sleep
        self._sleep = sleep
        self.characters = AsyncCharacters(self)

    @functools.cached_property
    def _uploader(self) -> AsyncUploader:
        from ._uploads import AsyncUploader

        return AsyncUploader(self._http, self.config, self._sleep)

    @functools.cached_property
    def files(self) -> AsyncFiles:
        """`client.files`: upload local files, bytes or file objects, get fal-hosted URLs."""
        from .files import AsyncFiles

        return AsyncFiles(self._uploader)

    async def _run(
        self,
        call: Call[T],
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> T:
        state = CallState(call, self._options(timeout, max_retries, deadline))
        api_key = self.config.api_key
        while True:
            attempt_timeout = state.begin_attempt()
            result: Any = None
            exc: BaseException | None = None
            with attempt_context(api_key, attempt_timeout) as attempt:
                try:
                    result = await call.async_fn(client=self._gen, **call.kwargs)
                except Exception as err:
                    exc = err
            outcome = state.outcome(result, exc, attempt)
            if outcome.error is None:
                return outcome.value  # type: ignore[return-value]
            delay = state.retry_delay(outcome)
            if delay is None:
                raise state.failure(outcome) from exc
            await self._sleep(delay)

    async def close(self) -> None:
        if "_uploader" in self.__dict__:
            await self._uploader.aclose()
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
