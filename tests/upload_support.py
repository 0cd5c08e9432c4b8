"""Helpers for the upload engine tests: configs and uploaders wired to a served FakeFal."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from fal_assets import UploadSettings
from fal_assets._config import ClientConfig, make_config
from fal_assets._core.engine import SyncEngine
from fal_assets._uploads import SyncUploader, UploadProgress
from fal_assets.testing import FakeFal, RecordedRequest

KiB = 1024
MiB = 1024 * KiB
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
CDN_OPERATIONS = frozenset({"cdnUpload", "multipartInitiate", "multipartPart", "multipartComplete"})


def config_for(fake: FakeFal, *, max_retries: int | None = None, **uploads: Any) -> ClientConfig:
    return make_config(
        api_key=fake.api_key,
        base_url=fake.api_base_url,
        storage_base_url=fake.storage_base_url,
        fal_hosts=fake.fal_hosts,
        timeout=10.0,
        max_retries=max_retries,
        uploads=UploadSettings(**uploads),
    )


class Sleeps:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.waits.append(seconds)


@contextmanager
def sync_uploader(
    fake: FakeFal, *, http: httpx.Client | None = None, max_retries: int | None = None, **uploads: Any
) -> Iterator[SyncUploader]:
    client = http or httpx.Client()
    uploader = SyncUploader(
        SyncEngine(client, Sleeps()), config_for(fake, max_retries=max_retries, **uploads)
    )
    try:
        yield uploader
    finally:
        uploader.close()
        client.close()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def image_bytes(seed: int, size: int = 4 * KiB) -> bytes:
    """A PNG-looking, distinct payload per seed."""
    body = hashlib.sha256(str(seed).encode()).digest() * (size // 32 + 1)
    return PNG_MAGIC + body[: size - len(PNG_MAGIC)]


def random_file(path: Path, size: int) -> Path:
    path.write_bytes(os.urandom(size))
    return path


def sha256_of(data: bytes | Path) -> str:
    if isinstance(data, Path):
        data = data.read_bytes()
    return hashlib.sha256(data).hexdigest()


def stored_sha(fake: FakeFal, url: str) -> str:
    return fake.files[url].sha256


def by_operation(fake: FakeFal, operation: str) -> list[RecordedRequest]:
    return [r for r in fake.requests if r.operation == operation]


def storage_requests(fake: FakeFal) -> list[RecordedRequest]:
    return [r for r in fake.requests if not r.path.startswith("/v1/")]


class Events:
    """Collects progress events (from any thread)."""

    def __init__(self) -> None:
        self.events: list[UploadProgress] = []

    def __call__(self, event: UploadProgress) -> None:
        self.events.append(event)

    def for_input(self, item: object) -> list[UploadProgress]:
        return [e for e in self.events if e.input is item]

    def final(self) -> list[UploadProgress]:
        return [e for e in self.events if e.done]
