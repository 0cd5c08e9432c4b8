"""`client.files`: upload local content to fal's storage and get fal-hosted URLs back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Unpack

from ._budget import RequestOptions
from ._lifecycle import Lifecycle
from ._lifecycle import lifecycle as check_lifecycle
from ._uploads import ProgressCallback
from ._uploads.references import ImageInput

if TYPE_CHECKING:
    from ._client import AsyncApi, SyncApi

__all__ = ["AsyncFiles", "Files"]


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
