"""The upload engine: local images become fal-hosted URLs — streamed, concurrent, deduplicated.

How it works, for both clients:

1. `plan_images` / `plan_uploads` (`references.py`) classify and check every input locally.
2. Every input to upload is opened and checked before anything is sent, so an unreadable input stops the
   call with nothing uploaded. Bytes and file objects are hashed (sha256) first; a local file is keyed by
   its identity (device, inode, size, mtime_ns, ctime_ns) and not hashed, unless its content could equal
   another input's or a cached upload's (equal size; for two files also equal 4 KiB at start, middle and end):
   then it is hashed first (in parallel), so equal content is uploaded once per call
   (`sources.choose_hashing`). The client keeps an LRU cache (4096 entries) from sha256 and from trusted
   file identities to URLs, so a second call with the same images sends nothing, and a content already
   being uploaded by a concurrent call is awaited rather than re-sent. An identity is trusted only for a
   file unchanged for 50 ms before it was read (2 s where timestamps are whole seconds); a file changed
   more recently is hashed while it streams and recognised by content next time. An edit always changes
   ctime, even with size and mtime restored, so an edited file never reuses a stale URL.
3. One storage token (cached until shortly before it expires, refreshed once on a 401) serves the batch.
4. Each content goes to the CDN in one streamed request, or above `multipart_threshold` in parallel parts
   (each streamed from its own file offset and retried on its own), completed with parts sorted by number.
   When the CDN path fails after its retries, initiate + presigned PUT is tried; the presigned PUT carries
   no credentials. The API key only goes to `storage_base_url`, the upload token only to CDN hosts.
5. Any failure: `UploadError` listing each input's URL or error (the cause of an `APITimeoutError` when the
   call's deadline ran out); the caller then writes nothing.

Every request is sent by the engine (`_core/engine.py`) under the calling operation's budget: its timeout,
retries and deadline govern the uploads too. Ctrl-C, `close()` or cancelling the task stops in-flight
requests (their sockets are shut down) and queued ones, and no attempt starts after that.

Inputs: files are streamed from disk in 1 MiB chunks and re-checked (size, mtime, ctime) when each
request starts and ends: a file that changes mid-upload fails with `SourceChangedError`. `bytes` are sent
from the caller's buffer. A binary file object is read from its current position to its end (under a lock,
so parallel parts can share it) and left positioned anywhere; one that cannot seek is first copied to an
unlinked temporary file, since its size and hash must be known before sending.

Progress: `on_progress(UploadProgress)`; see `UploadProgress` and `Progress` for threading and errors.
"""

from typing import TYPE_CHECKING, Any

from .._errors import SourceChangedError

if TYPE_CHECKING:
    from .aio import AsyncUploader
    from .batch import ResolvedImages
    from .progress import ProgressCallback, UploadProgress
    from .sync import SyncUploader

__all__ = [
    "AsyncUploader",
    "ProgressCallback",
    "ResolvedImages",
    "SourceChangedError",
    "SyncUploader",
    "UploadProgress",
]

# `references` (input classification) loads with the resources; the drivers, the protocol and asyncio
# only when something is uploaded.
_WHERE = {
    "AsyncUploader": "aio",
    "ResolvedImages": "batch",
    "ProgressCallback": "progress",
    "UploadProgress": "progress",
    "SyncUploader": "sync",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
