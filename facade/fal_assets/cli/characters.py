"""The `characters`, `upload` and `demo` commands of `fal-assets` (their arguments are declared in
_cli_parser.py, and cli.py dispatches to them)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .._errors import ValidationError
from . import EXIT_OK, UsageError, _confirm, _Context

if TYPE_CHECKING:
    from fal_assets_api.types import Unset

__all__ = ["CHARACTER_ACTIONS", "checked_image", "cmd_demo", "cmd_upload", "image", "references"]


def image(value: str) -> str | Path:
    """A local path when something exists there, otherwise the text as given for the library to classify
    by its resolution rules (an ID, a fal URL, or a path-looking string that then fails as missing).

    The library reads a bare `alice` as an asset ID; on a command line, where the shell completes file
    names, an existing file or folder of that name is what the user means.
    """
    return Path(value) if os.path.exists(value) else value


# IDs fal gives assets: vector and request IDs are UUIDs, asset IDs 20 lowercase letters and digits.
_ID_SHAPED = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[a-z0-9]{20}"
)


def checked_image(value: str, flag: str, *, ids: bool) -> str | Path:
    """`image`, but a bare word that is no existing path, URL or path-looking text, and (where `ids`)
    not ID-shaped either, is a usage error: on a command line it is far likelier a mistyped folder than an
    ID, and the fake, which "materializes" unknown IDs as fal does, could not catch the typo."""
    from .._uploads.references import _looks_like_path

    found = image(value)
    if isinstance(found, Path) or "://" in value or _looks_like_path(value):
        return found
    if ids and _ID_SHAPED.fullmatch(value):
        return value
    kinds = "a local file or folder, a fal-hosted URL, or an asset ID (a UUID or fal's 20-character id)"
    if not ids:
        kinds = "a local image or a fal-hosted image URL (fal's cover is a URL, not an ID)"
    raise UsageError(f"{flag} {value!r}: no such file or folder; {flag} takes {kinds}")


def references(values: Sequence[str]) -> list[str | Path]:
    # Folders may sit anywhere in the list: the library expands each to its images, sorted by name.
    return [checked_image(v, "--ref", ids=True) for v in values]


# The library's argument names in its messages, and what a command-line user types instead.
_CLI_NAMES = (
    (re.compile(r"\breference_images\[(\d+)\]"), lambda m: f"--ref #{int(m.group(1)) + 1}"),
    (re.compile(r"\breference_images\b"), lambda m: "--ref"),
    (re.compile(r"\bcover_image\b"), lambda m: "--cover"),
    (
        re.compile(
            r"Pass the image as a local file or bytes to upload it, or allow_external_urls=True to send "
            r"the URL anyway"
        ),
        lambda m: "Download it and pass the local file, which is then uploaded to fal",
    ),
)


def in_cli_names(exc: ValidationError) -> ValidationError:
    message = str(exc)
    for pattern, replacement in _CLI_NAMES:
        message = pattern.sub(replacement, message)
    return type(exc)(message, field=exc.field)


def _cmd_list(ctx: _Context) -> int:
    from .output import character_table, dumps

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


@contextmanager
def _cli_names() -> Iterator[None]:
    try:
        yield
    except ValidationError as exc:
        raise in_cli_names(exc) from None


def _cmd_create(ctx: _Context) -> int:
    args = ctx.args
    refs = references(args.ref)
    cover = checked_image(args.cover, "--cover", ids=False) if args.cover is not None else None
    progress = ctx.progress()
    try:
        with ctx.client() as client, _cli_names():
            character = client.characters.create(
                name=args.name,
                description=args.description,
                reference_images=refs,
                identifier=args.identifier,
                cover_image=cover,
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
    given = (args.name, args.description, args.ref, args.cover)
    if all(value is None for value in given) and not args.clear_cover:
        raise UsageError(
            "characters update needs at least one of --name, --description, --ref, --cover or --clear-cover"
        )
    cover: str | Path | None | Unset = UNSET
    if args.clear_cover:
        cover = None
    elif args.cover is not None:
        cover = checked_image(args.cover, "--cover", ids=False)
    refs = UNSET if args.ref is None else references(args.ref)
    progress = ctx.progress()
    try:
        with ctx.client() as client, _cli_names():
            character = client.characters.update(
                args.id,
                name=UNSET if args.name is None else args.name,
                description=UNSET if args.description is None else args.description,
                reference_images=refs,
                cover_image=cover,
                on_progress=progress,
            )
    finally:
        if progress is not None:
            progress.finish()
    ctx.character(character)
    return EXIT_OK


def _cmd_delete(ctx: _Context) -> int:
    from .output import dumps

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

    from .output import dumps

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
    from .demo import run_demo  # the fake server is only needed here

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
