"""The `entities` command of `fal-assets`: list, get, create, update and delete characters, props,
environments, styles and scenes. Output, exit codes and progress follow the `characters` command."""

from __future__ import annotations

from ._context import EXIT_OK, Action, Command, Context, UsageError, at_least, confirm

TYPE_CHECKING = False  # not typing's: `entities … --help` should not pay for typing
if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from fal_assets_api.models.entity import Entity
    from fal_assets_api.types import Unset

__all__ = ["COMMANDS"]

_KINDS = "character, prop, environment, style or scene"


def _list_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--type", action="append", dest="types", metavar="T", help=f"only this kind ({_KINDS}; repeatable)"
    )
    p.add_argument("--limit", type=at_least(0), default=50, help="page size, 1-100 (default 50)")
    p.add_argument("--offset", type=at_least(0), default=0, help="entities to skip (default 0)")
    p.add_argument("--all", action="store_true", help="fetch every page")


def _id(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID")


_REF_HELP = "reference image: a local file or folder, an asset ID, or a fal-hosted URL (repeatable)"


def _create_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--type", required=True, metavar="T", help=_KINDS)
    p.add_argument("--name", required=True, help="display name (1-255 characters)")
    p.add_argument("--handle", help="@mention handle without the @ (default: from the name)")
    p.add_argument("--description", help="visual description (required for a character)")
    p.add_argument("--ref", action="append", required=True, metavar="X", help=_REF_HELP)
    p.add_argument("--cover", metavar="X", help="cover image: one of the --ref images")


def _update_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID")
    p.add_argument("--name", help="new display name")
    p.add_argument("--handle", help="new @mention handle (not for characters)")
    description = p.add_mutually_exclusive_group()
    description.add_argument("--description", help="new description")
    description.add_argument(
        "--clear-description", action="store_true", help="remove the description (not for characters)"
    )
    p.add_argument("--ref", action="append", metavar="X", help=_REF_HELP + "; replaces the whole set")
    cover = p.add_mutually_exclusive_group()
    cover.add_argument("--cover", metavar="X", help="new cover image, one of the entity's references")
    cover.add_argument("--clear-cover", action="store_true", help="remove the explicit cover")


def _delete_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")


def _show(ctx: Context, entity: Entity) -> None:
    from .output import dumps, entity_block

    ctx.out(dumps(entity.to_dict()) if ctx.json else entity_block(entity))


def _cmd_list(ctx: Context) -> int:
    from .output import dumps, entity_table

    args = ctx.args
    with ctx.client() as client:
        if args.all:
            entities = list(client.entities.iter(types=args.types, page_size=args.limit))
        else:
            entities = client.entities.list(types=args.types, limit=args.limit, offset=args.offset)
    ctx.out(dumps([e.to_dict() for e in entities]) if ctx.json else entity_table(entities))
    return EXIT_OK


def _cmd_get(ctx: Context) -> int:
    with ctx.client() as client:
        _show(ctx, client.entities.get(ctx.args.id))
    return EXIT_OK


def _cmd_create(ctx: Context) -> int:
    from .characters import image, references

    args = ctx.args
    progress = ctx.progress()
    try:
        with ctx.client() as client:
            entity = client.entities.create(
                type=args.type,
                name=args.name,
                handle=args.handle,
                description=args.description,
                reference_images=references(args.ref),
                cover_image=image(args.cover) if args.cover is not None else None,
                on_progress=progress,
            )
    finally:
        if progress is not None:
            progress.finish()
    _show(ctx, entity)
    return EXIT_OK


def _cmd_update(ctx: Context) -> int:
    from fal_assets_api.types import UNSET

    from .characters import image, references

    args = ctx.args
    cover: str | Path | None | Unset = UNSET
    if args.clear_cover:
        cover = None
    elif args.cover is not None:
        cover = image(args.cover)
    description: str | None | Unset = UNSET
    if args.clear_description:
        description = None
    elif args.description is not None:
        description = args.description
    progress = ctx.progress()
    try:
        with ctx.client() as client:
            entity = client.entities.update(
                args.id,
                name=UNSET if args.name is None else args.name,
                handle=UNSET if args.handle is None else args.handle,
                description=description,
                reference_images=UNSET if args.ref is None else references(args.ref),
                cover_image=cover,
                on_progress=progress,
            )
    finally:
        if progress is not None:
            progress.finish()
    _show(ctx, entity)
    return EXIT_OK


def _cmd_delete(ctx: Context) -> int:
    from .output import dumps

    args = ctx.args
    if not args.yes:
        if not ctx.stdin.isatty():
            raise UsageError(
                f"refusing to delete {args.id} without confirmation: stdin is not a terminal; pass --yes"
            )
        if not confirm(ctx, f"Delete entity {args.id}? This cannot be undone."):
            ctx.stderr.write("not deleted\n")
            return EXIT_OK
    with ctx.client() as client:
        client.entities.delete(args.id)
    ctx.out(dumps({"deleted": args.id}) if ctx.json else f"deleted {args.id}")
    return EXIT_OK


COMMANDS = {
    "entities": Command(
        actions=(
            Action("list", "list entities, newest first (one page unless --all)", _cmd_list, _list_arguments),
            Action("get", "show one entity", _cmd_get, _id),
            Action("create", "create an entity", _cmd_create, _create_arguments),
            Action(
                "update",
                "change some fields of an entity (others are left alone)",
                _cmd_update,
                _update_arguments,
            ),
            Action("delete", "delete an entity (its reference assets stay)", _cmd_delete, _delete_arguments),
        )
    ),
}
