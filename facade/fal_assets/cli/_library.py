"""The arguments of `fal-assets assets|collections|tags|storage …` (see `_cli_library`)."""

from __future__ import annotations

import argparse

from .parser import at_least, command_with_actions, output_argument

TYPE_CHECKING = False  # not typing's: this module loads with --help, which should not pay for typing
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    Action = Callable[[str, str], argparse.ArgumentParser]

__all__ = ["add_library_command"]


def _filters(p: argparse.ArgumentParser, *, collection: bool = True) -> None:
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


def _ref(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "asset_id", nargs="?", metavar="ASSET_ID", help="the asset (or use --request-id/--vector-id)"
    )
    p.add_argument("--request-id", metavar="ID", help="the asset by the request that made it")
    p.add_argument("--vector-id", metavar="ID", help="the asset by its vector ID")


def _seconds_or_never(value: str) -> int | str:
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


def add_library_command(commands: Any, common: argparse.ArgumentParser, name: str, help: str) -> None:
    """Declare `fal-assets NAME ACTION …` for one of assets, collections, tags, storage."""
    _GROUPS[name](command_with_actions(commands, common, name, help))


def _assets(action: Action) -> None:
    p = action("list", "list assets (one page unless --all)")
    p.add_argument("--limit", type=at_least(1), default=50, help="page size (default 50)")
    p.add_argument("--cursor", help="the next_cursor of a previous page")
    p.add_argument("--all", action="store_true", help="fetch every page")
    _filters(p)
    p = action("search", "semantic search, best match first")
    p.add_argument("q", nargs="?", metavar="QUERY", help="text to search for")
    p.add_argument("--image", metavar="X", help="search by an image: a local file or a fal-hosted URL")
    p.add_argument("--video", metavar="X", help="search by a video: a local file or a fal-hosted URL")
    p.add_argument("--limit", type=at_least(1), default=20, help="at most this many results (default 20)")
    _filters(p)
    p = action("download", "download the files of every asset the filters select into -o DIR")
    _filters(p)
    output_argument(p)
    p = action("get", "show one asset")
    p.add_argument("id", metavar="ASSET_ID")
    p = action("upload", "register a local file (uploaded first) or a fal-hosted URL as an asset")
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("--type", help="image, video, audio or 3d (default: read from the content)")
    p.add_argument("--prompt", help="a caption indexed with the asset")
    p.add_argument("--collection", metavar="ID", help="add it to this manual collection")
    p.add_argument("--favorite", action="store_true", help="favorite it")
    p.add_argument("--tag", action="append", metavar="TAG_ID", help="assign this tag (repeatable)")
    p.add_argument(
        "--expires-in",
        type=_seconds_or_never,
        metavar="SECONDS",
        help='seconds, a preset (immediate = 60 s, 1h, 1d, 7d, 30d, 1y) or "never" (default: account)',
    )
    for name, help in (("favorite", "favorite an asset"), ("unfavorite", "unfavorite an asset")):
        _ref(action(name, help))
    p = action("tags", "show an asset's tags, or replace them with --set")
    _ref(p)
    p.add_argument("--set", action="append", metavar="TAG_ID", help="the new tags (repeatable)")
    p.add_argument("--clear", action="store_true", help="remove every tag")


def _collections(action: Action) -> None:
    p = action("list", "list collections (characters among them)")
    p.add_argument("--limit", type=at_least(1), default=50, help="page size (default 50)")
    p.add_argument("--offset", type=at_least(0), default=0, help="collections to skip")
    p.add_argument("--all", action="store_true", help="fetch every page from --offset on")
    for name, help in (
        ("get", "show one collection"),
        ("hierarchy", "show a collection's nested collections and its ancestors"),
        ("favorite", "favorite a collection"),
        ("unfavorite", "unfavorite a collection"),
    ):
        action(name, help).add_argument("id", metavar="ID")
    p = action("create", "create a manual collection")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--description")
    p.add_argument("--parent", metavar="ID", help="nest it under this collection")
    p = action("update", "change a collection's name or description")
    p.add_argument("id", metavar="ID")
    p.add_argument("--name")
    p.add_argument("--description")
    p = action("delete", "delete a collection and those nested in it (not their assets)")
    p.add_argument("id", metavar="ID")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    p = action("move", "nest a collection under another, or at the top level")
    p.add_argument("id", metavar="ID")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--parent", metavar="ID", help="the new parent")
    where.add_argument("--top", action="store_true", help="move it to the top level")
    p = action("download", "download the files of a collection's assets into -o DIR")
    p.add_argument("id", metavar="ID")
    _filters(p, collection=False)
    output_argument(p)
    p = action("assets", "list a collection's assets")
    p.add_argument("id", metavar="ID")
    p.add_argument("--limit", type=at_least(1), default=50, help="at most this many (default 50)")
    _filters(p, collection=False)
    for name in ("add", "remove"):
        p = action(name, f"{name} an asset {'to' if name == 'add' else 'from'} a collection")
        p.add_argument("collection_id", metavar="COLLECTION_ID")
        _ref(p)


def _tags(action: Action) -> None:
    action("list", "list tags")
    action("create", "create a tag").add_argument("name", metavar="NAME")
    p = action("update", "rename a tag")
    p.add_argument("id", metavar="TAG_ID")
    p.add_argument("name", metavar="NAME")
    p = action("delete", "delete a tag")
    p.add_argument("id", metavar="TAG_ID")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    for name in ("assign", "unassign"):
        p = action(name, f"{name} a tag")
        p.add_argument("tag_id", metavar="TAG_ID")
        _ref(p)


def _storage(action: Action) -> None:
    p = action("sign", "print a signed URL to a file on fal's CDN")
    p.add_argument("url", metavar="URL")
    p.add_argument("--expires-in", type=at_least(1), default=3600, metavar="SECONDS", help="default 3600")
    p = action("acl", "show a file's ACL, or replace it with --default (and --rule)")
    p.add_argument("url", metavar="URL")
    p.add_argument("--default", help="allow, forbid or hide")
    p.add_argument("--rule", action="append", metavar="USER=DECISION", help="a per-user rule (repeatable)")
    p = action("settings", "show the account's storage settings, or change them")
    p.add_argument("--expiration", type=_seconds_or_never, metavar="SECONDS", help='seconds, or "never"')
    p.add_argument(
        "--initial-acl", metavar="DECISION", help="allow, forbid or hide; 'default' for the system's"
    )


_GROUPS: dict[str, Callable[[Action], None]] = {
    "assets": _assets,
    "collections": _collections,
    "tags": _tags,
    "storage": _storage,
}
