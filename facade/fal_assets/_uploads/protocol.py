"""fal's storage protocol without I/O, shared by the sync and async uploaders.

The protocol for one upload is a generator (`upload_steps`) that yields lists of `Step`s — HTTP requests
to run in parallel — and receives their parsed results (or has their error thrown into it). The uploaders
differ only in how they run steps (threads or tasks); each step becomes a `Spec` that the engine sends
under the call's budget (`_core/engine.py`: attempts, retries, credentials, capped reads). Response parsing
lives here; tokens in `tokens.py`, progress events in `progress.py`, deduplication in `batch.py`.
"""

from __future__ import annotations

import functools
import json
import logging
import math
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote, urlsplit

from .._config import ClientConfig, is_loopback
from .._core.auth import Credential
from .._core.body import Reply
from .._core.engine import Spec
from .._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    StorageProtocolError,
)
from .progress import JobProgress
from .sources import PreparedSource, Reader

__all__ = [
    "CDN_FAILURES",
    "Body",
    "Step",
    "StorageProtocolError",
    "completion_body",
    "json_object",
    "part_layout",
    "step_spec",
    "str_field",
    "upload_steps",
]

logger = logging.getLogger("fal_assets")

# fal (like S3) numbers parts 1..10000; larger files get larger parts rather than failing.
MAX_PARTS = 10_000


# -- steps: one HTTP request each -------------------------------------------------------------------------

Auth = Literal["key", "token", "none"]


@dataclass(frozen=True)
class Body:
    """A streamed request body: `length` bytes of `reader` from `offset`. `track` names it in progress
    accounting, so that a retried request restarts its own count."""

    reader: Reader
    offset: int
    length: int
    track: str


@dataclass(frozen=True)
class Step:
    """One storage request. `url` is absolute, or a path (starting with "/") on the CDN base URL of the
    token in use. `auth`: "key" (the API key; only for `storage_base_url`), "token" (the upload token; only
    for CDN hosts), "none" (presigned URLs)."""

    op: str
    method: str
    url: str
    auth: Auth
    parse: Callable[[Reply], Any]
    headers: Mapping[str, str] = field(default_factory=dict)
    json: object = None
    body: Body | None = None


def step_spec(
    step: Step, url: str, credential: Credential | None, stream: Callable[[], Any] | None
) -> Spec[Any]:
    """The engine's request for a step; `url` is the step's, made absolute."""
    headers = dict(step.headers)
    content: bytes | None = None
    if step.json is not None:
        content = json.dumps(step.json).encode()
        headers["Content-Type"] = "application/json"
    if step.body is not None:
        headers["Content-Length"] = str(step.body.length)
    return Spec(
        step.op,
        step.method,
        url,
        step.parse,
        credential=credential,
        headers=headers,
        content=content,
        stream=stream,
        refreshable=step.auth == "token",
        # Presigned URLs carry their signature in the query; it stays out of httpx's log line.
        signed=step.auth == "none",
    )


# -- response parsing -------------------------------------------------------------------------------------


def json_object(reply: Reply, op: str) -> dict[str, Any]:
    try:
        data = json.loads(reply.content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        data = None
    if not isinstance(data, dict):
        raise APIResponseValidationError(f"{op}: expected a JSON object", response=reply.response)
    return data


@functools.lru_cache(maxsize=64)
def _secure(scheme: str, host: str) -> bool:
    # The same rule as for base URLs: these receive the file (and the upload token, for multipart), so
    # plain http only on loopback. Cached: every upload's reply names one of a few hosts.
    return scheme == "https" or (scheme == "http" and is_loopback(host))


def _url_field(data: Mapping[str, Any], key: str, reply: Reply, op: str) -> str:
    value = data.get(key)
    if isinstance(value, str):
        parts = urlsplit(value)
        if parts.hostname and _secure(parts.scheme, parts.hostname):
            return value.rstrip("/") if key == "access_url" else value
    raise APIResponseValidationError(
        f"{op}: {key!r} is missing or not an https URL (plain http only on loopback)", response=reply.response
    )


def str_field(data: Mapping[str, Any], key: str, reply: Reply, op: str) -> str:
    value = data.get(key)
    if isinstance(value, str) and value:
        return value
    raise APIResponseValidationError(f"{op}: {key!r} is missing or not a string", response=reply.response)


def _parse_access_url(reply: Reply) -> str:
    return _url_field(json_object(reply, "cdnUpload"), "access_url", reply, "cdnUpload")


@dataclass(frozen=True)
class _Multipart:
    access_url: str
    upload_id: str


def _parse_multipart(reply: Reply) -> _Multipart:
    op = "multipartInitiate"
    data = json_object(reply, op)
    return _Multipart(_url_field(data, "access_url", reply, op), str_field(data, "uploadId", reply, op))


def _parse_etag(reply: Reply) -> str:
    etag: str | None = reply.headers.get("etag")
    if not etag:
        raise APIResponseValidationError(
            "multipartPart: the response has no ETag header", response=reply.response
        )
    return etag


@dataclass(frozen=True)
class _Presigned:
    upload_url: str
    file_url: str


def _parse_initiate(reply: Reply) -> _Presigned:
    op = "uploadInitiate"
    data = json_object(reply, op)
    return _Presigned(_url_field(data, "upload_url", reply, op), _url_field(data, "file_url", reply, op))


def _ignore(reply: Reply) -> None:
    return None


# -- the protocol -----------------------------------------------------------------------------------------

# What makes the CDN path give way to initiate + presigned PUT. A local problem (SourceChangedError) is not
# among them: the fallback would read the same changed file.
CDN_FAILURES = (APIStatusError, APIConnectionError, APIResponseValidationError, StorageProtocolError)

UploadSteps = Generator[list[Step], list[Any] | None, str]


def part_layout(size: int, part_size: int) -> list[tuple[int, int, int]]:
    """(part number, offset, length) of each part; parts grow when 10,000 would not hold the file."""
    part_size = max(part_size, math.ceil(size / MAX_PARTS))
    return [
        (n + 1, offset, min(part_size, size - offset)) for n, offset in enumerate(range(0, size, part_size))
    ]


def completion_body(etags: Mapping[int, str]) -> dict[str, Any]:
    return {"parts": [{"partNumber": n, "etag": etags[n]} for n in sorted(etags)]}


def upload_steps(
    source: PreparedSource,
    config: ClientConfig,
    progress: JobProgress,
    lifecycle: Mapping[str, str] | None = None,
) -> UploadSteps:
    """The whole upload of one content: CDN (single or multipart), else initiate + presigned PUT.
    `lifecycle`: the lifecycle headers (`Lifecycle.headers()`), sent where the file is created."""
    extra = dict(lifecycle or {})
    try:
        if source.size > config.uploads.multipart_threshold:
            return (yield from _cdn_multipart(source, config, extra))
        return (yield from _cdn_single(source, extra))
    except CDN_FAILURES as cdn_error:
        logger.info(
            "CDN upload of %s failed (%s); trying initiate + presigned PUT", source.file_name, cdn_error
        )
        progress.reset()
        try:
            return (yield from _presigned(source, config, extra))
        except CDN_FAILURES as error:
            error.add_note(f"before that, the CDN upload failed: {cdn_error}")
            raise


def _parallel(steps: list[Step]) -> Generator[list[Step], list[Any] | None, list[Any]]:
    """Have the driver run `steps` concurrently; their results, in the same order."""
    results = yield steps
    if results is None or len(results) != len(steps):
        raise RuntimeError("upload driver returned no result for a step")
    return results


def _file_headers(source: PreparedSource, extra: Mapping[str, str]) -> dict[str, str]:
    return {"Content-Type": source.content_type, "X-Fal-File-Name": source.header_name, **extra}


def _cdn_single(source: PreparedSource, extra: Mapping[str, str]) -> UploadSteps:
    body = Body(source.reader, 0, source.size, "single")
    [url] = yield from _parallel(
        [
            Step(
                "cdnUpload",
                "POST",
                "/files/upload",
                "token",
                _parse_access_url,
                _file_headers(source, extra),
                body=body,
            )
        ]
    )
    return str(url)


def _cdn_multipart(source: PreparedSource, config: ClientConfig, extra: Mapping[str, str]) -> UploadSteps:
    [upload] = yield from _parallel(
        [
            Step(
                "multipartInitiate",
                "POST",
                "/files/upload/multipart",
                "token",
                _parse_multipart,
                _file_headers(source, extra),
            )
        ]
    )
    assert isinstance(upload, _Multipart)
    base = f"{upload.access_url}/multipart/{quote(upload.upload_id, safe='')}"
    layout = part_layout(source.size, config.uploads.part_size)
    etags = yield from _parallel(
        [
            Step(
                "multipartPart",
                "PUT",
                f"{base}/{number}",
                "token",
                _parse_etag,
                {"Content-Type": source.content_type},
                body=Body(source.reader, offset, length, f"part{number}"),
            )
            for number, offset, length in layout
        ]
    )
    by_number = {number: str(etag) for (number, _, _), etag in zip(layout, etags, strict=True)}
    yield from _parallel(
        [
            Step(
                "multipartComplete",
                "POST",
                f"{base}/complete",
                "token",
                _ignore,
                json=completion_body(by_number),
            )
        ]
    )
    return upload.access_url


def _presigned(source: PreparedSource, config: ClientConfig, extra: Mapping[str, str]) -> UploadSteps:
    [slot] = yield from _parallel(
        [
            Step(
                "uploadInitiate",
                "POST",
                f"{config.storage_base_url}/storage/upload/initiate?storage_type=gcs",
                "key",
                _parse_initiate,
                extra,
                json={"file_name": source.file_name, "content_type": source.content_type},
            )
        ]
    )
    assert isinstance(slot, _Presigned)
    body = Body(source.reader, 0, source.size, "presigned")
    yield from _parallel(
        [
            Step(
                "presignedPut",
                "PUT",
                slot.upload_url,
                "none",
                _ignore,
                {"Content-Type": source.content_type},
                body=body,
            )
        ]
    )
    return slot.file_url
