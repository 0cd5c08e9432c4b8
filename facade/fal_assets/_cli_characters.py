"""The `characters`, `upload` and `demo` commands of `fal-assets` (their arguments are declared in
_cli_parser.py, and cli.py dispatches to them)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .cli import EXIT_OK, UsageError, _confirm, _Context

if TYPE_CHECKING:
    from fal_assets_api.types import Unset

__all__ = ["CHARACTER_ACTIONS", "cmd_demo", "cmd_upload", "image", "references"]


def image(value: str) -> str | Path:
    """A local path when something exists there, otherwise the text as given for the library to classify
    by its resolution rules (an ID, a fal URL, or a path-looking string that then fails as missing).

    The library reads a bare `alice` as an asset ID; on a command line, where the shell completes file
    names, an existing file or folder of that name is what the user means.
    """
    return Path(value) if os.path.exists(value) else value


def references(values: Sequence[str]) -> list[str | Path]:
    # Folders may sit anywhere in the list: the library expands each to its images, sorted by name.
    return [image(v) for v in values]


def _cmd_list(ctx: _Context) -> int:
    from ._cli_output import character_table, dumps

    args = ctx.args
    with ctx.client() as client:
        if args.all:
            characters = list(client.characters.iter(page_size=args.limit, offset=args.offset))
        else:
            characters = client.characters.list(limit=args.limit, offset=args.offset)
    ctx.out(dumps([c.to_dict() for c in characters]) if ctx.json else character_table(characters))
    return EXIT_OK


def _cmd_get(ctx: _Context) -> int:
    with ctx.client() as client:
        ctx.character(client.characters.get(ctx.args.id))
    return EXIT_OK


def _cmd_create(ctx: _Context) -> int:
    args = ctx.args
    progress = ctx.progress()
    try:
        with ctx.client() as client:
            character = client.characters.create(
                name=args.name,
                description=args.description,
                reference_images=references(args.ref),
                identifier=args.identifier,
                cover_image=image(args.cover) if args.cover is not None else None,
                on_progress=progress,
            )
    finally:
        if progress is not None:
            progress.finish()
    ctx.character(character)
    return EXIT_OK


def _cmd_update(ctx: _Context) -> int:
    from fal_assets_api.types import UNSET

    args = ctx.args
    cover: str | Path | None | Unset = UNSET
    if args.clear_cover:
        cover = None
    elif args.cover is not None:
        cover = image(args.cover)
    progress = ctx.progress()
    try:
        with ctx.client() as client:
            character = client.characters.update(
                args.id,
                name=UNSET if args.name is None else args.name,
                description=UNSET if args.description is None else args.description,
                reference_images=UNSET if args.ref is None else references(args.ref),
                cover_image=cover,
                on_progress=progress,
            )
    finally:
        if progress is not None:
            progress.finish()
    ctx.character(character)
    return EXIT_OK


def _cmd_delete(ctx: _Context) -> int:
    from ._cli_output import dumps

    args = ctx.args
    if not args.yes:
        if not ctx.stdin.isatty():
            raise UsageError(
                f"refusing to delete {args.id} without confirmation: stdin is not a terminal; pass --yes"
            )
        if not _confirm(ctx, f"Delete character {args.id}? This cannot be undone."):
            ctx.stderr.write("not deleted\n")
            return EXIT_OK
    with ctx.client() as client:
        client.characters.delete(args.id)
    ctx.out(dumps({"deleted": args.id}) if ctx.json else f"deleted {args.id}")
    return EXIT_OK


def _cmd_favorite(ctx: _Context) -> int:
    with ctx.client() as client:
        ctx.character(client.characters.favorite(ctx.args.id))
    return EXIT_OK


def _cmd_unfavorite(ctx: _Context) -> int:
    with ctx.client() as client:
        ctx.character(client.characters.unfavorite(ctx.args.id))
    return EXIT_OK


def cmd_upload(ctx: _Context) -> int:
    from pathlib import Path

    from ._cli_output import dumps

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


def cmd_demo(ctx: _Context) -> int:
    from ._demo import run_demo  # the fake server is only needed here

    return run_demo(ctx.stdout)


CHARACTER_ACTIONS: dict[str, Callable[[_Context], int]] = {
    "list": _cmd_list,
    "get": _cmd_get,
    "create": _cmd_create,
    "update": _cmd_update,
    "delete": _cmd_delete,
    "favorite": _cmd_favorite,
    "unfavorite": _cmd_unfavorite,
}
