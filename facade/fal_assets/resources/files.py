"""`client.files`: upload local content to fal's storage and get fal-hosted URLs back, and download files
from fal's CDN (`fal_assets._downloads`)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Unpack

from .._core.attempt import RequestOptions
from .._core.lifecycle import Lifecycle
from .._core.lifecycle import lifecycle as check_lifecycle
from .._downloads import DownloadProgress, plan_downloads
from .._uploads import ProgressCallback
from .._uploads.references import ImageInput

if TYPE_CHECKING:
    from .._client import AsyncApi, SyncApi
    from .._downloads.aio import AsyncDownloader
    from .._downloads.sync import SyncDownloader

__all__ = ["AsyncFiles", "Files"]

Dest = str | os.PathLike[str]


class Files:
    """File uploads of a `FalAssets` client.

    Inputs are paths (`str` or `os.PathLike`; every string is a path here), `file://` URLs, `bytes` /
    `bytearray` / `memoryview`, or binary file objects. Uploads share the client's connection pool, token
    and content cache with `characters.create/update`. Failures raise `UploadError` (one entry per input),
    or `APITimeoutError` (caused by it) when the call's `deadline` ran out; unusable inputs raise
    `ValidationError` before anything is sent. `RequestOptions` (`timeout`, `max_retries`, `deadline`) apply
    to every request of the call. `lifecycle=Lifecycle(expires_in=…, initial_acl=…)` sets the uploads'
    expiry and first ACL; `None` leaves them to the account's storage settings.
    """

    def __init__(self, api: SyncApi) -> None:
        self._api = api

    def upload(
        self,
        file: ImageInput,
        *,
        on_progress: ProgressCallback | None = None,
        lifecycle: Lifecycle | None = None,
        **options: Unpack[RequestOptions],
    ) -> str:
        """Upload one file; returns its fal-hosted URL."""
        budget, chosen = self._api.budget(options), check_lifecycle(lifecycle)
        return self._api.uploads.upload_one(file, on_progress=on_progress, budget=budget, lifecycle=chosen)

    def upload_many(
        self,
        files: Sequence[ImageInput],
        *,
        on_progress: ProgressCallback | None = None,
        lifecycle: Lifecycle | None = None,
        **options: Unpack[RequestOptions],
    ) -> list[str]:
        """Upload files in parallel; returns their URLs in the order given. Equal contents are sent once."""
        budget, chosen = self._api.budget(options), check_lifecycle(lifecycle)
        return self._api.uploads.upload_many(files, on_progress=on_progress, budget=budget, lifecycle=chosen)

    def download(
        self,
        url: str,
        dest: Dest,
        *,
        on_progress: Callable[[DownloadProgress], None] | None = None,
        sha256: str | None = None,
        max_bytes: int | None = None,
        allow_external_urls: bool = False,
        **options: Unpack[RequestOptions],
    ) -> Path:
        """Download one file to `dest` (a file path, or an existing folder / a path ending in a separator:
        the file is then named from the URL); returns the final path. Only fal-hosted URLs unless
        `allow_external_urls`; nothing under `dest` but a complete file. Raises the download's typed error."""
        [target] = plan_downloads(
            [(url, dest)],
            self._api.config,
            allow_external_urls=allow_external_urls,
            sha256=[sha256],
            max_bytes=max_bytes,
        )
        return self._downloader().fetch(target, self._api.budget(options), on_progress)

    def download_many(
        self,
        downloads: Sequence[tuple[str, Dest]],
        *,
        on_progress: Callable[[DownloadProgress], None] | None = None,
        sha256: Sequence[str | None] | None = None,
        max_bytes: int | None = None,
        allow_external_urls: bool = False,
        **options: Unpack[RequestOptions],
    ) -> list[Path]:
        """Download `(url, dest)` pairs concurrently; the final paths in order, or `DownloadError` naming
        each failed one (the others are in place). Everything is checked before the first request."""
        targets = plan_downloads(
            downloads,
            self._api.config,
            allow_external_urls=allow_external_urls,
            sha256=sha256,
            max_bytes=max_bytes,
        )
        return self._downloader().run(targets, self._api.budget(options), on_progress)

    def _downloader(self) -> SyncDownloader:
        from .._downloads.sync import SyncDownloader
        from .._downloads.transfer import SIGN_SECONDS
        from .storage import Storage

        storage = Storage(self._api)
        return SyncDownloader(
            self._api.engine, self._api.config, lambda url: storage.sign(url, expires_in=SIGN_SECONDS)
        )


class AsyncFiles:
    """File uploads of an `AsyncFalAssets` client; see `Files`."""

    def __init__(self, api: AsyncApi) -> None:
        self._api = api

    async def upload(
        self,
        file: ImageInput,
        *,
        on_progress: ProgressCallback | None = None,
        lifecycle: Lifecycle | None = None,
        **options: Unpack[RequestOptions],
    ) -> str:
        """Upload one file; returns its fal-hosted URL."""
        budget, chosen = self._api.budget(options), check_lifecycle(lifecycle)
        return await self._api.uploads.upload_one(
            file, on_progress=on_progress, budget=budget, lifecycle=chosen
        )

    async def upload_many(
        self,
        files: Sequence[ImageInput],
        *,
        on_progress: ProgressCallback | None = None,
        lifecycle: Lifecycle | None = None,
        **options: Unpack[RequestOptions],
    ) -> list[str]:
        """Upload files in parallel; returns their URLs in the order given. Equal contents are sent once."""
        budget, chosen = self._api.budget(options), check_lifecycle(lifecycle)
        return await self._api.uploads.upload_many(
            files, on_progress=on_progress, budget=budget, lifecycle=chosen
        )

    async def download(
        self,
        url: str,
        dest: Dest,
        *,
        on_progress: Callable[[DownloadProgress], None] | None = None,
        sha256: str | None = None,
        max_bytes: int | None = None,
        allow_external_urls: bool = False,
        **options: Unpack[RequestOptions],
    ) -> Path:
        """Download one file to `dest` (a file path, or an existing folder / a path ending in a separator:
        the file is then named from the URL); returns the final path. Only fal-hosted URLs unless
        `allow_external_urls`; nothing under `dest` but a complete file. Raises the download's typed error."""
        [target] = plan_downloads(
            [(url, dest)],
            self._api.config,
            allow_external_urls=allow_external_urls,
            sha256=[sha256],
            max_bytes=max_bytes,
        )
        return await self._downloader().fetch(target, self._api.budget(options), on_progress)

    async def download_many(
        self,
        downloads: Sequence[tuple[str, Dest]],
        *,
        on_progress: Callable[[DownloadProgress], None] | None = None,
        sha256: Sequence[str | None] | None = None,
        max_bytes: int | None = None,
        allow_external_urls: bool = False,
        **options: Unpack[RequestOptions],
    ) -> list[Path]:
        """Download `(url, dest)` pairs concurrently; the final paths in order, or `DownloadError` naming
        each failed one (the others are in place). Everything is checked before the first request."""
        targets = plan_downloads(
            downloads,
            self._api.config,
            allow_external_urls=allow_external_urls,
            sha256=sha256,
            max_bytes=max_bytes,
        )
        return await self._downloader().run(targets, self._api.budget(options), on_progress)

    def _downloader(self) -> AsyncDownloader:
        from .._downloads.aio import AsyncDownloader
        from .._downloads.transfer import SIGN_SECONDS
        from .storage import AsyncStorage

        storage = AsyncStorage(self._api)

        async def sign(url: str) -> str:
            return await storage.sign(url, expires_in=SIGN_SECONDS)

        return AsyncDownloader(self._api.engine, self._api.config, sign)
