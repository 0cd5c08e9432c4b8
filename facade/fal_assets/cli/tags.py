"""`fal-assets tags …`: list, create, rename, delete, assign and unassign asset tags, each action's arguments
beside its handler."""

from __future__ import annotations

import argparse

from ._context import EXIT_OK, Action, Command, Context
from ._library import confirmed, ref, ref_values, show, yes

TYPE_CHECKING = False  # not typing's: this module loads with `tags … --help`
if TYPE_CHECKING:
    from ._context import Handler

__all__ = ["COMMANDS"]


def _list(ctx: Context) -> int:
    from .library_output import tags_table

    with ctx.client() as client:
        return show(ctx, client.tags.list(), tags_table)


def _create_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", metavar="NAME")


def _create(ctx: Context) -> int:
    with ctx.client() as client:
        return show(ctx, client.tags.create(ctx.args.name))


def _update_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="TAG_ID")
    p.add_argument("name", metavar="NAME")


def _update(ctx: Context) -> int:
    with ctx.client() as client:
        return show(ctx, client.tags.update(ctx.args.id, ctx.args.name))


def _delete_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="TAG_ID")
    yes(p)


def _delete(ctx: Context) -> int:
    from .output import dumps

    if confirmed(ctx, f"tag {ctx.args.id}"):
        with ctx.client() as client:
            client.tags.delete(ctx.args.id)
        ctx.out(dumps({"deleted": ctx.args.id}) if ctx.json else f"deleted {ctx.args.id}")
    return EXIT_OK


def _assignment_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("tag_id", metavar="TAG_ID")
    ref(p)


def _assignment(name: str) -> Handler:
    def run(ctx: Context) -> int:
        from .output import dumps

        with ctx.client() as client:
            getattr(client.tags, name)(ctx.args.tag_id, **ref_values(ctx.args))
        ctx.out(dumps({name: True}) if ctx.json else "done")
        return EXIT_OK

    return run


COMMANDS = {
    "tags": Command(
        actions=(
            Action("list", "list tags", _list),
            Action("create", "create a tag", _create, _create_arguments),
            Action("update", "rename a tag", _update, _update_arguments),
            Action("delete", "delete a tag", _delete, _delete_arguments),
            Action("assign", "assign a tag", _assignment("assign"), _assignment_arguments),
            Action("unassign", "unassign a tag", _assignment("unassign"), _assignment_arguments),
        )
    ),
}
