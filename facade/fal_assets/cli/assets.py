"""`fal-assets assets|collections|tags|storage …`: the Assets library and Storage API on the command line.

Declared by cli.py through `_cli_library_args.add_library_command`, dispatched through `library_handler`;
the same global options, `--json`, exit codes and upload progress as `characters`.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .._core.lifecycle import Lifecycle
from . import EXIT_OK, UsageError, _confirm, _Context
from .characters import image as local_or_id
from .library_output import assets_table, collections_table, tags_table, text
from .output import dumps

__all__ = ["library_handler"]

Handler = Callable[[_Context], int]
_HANDLERS: dict[str, dict[str, Handler]] = {"assets": {}, "collections": {}, "tags": {}, "storage": {}}


def _handler(group: str, name: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        _HANDLERS[group][name] = function
        return function

    return register


def library_handler(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Handler:
    handler = _HANDLERS[args.command].get(args.action or "")
    if handler is None:
        parser.error(f"{args.command} needs an action: " + ", ".join(_HANDLERS[args.command]))
    return handler


# --- commands ----------------------------------------------------------------------------------------------


def _filter_values(args: argparse.Namespace) -> dict[str, Any]:
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


def _ref_values(args: argparse.Namespace) -> dict[str, Any]:
    given = {"asset_id": args.asset_id, "request_id": args.request_id, "vector_id": args.vector_id}
    return {key: value for key, value in given.items() if value is not None}


def _show(ctx: _Context, value: Any, human: Callable[[Any], str] = text) -> int:
    if ctx.json:
        ctx.out(dumps(value.to_dict() if hasattr(value, "to_dict") else [v.to_dict() for v in value]))
    else:
        ctx.out(human(value))
    return EXIT_OK


@contextmanager
def _progress(ctx: _Context) -> Iterator[Any]:
    progress = ctx.progress()
    try:
        yield progress
    finally:
        if progress is not None:
            progress.finish()


@_handler("assets", "list")
def _assets_list(ctx: _Context) -> int:
    args = ctx.args
    with ctx.client() as client:
        if args.all:
            return _show(
                ctx, list(client.assets.iter(page_size=args.limit, **_filter_values(args))), assets_table
            )
        page = client.assets.list(limit=args.limit, cursor=args.cursor, **_filter_values(args))
    if ctx.json:
        ctx.out(dumps(page.to_dict()))
        return EXIT_OK
    ctx.out(assets_table(page.assets))
    if page.has_more and page.next_cursor:
        ctx.stderr.write(f"more: --cursor {page.next_cursor}\n")
    return EXIT_OK


@_handler("assets", "search")
def _assets_search(ctx: _Context) -> int:
    args = ctx.args
    image = local_or_id(args.image) if args.image is not None else None
    video = local_or_id(args.video) if args.video is not None else None
    with ctx.client() as client:
        results = client.assets.search(args.q, image=image, video=video, **_filter_values(args))
        found = list(itertools.islice(results, args.limit))
    return _show(ctx, found, lambda a: assets_table(a, similarity=True))


@_handler("assets", "get")
def _assets_get(ctx: _Context) -> int:
    with ctx.client() as client:
        return _show(ctx, client.assets.get(ctx.args.id))


@_handler("assets", "upload")
def _assets_upload(ctx: _Context) -> int:
    args = ctx.args
    lifecycle = Lifecycle(expires_in=args.expires_in) if args.expires_in is not None else None
    with _progress(ctx) as progress, ctx.client() as client:
        asset = client.assets.upload(
            local_or_id(args.source),
            type=args.type,
            prompt=args.prompt,
            collection_id=args.collection,
            favorite=True if args.favorite else None,
            tag_ids=args.tag,
            lifecycle=lifecycle,
            on_progress=progress,
        )
    return _show(ctx, asset)


def _favorite(ctx: _Context, favorite: bool) -> int:
    with ctx.client() as client:
        call = client.assets.favorite if favorite else client.assets.unfavorite
        state = call(**_ref_values(ctx.args))
    ctx.out(dumps({"is_favorited": state}) if ctx.json else ("favorited" if state else "not favorited"))
    return EXIT_OK


_handler("assets", "favorite")(lambda ctx: _favorite(ctx, True))
_handler("assets", "unfavorite")(lambda ctx: _favorite(ctx, False))


@_handler("assets", "tags")
def _assets_tags(ctx: _Context) -> int:
    args = ctx.args
    ref = _ref_values(args)
    with ctx.client() as client:
        if args.set is not None or args.clear:
            if args.set is not None and args.clear:
                raise UsageError("pass --set or --clear, not both")
            return _show(ctx, client.assets.set_tags(args.set or [], **ref), tags_table)
        if set(ref) != {"asset_id"}:
            raise UsageError("showing tags needs an ASSET_ID")
        return _show(ctx, client.assets.tags(ref["asset_id"]), tags_table)


@_handler("collections", "list")
def _collections_list(ctx: _Context) -> int:
    args = ctx.args
    with ctx.client() as client:
        if args.all:
            found = list(client.collections.iter(page_size=args.limit, offset=args.offset))
        else:
            found = client.collections.list(limit=args.limit, offset=args.offset)
    return _show(ctx, found, collections_table)


def _collection_call(name: str) -> Handler:
    def run(ctx: _Context) -> int:
        with ctx.client() as client:
            return _show(ctx, getattr(client.collections, name)(ctx.args.id))

    return run


for _name in ("get", "hierarchy", "favorite", "unfavorite"):
    _handler("collections", _name)(_collection_call(_name))


@_handler("collections", "create")
def _collections_create(ctx: _Context) -> int:
    args = ctx.args
    with ctx.client() as client:
        return _show(
            ctx,
            client.collections.create(
                args.name, description=args.description, parent_collection_id=args.parent
            ),
        )


@_handler("collections", "update")
def _collections_update(ctx: _Context) -> int:
    args = ctx.args
    fields = {k: v for k, v in (("name", args.name), ("description", args.description)) if v is not None}
    with ctx.client() as client:
        return _show(ctx, client.collections.update(args.id, **fields))


def _confirmed(ctx: _Context, what: str) -> bool:
    if ctx.args.yes:
        return True
    if not ctx.stdin.isatty():
        raise UsageError(
            f"refusing to delete {what} without confirmation: stdin is not a terminal; pass --yes"
        )
    if _confirm(ctx, f"Delete {what}? This cannot be undone."):
        return True
    ctx.stderr.write("not deleted\n")
    return False


@_handler("collections", "delete")
def _collections_delete(ctx: _Context) -> int:
    if _confirmed(ctx, f"collection {ctx.args.id}"):
        with ctx.client() as client:
            client.collections.delete(ctx.args.id)
        ctx.out(dumps({"deleted": ctx.args.id}) if ctx.json else f"deleted {ctx.args.id}")
    return EXIT_OK


@_handler("collections", "move")
def _collections_move(ctx: _Context) -> int:
    with ctx.client() as client:
        return _show(ctx, client.collections.move(ctx.args.id, None if ctx.args.top else ctx.args.parent))


@_handler("collections", "assets")
def _collections_assets(ctx: _Context) -> int:
    args = ctx.args
    with ctx.client() as client:
        found = list(itertools.islice(client.collections.assets(args.id, **_filter_values(args)), args.limit))
    return _show(ctx, found, assets_table)


def _membership(name: str) -> Handler:
    def run(ctx: _Context) -> int:
        with ctx.client() as client:
            getattr(client.collections, name)(ctx.args.collection_id, **_ref_values(ctx.args))
        ctx.out(dumps({name: True}) if ctx.json else "done")
        return EXIT_OK

    return run


_handler("collections", "add")(_membership("add"))
_handler("collections", "remove")(_membership("remove"))


@_handler("tags", "list")
def _tags_list(ctx: _Context) -> int:
    with ctx.client() as client:
        return _show(ctx, client.tags.list(), tags_table)


@_handler("tags", "create")
def _tags_create(ctx: _Context) -> int:
    with ctx.client() as client:
        return _show(ctx, client.tags.create(ctx.args.name))


@_handler("tags", "update")
def _tags_update(ctx: _Context) -> int:
    with ctx.client() as client:
        return _show(ctx, client.tags.update(ctx.args.id, ctx.args.name))


@_handler("tags", "delete")
def _tags_delete(ctx: _Context) -> int:
    if _confirmed(ctx, f"tag {ctx.args.id}"):
        with ctx.client() as client:
            client.tags.delete(ctx.args.id)
        ctx.out(dumps({"deleted": ctx.args.id}) if ctx.json else f"deleted {ctx.args.id}")
    return EXIT_OK


def _assignment(name: str) -> Handler:
    def run(ctx: _Context) -> int:
        with ctx.client() as client:
            getattr(client.tags, name)(ctx.args.tag_id, **_ref_values(ctx.args))
        ctx.out(dumps({name: True}) if ctx.json else "done")
        return EXIT_OK

    return run


_handler("tags", "assign")(_assignment("assign"))
_handler("tags", "unassign")(_assignment("unassign"))


@_handler("storage", "sign")
def _storage_sign(ctx: _Context) -> int:
    with ctx.client() as client:
        url = client.storage.sign(ctx.args.url, expires_in=ctx.args.expires_in)
    ctx.out(dumps({"signed_url": url}) if ctx.json else url)
    return EXIT_OK


@_handler("storage", "acl")
def _storage_acl(ctx: _Context) -> int:
    args = ctx.args
    with ctx.client() as client:
        if args.default is None:
            if args.rule:
                raise UsageError("--rule needs --default")
            return _show(ctx, client.storage.get_acl(args.url))
        rules = []
        for rule in args.rule or []:
            user, sep, decision = rule.rpartition("=")
            if not sep:
                raise UsageError(f"--rule {rule!r}: expected USER=DECISION")
            rules.append((user, decision))
        return _show(ctx, client.storage.set_acl(args.url, default=args.default, rules=rules))


@_handler("storage", "settings")
def _storage_settings(ctx: _Context) -> int:
    args = ctx.args
    changes: dict[str, Any] = {}
    if args.expiration is not None:
        changes["expiration_duration_seconds"] = None if args.expiration == "never" else args.expiration
    if args.initial_acl is not None:
        changes["initial_acl"] = None if args.initial_acl == "default" else args.initial_acl
    with ctx.client() as client:
        settings = client.storage.update_settings(**changes) if changes else client.storage.get_settings()
    return _show(ctx, settings)


# The download actions of assets and collections register themselves with `_handler`.
from . import files as _cli_downloads  # noqa: E402, F401
