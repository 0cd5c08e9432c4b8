"""What both download drivers share: a download's request, what a reply status means, the checks between
body chunks, progress, and the batch's outcome. Only the I/O differs between `sync.py` and `aio.py`."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx

from .._config import ClientConfig
from .._core.attempt import AttemptScope, Budget
from .._core.engine import Attempts, Spec
from .._core.transport import redact_in_httpx_logs
from .._errors import ContentMismatchError, DownloadError, DownloadFailure, ValidationError
from .names import checked_url, destination
from .target import Target

__all__ = ["DownloadProgress", "ProgressCallback", "Transfer", "Verdict", "plan_downloads", "settle"]

# A signed URL is asked for once per download, valid long enough for any retry of it.
SIGN_SECONDS = 3600
Verdict = Literal["done", "restart", "sign", "error"]


@dataclass(frozen=True, slots=True)
class DownloadProgress:
    """One download's progress: `received` of `total` bytes (None: not announced). `done` once the file is
    in place; `skipped` when it already was. Called from the thread (or task) doing the download."""

    url: str
    path: Path
    received: int
    total: int | None
    done: bool = False
    skipped: bool = False


ProgressCallback = Callable[[DownloadProgress], None]


def _unused(reply: Any) -> None:  # the driver reads success bodies itself
    return None


def plan_downloads(
    pairs: Sequence[tuple[str, str | os.PathLike[str]]],
    config: ClientConfig,
    *,
    allow_external_urls: bool,
    sha256: Sequence[str | None] | None = None,
    max_bytes: int | None = None,
) -> list[Target]:
    """Every download checked before any request: URLs, destinations (no two alike), hashes, cap."""
    if isinstance(pairs, str | bytes) or not isinstance(pairs, Sequence):
        raise ValidationError("downloads must be a sequence of (url, dest) pairs", field="downloads")
    if sha256 is not None and len(sha256) != len(pairs):
        raise ValidationError("sha256 must have one entry per download", field="sha256")
    if max_bytes is not None and (
        isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 0
    ):
        raise ValidationError("max_bytes must be an integer >= 0", field="max_bytes")
    targets: list[Target] = []
    seen: set[Path] = set()
    for index, pair in enumerate(pairs):
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise ValidationError(f"downloads[{index}] must be a (url, dest) pair", field="downloads")
        url = checked_url(pair[0], config, allow_external_urls=allow_external_urls)
        final = destination(pair[1], url)
        key = final.resolve()
        if key in seen:
            raise ValidationError(f"two downloads go to {str(final)!r}", field="downloads")
        seen.add(key)
        expected = None if sha256 is None else sha256[index]
        if expected is not None and (
            len(expected) != 64 or any(c not in "0123456789abcdef" for c in expected)
        ):
            raise ValidationError(f"sha256[{index}] must be 64 lowercase hex digits", field="sha256")
        targets.append(Target(url, final, expected, max_bytes))
    return targets


class Transfer:
    """One download's attempts: the request of each, and what its reply means."""

    def __init__(self, target: Target, budget: Budget, on_progress: ProgressCallback | None) -> None:
        self.target = target
        self.url = target.url
        self.signed = False
        self.attempts: Attempts[None] = Attempts(Spec("download", "GET", target.url, _unused), budget)
        self._on_progress = on_progress
        self._had = 0

    def request(self) -> tuple[AttemptScope, httpx.Request]:
        spec = self.attempts.spec._replace(
            url=self.url, headers=self.target.request_headers(), signed=self.signed
        )
        self.attempts.spec = spec
        self._had = self.target.received
        scope = self.attempts.begin()
        # No credential, ever: fal's CDN needs none, and a signed URL carries its own.
        return scope, self.attempts.build(scope, None)

    def logs(self) -> contextlib.AbstractContextManager[None]:
        """A signed URL's query is its signature: kept out of httpx's request log line."""
        return redact_in_httpx_logs(self.url) if self.signed else contextlib.nullcontext()

    def verdict(self, response: httpx.Response, can_sign: bool) -> Verdict:
        status = response.status_code
        if status in (200, 206):
            encoding = response.headers.get("content-encoding", "identity").strip().lower()
            if encoding not in ("", "identity"):
                raise ContentMismatchError(f"{self.url}: the body came {encoding}-encoded, not as the file")
            return "done"
        if status == 416 and self.target.partial.exists():
            self.target.discard()
            return "restart"
        if status == 403 and can_sign and not self.signed:
            return "sign"
        return "error"

    def after_error(self, exc: Exception, request: httpx.Request) -> float:
        """The wait before the next attempt, or raises. An attempt that got bytes of the file used up no
        retry: the next one continues from there (the deadline still bounds the whole call)."""
        if self.target.received > self._had and self.target.partial.exists():
            self.attempts.number = 0
        return self.attempts.after_error(exc, request)

    def use_signed(self, url: str, config: ClientConfig) -> None:
        """Continue with a signed URL from fal's reply, itself fal-hosted (it is checked, not trusted)."""
        self.url = checked_url(url, config, allow_external_urls=False)
        self.signed = True

    def chunk(self, scope: AttemptScope, data: bytes) -> None:
        self.target.write(data)
        scope.interrupt.check()
        remaining = scope.remaining()
        if remaining is not None and remaining <= 0:
            raise httpx.ReadTimeout("the attempt ran out of time while reading the body")
        self.report()

    def report(self, *, done: bool = False) -> None:
        if self._on_progress is not None:
            target = self.target
            self._on_progress(
                DownloadProgress(
                    target.url, target.final, target.received, target.total, done, target.skipped
                )
            )


def settle(targets: Sequence[Target], errors: Sequence[BaseException | None]) -> list[Path]:
    """The paths, or DownloadError naming each failed download (the others are in place)."""
    if any(error is not None for error in errors):
        raise DownloadError(
            [DownloadFailure(t.url, t.final, e) for t, e in zip(targets, errors, strict=True)]
        )
    return [target.final for target in targets]
