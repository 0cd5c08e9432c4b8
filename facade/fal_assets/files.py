"""STUB by the lead so the client imports — the uploads helper replaces this file entirely."""

from __future__ import annotations

from ._config import ClientConfig
from ._uploads import AsyncUploader, SyncUploader


class Files:
    def __init__(self, uploader: SyncUploader, config: ClientConfig) -> None:
        self._uploader = uploader
        self._config = config


class AsyncFiles:
    def __init__(self, uploader: AsyncUploader, config: ClientConfig) -> None:
        self._uploader = uploader
        self._config = config
