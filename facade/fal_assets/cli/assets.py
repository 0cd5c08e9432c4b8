"""`fal-assets assets …`: list, search, download, get, upload, (un)favorite and tag library assets, each
action's arguments beside its handler."""

from __future__ import annotations

import argparse
import itertools

from ._context import EXIT_OK, Action, Command, Context, UsageError, at_least, output_argument
from ._library import filter_values, filters, progress, ref, ref_values, seconds_or_never, show
from .characters import image as local_or_id

TYPE_CHECKING = False  # not typing's: this module loads with `assets … --help`
if TYPE_CHECKING:
    pass

__all__ = ["COMMANDS"]


def _list_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=at_least(1), default=50, help="page size (default 50)")
    p.add_argument("--cursor", help="the next_cursor of a previous page")
    p.add_argument("--all", action="store_true", help="fetch every page")
    filters(p)


def _list(ctx: Context) -> int:
    from .library_output import assets_table
    from .output import dumps

    args = ctx.args
    with ctx.client() as client:
        if args.all:
            return show(
                ctx, list(client.assets.iter(page_size=args.limit, **filter_values(args))), assets_table
            )
        page = client.assets.list(limit=args.limit, cursor=args.cursor, **filter_values(args))
    if ctx.json:
        ctx.out(dumps(page.to_dict()))
        return EXIT_OK
    ctx.out(assets_table(page.assets))
    if page.has_more and page.next_cursor:
        ctx.stderr.write(f"more: --cursor {page.next_cursor}\n")
    return EXIT_OK


def _search_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("q", nargs="?", metavar="QUERY", help="text to search for")
    p.add_argument("--image", metavar="X", help="search by an image: a local file or a fal-hosted URL")
    p.add_argument("--video", metavar="X", help="search by a video: a local file or a fal-hosted URL")
    p.add_argument("--limit", type=at_least(1), default=20, help="at most this many results (default 20)")
    filters(p)


def _search(ctx: Context) -> int:
    from .library_output import assets_table

    args = ctx.args
    image = local_or_id(args.image) if args.image is not None else None
    video = local_or_id(args.video) if args.video is not None else None
    with ctx.client() as client:
        results = client.assets.search(args.q, image=image, video=video, **filter_values(args))
        found = list(itertools.islice(results, args.limit))
    return show(ctx, found, lambda a: assets_table(a, similarity=True))


def _download_arguments(p: argparse.ArgumentParser) -> None:
    filters(p)
    output_argument(p)


def _download(ctx: Context) -> int:
    from .files import download_assets

    with ctx.client() as client:
        assets = [a for a in client.assets.iter(**filter_values(ctx.args)) if a.url]
        return download_assets(ctx, assets, client)


def _id(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ASSET_ID")


def _get(ctx: Context) -> int:
    with ctx.client() as client:
        return show(ctx, client.assets.get(ctx.args.id))


def _upload_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("--type", help="image, video, audio or 3d (default: read from the content)")
    p.add_argument("--prompt", help="a caption indexed with the asset")
    p.add_argument("--collection", metavar="ID", help="add it to this manual collection")
    p.add_argument("--favorite", action="store_true", help="favorite it")
    p.add_argument("--tag", action="append", metavar="TAG_ID", help="assign this tag (repeatable)")
    p.add_argument(
        "--expires-in",
        type=seconds_or_never,
        metavar="SECONDS",
        help='seconds, a preset (immediate = 60 s, 1h, 1d, 7d, 30d, 1y) or "never" (default: account)',
    )


def _upload(ctx: Context) -> int:
    from .._core.lifecycle import Lifecycle

    args = ctx.args
    lifecycle = Lifecycle(expires_in=args.expires_in) if args.expires_in is not None else None
    with progress(ctx) as printer, ctx.client() as client:
        asset = client.assets.upload(
            local_or_id(args.source),
            type=args.type,
            prompt=args.prompt,
            collection_id=args.collection,
            favorite=True if args.favorite else None,
            tag_ids=args.tag,
            lifecycle=lifecycle,
            on_progress=printer,
        )
    return show(ctx, asset)


def _favorite(ctx: Context, favorite: bool) -> int:
    from .output import dumps

    with ctx.client() as client:
        call = client.assets.favorite if favorite else client.assets.unfavorite
        state = call(**ref_values(ctx.args))
    ctx.out(dumps({"is_favorited": state}) if ctx.json else ("favorited" if state else "not favorited"))
    return EXIT_OK


def _tags_arguments(p: argparse.ArgumentParser) -> None:
    ref(p)
    p.add_argument("--set", action="append", metavar="TAG_ID", help="the new tags (repeatable)")
    p.add_argument("--clear", action="store_true", help="remove every tag")


def _tags(ctx: Context) -> int:
    from .library_output import tags_table

    args = ctx.args
    ref = ref_values(args)
    with ctx.client() as client:
        if args.set is not None or args.clear:
            if args.set is not None and args.clear:
                raise UsageError("pass --set or --clear, not both")
            return show(ctx, client.assets.set_tags(args.set or [], **ref), tags_table)
        if set(ref) != {"asset_id"}:
            raise UsageError("showing tags needs an ASSET_ID")
        return show(ctx, client.assets.tags(ref["asset_id"]), tags_table)


COMMANDS = {
    "assets": Command(
        actions=(
            Action("list", "list assets (one page unless --all)", _list, _list_arguments),
            Action("search", "semantic search, best match first", _search, _search_arguments),
            Action(
                "download",
                "download the files of every asset the filters select into -o DIR",
                _download,
                _download_arguments,
            ),
            Action("get", "show one asset", _get, _id),
            Action(
                "upload",
                "register a local file (uploaded first) or a fal-hosted URL as an asset",
                _upload,
                _upload_arguments,
            ),
            Action("favorite", "favorite an asset", lambda ctx: _favorite(ctx, True), ref),
            Action("unfavorite", "unfavorite an asset", lambda ctx: _favorite(ctx, False), ref),
            Action("tags", "show an asset's tags, or replace them with --set", _tags, _tags_arguments),
        )
    ),
}
