"""`fal-assets characters …`: list, get, create, update, delete and (un)favorite characters, each action's
arguments beside its handler; and how a command-line word becomes an image (`image`, `checked_image`), which
the other commands taking images share."""

from __future__ import annotations

import os
import re
from contextlib import contextmanager

from .._errors import ValidationError
from ._context import EXIT_OK, Action, Command, Context, UsageError, at_least, confirm

TYPE_CHECKING = False  # not typing's: `characters … --help` should not pay for typing (nor pathlib)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterator, Sequence
    from pathlib import Path

    from fal_assets_api.types import Unset

__all__ = ["COMMANDS", "checked_image", "image", "references"]


def image(value: str) -> str | Path:
    """A local path when something exists there, otherwise the text as given for the library to classify
    by its resolution rules (an ID, a fal URL, or a path-looking string that then fails as missing).

    The library reads a bare `alice` as an asset ID; on a command line, where the shell completes file
    names, an existing file or folder of that name is what the user means.
    """
    from pathlib import Path

    return Path(value) if os.path.exists(value) else value


# IDs fal gives assets: vector and request IDs are UUIDs, asset IDs 20 lowercase letters and digits.
_ID_SHAPED = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[a-z0-9]{20}"
)


def checked_image(value: str, flag: str, *, ids: bool) -> str | Path:
    """`image`, but a bare word that is no existing path, URL or path-looking text, and (where `ids`)
    not ID-shaped either, is a usage error: on a command line it is far likelier a mistyped folder than an
    ID, and the fake, which "materializes" unknown IDs as fal does, could not catch the typo."""
    from pathlib import Path

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


def _list_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=at_least(0), default=50, help="page size, 1-100 (default 50)")
    p.add_argument("--offset", type=at_least(0), default=0, help="characters to skip (default 0)")
    p.add_argument("--all", action="store_true", help="fetch every page from --offset on")


def _cmd_list(ctx: Context) -> int:
    from .output import character_table, dumps

    args = ctx.args
    with ctx.client() as client:
        if args.all:
            characters = list(client.characters.iter(page_size=args.limit, offset=args.offset))
        else:
            characters = client.characters.list(limit=args.limit, offset=args.offset)
    ctx.out(dumps([c.to_dict() for c in characters]) if ctx.json else character_table(characters))
    return EXIT_OK


def _id(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID")


def _cmd_get(ctx: Context) -> int:
    with ctx.client() as client:
        ctx.character(client.characters.get(ctx.args.id))
    return EXIT_OK


_REF_HELP = "reference image: a local file or folder, an asset ID, or a fal-hosted URL (repeatable)"
_COVER_HELP = "cover image: a local image or a fal-hosted image URL (not an ID: fal's cover is a URL)"


def _create_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", required=True, help="display name (1-255 characters)")
    p.add_argument("--description", required=True, help="text used for matching (1-2000 characters)")
    p.add_argument("--ref", action="append", required=True, metavar="X", help=_REF_HELP)
    p.add_argument("--cover", metavar="X", help=_COVER_HELP)
    p.add_argument("--identifier", help="short identifier of the character")


@contextmanager
def _cli_names() -> Iterator[None]:
    try:
        yield
    except ValidationError as exc:
        raise in_cli_names(exc) from None


def _cmd_create(ctx: Context) -> int:
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


def _update_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID")
    p.add_argument("--name", help="new display name")
    p.add_argument("--description", help="new description")
    p.add_argument("--ref", action="append", metavar="X", help=_REF_HELP + "; replaces the whole list")
    cover = p.add_mutually_exclusive_group()
    cover.add_argument("--cover", metavar="X", help="new " + _COVER_HELP)
    cover.add_argument("--clear-cover", action="store_true", help="remove the cover image")


def _cmd_update(ctx: Context) -> int:
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


def _delete_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")


def _cmd_delete(ctx: Context) -> int:
    from .output import dumps

    args = ctx.args
    if not args.yes:
        if not ctx.stdin.isatty():
            raise UsageError(
                f"refusing to delete {args.id} without confirmation: stdin is not a terminal; pass --yes"
            )
        if not confirm(ctx, f"Delete character {args.id}? This cannot be undone."):
            ctx.stderr.write("not deleted\n")
            return EXIT_OK
    with ctx.client() as client:
        client.characters.delete(args.id)
    ctx.out(dumps({"deleted": args.id}) if ctx.json else f"deleted {args.id}")
    return EXIT_OK


def _cmd_favorite(ctx: Context) -> int:
    with ctx.client() as client:
        ctx.character(client.characters.favorite(ctx.args.id))
    return EXIT_OK


def _cmd_unfavorite(ctx: Context) -> int:
    with ctx.client() as client:
        ctx.character(client.characters.unfavorite(ctx.args.id))
    return EXIT_OK


COMMANDS = {
    "characters": Command(
        actions=(
            Action("list", "list characters (one page unless --all)", _cmd_list, _list_arguments),
            Action("get", "show one character", _cmd_get, _id),
            Action("create", "create a character", _cmd_create, _create_arguments),
            Action(
                "update",
                "change some fields of a character (others are left alone)",
                _cmd_update,
                _update_arguments,
            ),
            Action("delete", "delete a character", _cmd_delete, _delete_arguments),
            Action("favorite", "mark a character as a favorite", _cmd_favorite, _id),
            Action("unfavorite", "unmark a favorite character", _cmd_unfavorite, _id),
        )
    ),
}
