"""What the library commands (`assets`, `collections`, `tags`, `storage`) share: the list filters and the
asset reference as arguments, and reading them back; showing a result; delete confirmation; progress."""

from __future__ import annotations

import argparse
from contextlib import contextmanager

from ._context import EXIT_OK, Context, UsageError, confirm

TYPE_CHECKING = False  # not typing's: these modules load with their commands' --help
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any

__all__ = [
    "confirmed",
    "filter_values",
    "filters",
    "progress",
    "ref",
    "ref_values",
    "seconds_or_never",
    "show",
    "yes",
]


def filters(p: argparse.ArgumentParser, *, collection: bool = True) -> None:
    p.add_argument(
        "--media-type", action="append", metavar="TYPE", help="image, video, audio or 3d (repeatable)"
    )
    p.add_argument("--source", action="append", metavar="SOURCE", help="upload or response (repeatable)")
    p.add_argument("--section", help="all-media, uploads, favorites or generated")
    if collection:
        p.add_argument("--collection", metavar="ID", help="only assets of this collection")
    p.add_argument("--character", action="append", metavar="IDENTIFIER", help="@mention filter (repeatable)")
    p.add_argument("--tag", action="append", metavar="TAG_ID", help="only assets with this tag (repeatable)")
    p.add_argument("--tag-mode", metavar="MODE", help="any (default) or all")


def ref(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "asset_id", nargs="?", metavar="ASSET_ID", help="the asset (or use --request-id/--vector-id)"
    )
    p.add_argument("--request-id", metavar="ID", help="the asset by the request that made it")
    p.add_argument("--vector-id", metavar="ID", help="the asset by its vector ID")


def yes(p: argparse.ArgumentParser) -> None:
    p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")


def seconds_or_never(value: str) -> int | str:
    from .._core.lifecycle import EXPIRY_PRESETS  # only when the option is given: it reads the spec

    if value == "never" or value in EXPIRY_PRESETS:
        return value
    try:
        return int(value)
    except ValueError:
        presets = ", ".join(EXPIRY_PRESETS)
        raise argparse.ArgumentTypeError(
            f'not a number of seconds, a preset ({presets}) or "never": {value!r}'
        ) from None


def filter_values(args: argparse.Namespace) -> dict[str, Any]:
    names = {
        "media_type": "media_type",
        "source": "source",
        "section": "section",
        "collection": "collection_id",
        "character": "character_identifier",
        "tag": "tag_id",
        "tag_mode": "tag_mode",
    }
    return {api: getattr(args, cli) for cli, api in names.items() if getattr(args, cli, None) is not None}


def ref_values(args: argparse.Namespace) -> dict[str, Any]:
    given = {"asset_id": args.asset_id, "request_id": args.request_id, "vector_id": args.vector_id}
    return {key: value for key, value in given.items() if value is not None}


def show(ctx: Context, value: Any, human: Callable[[Any], str] | None = None) -> int:
    """`value` (a model, or a list of them) as JSON, or by `human` (default: `library_output.text`)."""
    from .output import dumps

    if ctx.json:
        ctx.out(dumps(value.to_dict() if hasattr(value, "to_dict") else [v.to_dict() for v in value]))
    else:
        from .library_output import text

        ctx.out((human or text)(value))
    return EXIT_OK


@contextmanager
def progress(ctx: Context) -> Iterator[Any]:
    printer = ctx.progress()
    try:
        yield printer
    finally:
        if printer is not None:
            printer.finish()


def confirmed(ctx: Context, what: str) -> bool:
    if ctx.args.yes:
        return True
    if not ctx.stdin.isatty():
        raise UsageError(
            f"refusing to delete {what} without confirmation: stdin is not a terminal; pass --yes"
        )
    if confirm(ctx, f"Delete {what}? This cannot be undone."):
        return True
    ctx.stderr.write("not deleted\n")
    return False
