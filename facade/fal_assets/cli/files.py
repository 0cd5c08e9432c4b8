"""`fal-assets download URL... -o DIR`, `fal-assets assets download [filters] -o DIR` and
`fal-assets collections download ID -o DIR`: files from fal's CDN into a folder.

stdout gets the path of each file (or, with --json, one summary object); stderr gets a line per finished
file and the summary: files, bytes, skipped and failed. A failed file does not stop the others; the exit
code is then the failures' (see cli.exit_code), and a rerun resumes what was left partial.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .._downloads import DownloadProgress
from .._errors import DownloadError
from . import EXIT_OK, _Context
from .assets import _filter_values, _handler
from .output import dumps

__all__ = ["cmd_download", "cmd_pull"]


class _Tally:
    """What the summary counts; fed by the downloads' progress (from worker threads)."""

    def __init__(self, ctx: _Context, total: int) -> None:
        self._ctx = ctx
        self._total = total
        self._lock = threading.Lock()
        self.done = self.skipped = self.bytes = 0

    def __call__(self, progress: DownloadProgress) -> None:
        if not progress.done:
            return
        with self._lock:
            self.done += 1
            self.skipped += progress.skipped
            self.bytes += 0 if progress.skipped else progress.received
            verb = "skipped (same content)" if progress.skipped else f"{progress.received} bytes"
            self._ctx.stderr.write(f"[{self.done}/{self._total}] {progress.path}: {verb}\n")

    def summary(self, failed: int) -> dict[str, int]:
        return {
            "files": self.done - self.skipped,
            "bytes": self.bytes,
            "skipped": self.skipped,
            "failed": failed,
        }


def _run(ctx: _Context, count: int, start: Callable[[_Tally], Sequence[Path]]) -> int:
    tally = _Tally(ctx, count)
    failed: DownloadError | None = None
    paths: Sequence[Path] = []
    try:
        paths = start(tally)
    except DownloadError as exc:
        failed = exc
        paths = [Path(r.path) for r in exc.results if r.error is None]
    summary = tally.summary(len(failed.errors) if failed is not None else 0)
    if ctx.json:
        ctx.out(dumps({**summary, "paths": [str(p) for p in paths]}))
    else:
        for path in paths:
            ctx.out(str(path))
    ctx.stderr.write(
        f"{summary['files']} files, {summary['bytes']} bytes downloaded; "
        f"{summary['skipped']} skipped, {summary['failed']} failed\n"
    )
    if failed is not None:
        raise failed
    return EXIT_OK


def cmd_download(ctx: _Context) -> int:
    args = ctx.args
    folder = Path(args.output)
    folder.mkdir(parents=True, exist_ok=True)
    with ctx.client() as client:
        pairs = [(url, folder) for url in args.urls]
        return _run(ctx, len(pairs), lambda tally: client.files.download_many(pairs, on_progress=tally))


def _assets(ctx: _Context, assets: Sequence[Any], client: Any) -> int:
    folder = Path(ctx.args.output)
    folder.mkdir(parents=True, exist_ok=True)
    return _run(
        ctx, len(assets), lambda tally: client.assets.download_many(assets, folder, on_progress=tally)
    )


@_handler("assets", "download")
def _assets_download(ctx: _Context) -> int:
    with ctx.client() as client:
        assets = [a for a in client.assets.iter(**_filter_values(ctx.args)) if a.url]
        return _assets(ctx, assets, client)


@_handler("collections", "download")
def _collections_download(ctx: _Context) -> int:
    with ctx.client() as client:
        found = client.collections.assets(ctx.args.id, **_filter_values(ctx.args))
        return _assets(ctx, [a for a in found if a.url], client)


def cmd_pull(ctx: _Context) -> int:
    args = ctx.args
    kinds = None if args.kind is None else [k.strip() for k in args.kind.split(",") if k.strip()]
    with ctx.client() as client:
        result = client.characters.pull(
            args.manifest, kinds=kinds, only=args.only, refs_dir=args.dir, force=args.force
        )
    if ctx.json:
        ctx.out(dumps({"written": result.written, "kept": result.kept, "skipped": result.skipped}))
    for handle in result.written:
        ctx.stderr.write(f"pulled {handle}\n")
    for handle in result.kept:
        ctx.stderr.write(f"kept {handle} (already in the manifest; --force replaces it)\n")
    for handle, reason in result.skipped.items():
        ctx.stderr.write(f"not pulled {handle}: {reason}\n")
    ctx.stderr.write(
        f"{len(result.written)} pulled, {len(result.kept)} kept, {len(result.skipped)} not pulled "
        f"into {result.manifest}\n"
    )
    return EXIT_OK
