"""`fal-assets collections …`: list, show, create, update, delete, nest, download and fill collections,
each action's arguments beside its handler."""

from __future__ import annotations

import argparse
import itertools

from ._context import EXIT_OK, Action, Command, Context, at_least, output_argument
from ._library import confirmed, filter_values, filters, ref, ref_values, show, yes

TYPE_CHECKING = False  # not typing's: this module loads with `collections … --help`
if TYPE_CHECKING:
    from ._context import Handler

__all__ = ["COMMANDS"]


def _list_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=at_least(1), default=50, help="page size (default 50)")
    p.add_argument("--offset", type=at_least(0), default=0, help="collections to skip")
    p.add_argument("--all", action="store_true", help="fetch every page from --offset on")


def _list(ctx: Context) -> int:
    from .library_output import collections_table

    args = ctx.args
    with ctx.client() as client:
        if args.all:
            found = list(client.collections.iter(page_size=args.limit, offset=args.offset))
        else:
            found = client.collections.list(limit=args.limit, offset=args.offset)
    return show(ctx, found, collections_table)


def _id(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID")


def _call(name: str) -> Handler:
    def run(ctx: Context) -> int:
        with ctx.client() as client:
            return show(ctx, getattr(client.collections, name)(ctx.args.id))

    return run


def _create_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", metavar="NAME")
    p.add_argument("--description")
    p.add_argument("--parent", metavar="ID", help="nest it under this collection")


def _create(ctx: Context) -> int:
    args = ctx.args
    with ctx.client() as client:
        return show(
            ctx,
            client.collections.create(
                args.name, description=args.description, parent_collection_id=args.parent
            ),
        )


def _update_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID")
    p.add_argument("--name")
    p.add_argument("--description")


def _update(ctx: Context) -> int:
    args = ctx.args
    fields = {k: v for k, v in (("name", args.name), ("description", args.description)) if v is not None}
    with ctx.client() as client:
        return show(ctx, client.collections.update(args.id, **fields))


def _delete_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID")
    yes(p)


def _delete(ctx: Context) -> int:
    from .output import dumps

    if confirmed(ctx, f"collection {ctx.args.id}"):
        with ctx.client() as client:
            client.collections.delete(ctx.args.id)
        ctx.out(dumps({"deleted": ctx.args.id}) if ctx.json else f"deleted {ctx.args.id}")
    return EXIT_OK


def _move_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--parent", metavar="ID", help="the new parent")
    where.add_argument("--top", action="store_true", help="move it to the top level")


def _move(ctx: Context) -> int:
    with ctx.client() as client:
        return show(ctx, client.collections.move(ctx.args.id, None if ctx.args.top else ctx.args.parent))


def _download_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID")
    filters(p, collection=False)
    output_argument(p)


def _download(ctx: Context) -> int:
    from .files import download_assets

    with ctx.client() as client:
        found = client.collections.assets(ctx.args.id, **filter_values(ctx.args))
        return download_assets(ctx, [a for a in found if a.url], client)


def _assets_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID")
    p.add_argument("--limit", type=at_least(1), default=50, help="at most this many (default 50)")
    filters(p, collection=False)


def _assets(ctx: Context) -> int:
    from .library_output import assets_table

    args = ctx.args
    with ctx.client() as client:
        found = list(itertools.islice(client.collections.assets(args.id, **filter_values(args)), args.limit))
    return show(ctx, found, assets_table)


def _membership_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("collection_id", metavar="COLLECTION_ID")
    ref(p)


def _membership(name: str) -> Handler:
    def run(ctx: Context) -> int:
        from .output import dumps

        with ctx.client() as client:
            getattr(client.collections, name)(ctx.args.collection_id, **ref_values(ctx.args))
        ctx.out(dumps({name: True}) if ctx.json else "done")
        return EXIT_OK

    return run


COMMANDS = {
    "collections": Command(
        actions=(
            Action("list", "list collections (characters among them)", _list, _list_arguments),
            Action("get", "show one collection", _call("get"), _id),
            Action(
                "hierarchy",
                "show a collection's nested collections and its ancestors",
                _call("hierarchy"),
                _id,
            ),
            Action("favorite", "favorite a collection", _call("favorite"), _id),
            Action("unfavorite", "unfavorite a collection", _call("unfavorite"), _id),
            Action("create", "create a manual collection", _create, _create_arguments),
            Action("update", "change a collection's name or description", _update, _update_arguments),
            Action(
                "delete",
                "delete a collection and those nested in it (not their assets)",
                _delete,
                _delete_arguments,
            ),
            Action("move", "nest a collection under another, or at the top level", _move, _move_arguments),
            Action(
                "download",
                "download the files of a collection's assets into -o DIR",
                _download,
                _download_arguments,
            ),
            Action("assets", "list a collection's assets", _assets, _assets_arguments),
            Action("add", "add an asset to a collection", _membership("add"), _membership_arguments),
            Action(
                "remove", "remove an asset from a collection", _membership("remove"), _membership_arguments
            ),
        )
    ),
}
