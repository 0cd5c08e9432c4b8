"""Progress events of upload batches, shared by the sync and async uploaders."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["NO_PROGRESS", "JobProgress", "Progress", "ProgressCallback", "UploadProgress"]

logger = logging.getLogger("fal_assets")


@dataclass(frozen=True)
class UploadProgress:
    """One progress event for one input of an upload batch.

    `input` is the caller's object (a file of a folder is reported by its path). `bytes_sent` can go back
    down when a request is retried. The last event of an input has `done=True` with its `url` or `error`;
    `reused=True` means no bytes were sent because the same content was already uploaded (by this client
    earlier, or by another call in flight).
    """

    input: object
    bytes_sent: int
    total_bytes: int
    done: bool
    url: str | None = None
    error: BaseException | None = None
    reused: bool = False


ProgressCallback = Callable[[UploadProgress], None]


class Progress:
    """Delivers events of one call. Calls to the callback are serialized (never two at once) but come from
    upload worker threads in the sync client (so the callback must not call the same client: its workers
    may all be busy waiting on it). A callback that raises is logged once and not called again for the rest
    of the call: a progress bar bug must not fail, or half-cancel, an upload."""

    def __init__(self, callback: ProgressCallback | None) -> None:
        self._callback = callback
        self.lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self._callback is not None

    def emit_locked(self, event: UploadProgress) -> None:
        callback = self._callback
        if callback is None:
            return
        try:
            callback(event)
        except Exception:
            self._callback = None
            logger.warning(
                "on_progress callback raised; it is disabled for the rest of this call", exc_info=True
            )

    def job(self, inputs: list[object], total: int) -> JobProgress:
        return JobProgress(self, inputs, total)


class JobProgress:
    """Bytes sent for one upload (shared by every input with that content), summed over its requests."""

    def __init__(self, progress: Progress, inputs: list[object], total: int) -> None:
        self._progress = progress
        self.inputs = inputs
        self.total = total
        self._tracks: dict[str, int] = {}
        # Set by the last event: a request still draining after it (an interrupted part) reports nothing.
        self._finished = False

    def restart(self, track: str) -> None:
        if self._progress.enabled:
            with self._progress.lock:
                self._tracks[track] = 0

    def reset(self) -> None:
        with self._progress.lock:
            self._tracks.clear()

    def add(self, track: str, count: int) -> None:
        if not self._progress.enabled:
            return
        with self._progress.lock:
            if self._finished:
                return
            self._tracks[track] = self._tracks.get(track, 0) + count
            sent = sum(self._tracks.values())
            for item in self.inputs:
                self._progress.emit_locked(UploadProgress(item, sent, self.total, False))

    def finish(self, url: str | None, error: BaseException | None, *, reused: bool = False) -> None:
        if not self._progress.enabled:
            return
        with self._progress.lock:
            if self._finished:
                return
            self._finished = True
            sent = self.total if error is None else sum(self._tracks.values())
            for item in self.inputs:
                self._progress.emit_locked(UploadProgress(item, sent, self.total, True, url, error, reused))


# For requests that carry no upload body (the token request).
NO_PROGRESS = Progress(None).job([], 0)
