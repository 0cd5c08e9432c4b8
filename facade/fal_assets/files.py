"""`client.files`: upload local content to fal's storage and get fal-hosted URLs back."""

from __future__ import annotations

from collections.abc import Sequence

from ._references import ImageInput
from ._uploads import AsyncUploader, ProgressCallback, SyncUploader

__all__ = ["AsyncFiles", "Files"]


class Files:
    """File uploads of a `FalAssets` client.

    Inputs are paths (`str` or `os.PathLike`; every string is a path here), `file://` URLs, `bytes` /
    `bytearray` / `memoryview`, or binary file objects. Uploads share the client's connection pool, token
    and content cache with `characters.create/update`. Failures raise `UploadError` (one entry per input);
    unusable inputs raise `ValidationError` before anything is sent.
    """

    def __init__(self, uploader: SyncUploader) -> None:
        self._uploader = uploader

    def upload(self, file: ImageInput, *, on_progress: ProgressCallback | None = None) -> str:
        """Upload one file; returns its fal-hosted URL."""
        return self._uploader.upload_one(file, on_progress=on_progress)

    def upload_many(
        self, files: Sequence[ImageInput], *, on_progress: ProgressCallback | None = None
    ) -> list[str]:
        """Upload files in parallel; returns their URLs in the order given. Equal contents are sent once."""
        return self._uploader.upload_many(files, on_progress=on_progress)


class AsyncFiles:
    """File uploads of an `AsyncFalAssets` client; see `Files`."""

    def __init__(self, uploader: AsyncUploader) -> None:
        self._uploader = uploader

    async def upload(self, file: ImageInput, *, on_progress: ProgressCallback | None = None) -> str:
        """Upload one file; returns its fal-hosted URL."""
        return await self._uploader.upload_one(file, on_progress=on_progress)

    async def upload_many(
        self, files: Sequence[ImageInput], *, on_progress: ProgressCallback | None = None
    ) -> list[str]:
        """Upload files in parallel; returns their URLs in the order given. Equal contents are sent once."""
        return await self._uploader.upload_many(files, on_progress=on_progress)
