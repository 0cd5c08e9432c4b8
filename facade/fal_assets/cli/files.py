"""`fal-assets upload FILE...` and `fal-assets download URL... -o DIR`: files to and from fal's CDN; and the
download run `assets download` and `collections download` share (`download_assets`).

A download's stdout gets the path of each file (or, with --json, one summary object); stderr gets a line per
finished file and the summary: files, bytes, skipped and failed. A failed file does not stop the others;
the exit code is then the failures' (see `cli.exit_code`), and a rerun resumes what was left partial.
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._context import EXIT_OK, Command, Context, output_argument
from .output import dumps

if TYPE_CHECKING:
    from .._downloads import DownloadProgress
    from .._errors import DownloadError

__all__ = ["COMMANDS", "download_assets"]


class _Tally:
    """What the summary counts; fed by the downloads' progress (from worker threads)."""

    def __init__(self, ctx: Context, total: int) -> None:
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


def _run(ctx: Context, count: int, start: Callable[[_Tally], Sequence[Path]]) -> int:
    from .._errors import DownloadError

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


def _upload_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE")


def _upload(ctx: Context) -> int:
    paths = [Path(f) for f in ctx.args.files]
    progress = ctx.progress(total_files=len(paths))
    try:
        with ctx.client() as client:
            urls = client.files.upload_many(paths, on_progress=progress)
    finally:
        if progress is not None:
            progress.finish()
    ctx.out(dumps(urls) if ctx.json else "\n".join(urls))
    return EXIT_OK


def _download_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("urls", nargs="+", metavar="URL", help="fal-hosted file URLs")
    output_argument(p)


def _download(ctx: Context) -> int:
    args = ctx.args
    folder = Path(args.output)
    folder.mkdir(parents=True, exist_ok=True)
    with ctx.client() as client:
        pairs = [(url, folder) for url in args.urls]
        return _run(ctx, len(pairs), lambda tally: client.files.download_many(pairs, on_progress=tally))


def download_assets(ctx: Context, assets: Sequence[Any], client: Any) -> int:
    """Download the files of `assets` into `-o DIR`, reporting as `download` does."""
    folder = Path(ctx.args.output)
    folder.mkdir(parents=True, exist_ok=True)
    return _run(
        ctx, len(assets), lambda tally: client.assets.download_many(assets, folder, on_progress=tally)
    )


COMMANDS = {
    "upload": Command(_upload, _upload_arguments),
    "download": Command(_download, _download_arguments),
}
