"""The parser of `fal-assets`: the global options, the table of commands, and `parser_for`, which builds
only the parser of the command being run (the handlers live in cli.py and the `_cli_*` modules)."""

from __future__ import annotations

import argparse

TYPE_CHECKING = False  # not typing's: --help should not pay for importing typing
if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Sequence
    from typing import Any, NoReturn

__all__ = ["PROG", "CommandLineParser", "build_parser", "output_argument", "parser_for"]

PROG = "fal-assets"


class CommandLineParser(argparse.ArgumentParser):
    """argparse's parser with its errors on one line (argparse prints the usage, then the error), as JSON
    on stderr when `--json` was given. `json_errors` is set by `cli.main` before parsing: argparse reports
    before it has read `--json` itself.

    Without abbreviations: `--js` is not `--json`, and a file named `--fal-host=evil.example.png` from a
    glob is an unknown option, not `--fal-host`. Subcommand parsers are of this class too (argparse makes
    them of their parent's class)."""

    json_errors = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        import sys

        if CommandLineParser.json_errors:
            import json

            document = {"error": {"kind": "UsageError", "message": message, "exit_code": 2}}
            sys.stderr.write(json.dumps(document) + "\n")
        else:
            sys.stderr.write(f"{self.prog}: error: {message} (see: {self.prog} --help)\n")
        self.exit(2)


def _common_options() -> argparse.ArgumentParser:
    """Options accepted both before and after the subcommand (`fal-assets --json characters list` and
    `fal-assets characters list --json`). SUPPRESS keeps a subcommand's unset option from overwriting the
    value given before it."""
    common = CommandLineParser(add_help=False)
    group = common.add_argument_group("global options")
    group.add_argument(
        "--base-url",
        default=argparse.SUPPRESS,
        metavar="URL",
        help="Platform API base (env FAL_ASSETS_BASE_URL)",
    )
    group.add_argument(
        "--storage-url",
        default=argparse.SUPPRESS,
        metavar="URL",
        help="storage REST base for upload tokens (env FAL_ASSETS_STORAGE_URL)",
    )
    group.add_argument(
        "--fal-host",
        action="append",
        default=argparse.SUPPRESS,
        metavar="HOST",
        help="also treat URLs on HOST as fal-hosted (repeatable): references on HOST are sent to fal "
        "as they are instead of refused, and HOST may receive the upload token (over https; the API key "
        "never). Loopback --base-url/--storage-url hosts are added automatically",
    )
    group.add_argument(
        "--timeout", type=float, default=argparse.SUPPRESS, metavar="SECONDS", help="per-request timeout"
    )
    group.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output"
    )
    group.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=argparse.SUPPRESS,
        help="log to stderr: -v requests and retries, -vv also connections (credentials are masked)",
    )
    return common


def at_least(minimum: int) -> Callable[[str], int]:
    """An argparse `type` for whole numbers from `minimum` up."""

    def whole_number(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}: {value}")
        return value

    return whole_number


def command_with_actions(
    commands: Any, common: argparse.ArgumentParser, name: str, help: str
) -> Callable[[str, str], argparse.ArgumentParser]:
    """Declare `fal-assets NAME ACTION …`; returns what declares one action (which takes the global
    options too, so they may come after the action)."""
    # The command's own --help lists the global options too: they are accepted at every level.
    actions = commands.add_parser(name, help=help, parents=[common]).add_subparsers(
        dest="action", metavar="ACTION"
    )

    def action(action_name: str, action_help: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = actions.add_parser(
            action_name, help=action_help, description=action_help, parents=[common]
        )
        return parser

    return action


def _add_characters(commands: Any, common: argparse.ArgumentParser, name: str, help: str) -> None:
    action = command_with_actions(commands, common, name, help)
    p = action("list", "list characters (one page unless --all)")
    p.add_argument("--limit", type=at_least(0), default=50, help="page size, 1-100 (default 50)")
    p.add_argument("--offset", type=at_least(0), default=0, help="characters to skip (default 0)")
    p.add_argument("--all", action="store_true", help="fetch every page from --offset on")

    p = action("get", "show one character")
    p.add_argument("id", metavar="ID")

    ref_help = "reference image: a local file or folder, an asset ID, or a fal-hosted URL (repeatable)"
    cover_help = "cover image: a local image or a fal-hosted image URL (not an ID: fal's cover is a URL)"
    p = action("create", "create a character")
    p.add_argument("--name", required=True, help="display name (1-255 characters)")
    p.add_argument("--description", required=True, help="text used for matching (1-2000 characters)")
    p.add_argument("--ref", action="append", required=True, metavar="X", help=ref_help)
    p.add_argument("--cover", metavar="X", help=cover_help)
    p.add_argument("--identifier", help="short identifier of the character")

    p = action("update", "change some fields of a character (others are left alone)")
    p.add_argument("id", metavar="ID")
    p.add_argument("--name", help="new display name")
    p.add_argument("--description", help="new description")
    p.add_argument("--ref", action="append", metavar="X", help=ref_help + "; replaces the whole list")
    cover = p.add_mutually_exclusive_group()
    cover.add_argument("--cover", metavar="X", help="new " + cover_help)
    cover.add_argument("--clear-cover", action="store_true", help="remove the cover image")

    p = action("delete", "delete a character")
    p.add_argument("id", metavar="ID")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")

    p = action("favorite", "mark a character as a favorite")
    p.add_argument("id", metavar="ID")
    p = action("unfavorite", "unmark a favorite character")
    p.add_argument("id", metavar="ID")


def _add_entities(commands: Any, common: argparse.ArgumentParser, name: str, help: str) -> None:
    from .entities import add_entities_command

    add_entities_command(commands, common, name, help)


def _add_upload(commands: Any, common: argparse.ArgumentParser, name: str, help: str) -> None:
    p = commands.add_parser(name, help=help, parents=[common])
    p.add_argument("files", nargs="+", metavar="FILE")


def _add_download(commands: Any, common: argparse.ArgumentParser, name: str, help: str) -> None:
    p = commands.add_parser(name, help=help, parents=[common])
    p.add_argument("urls", nargs="+", metavar="URL", help="fal-hosted file URLs")
    output_argument(p)


def _add_pull(commands: Any, common: argparse.ArgumentParser, name: str, help: str) -> None:
    p = commands.add_parser(name, help=help, parents=[common])
    p.add_argument("manifest", nargs="?", default="characters.toml", help="default characters.toml")
    p.add_argument("--kind", help="kinds to pull, comma-separated: character,prop,... (default: every kind)")
    p.add_argument("--only", nargs="+", metavar="HANDLE", help="only these identifiers")
    p.add_argument("--dir", default="refs", help="folder for the images, beside the manifest (default refs)")
    p.add_argument("--force", action="store_true", help="replace existing manifest entries")


def output_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar="DIR", default=".", help="the folder to write to (default .)")


def _add_demo(commands: Any, common: argparse.ArgumentParser, name: str, help: str) -> None:
    commands.add_parser(name, help=help, parents=[common])


def _add_fake(commands: Any, common: argparse.ArgumentParser, name: str, help: str) -> None:
    from ..testing._serve import add_arguments  # only when `fake` is the command: it loads FakeFal

    add_arguments(commands.add_parser(name, help=help, description=help, parents=[common]))


def _add_plan(commands: Any, common: argparse.ArgumentParser, name: str, help: str) -> None:
    from .cast import add_apply_command, add_plan_command  # characters as code

    (add_plan_command if name == "plan" else add_apply_command)(commands, common, name, help)


def _add_library(commands: Any, common: argparse.ArgumentParser, name: str, help: str) -> None:
    from ._library import add_library_command  # the arguments only; handlers load with the command

    add_library_command(commands, common, name, help)


# Every command in the order `--help` lists it: its one-line help, and what declares its arguments.
_COMMANDS: dict[str, tuple[str, Callable[[Any, argparse.ArgumentParser, str, str], None]]] = {
    "characters": ("list, show, create, update and delete characters", _add_characters),
    "entities": (
        "characters, props, environments, styles and scenes: list, show, create, ...",
        _add_entities,
    ),
    "upload": ("upload files to fal's CDN and print their URLs", _add_upload),
    "download": (
        "download files from fal's CDN into a folder (resumed, verified, skipped when there)",
        _add_download,
    ),
    "pull": ("adopt what is on fal as code: write manifest and lock entries, download the images", _add_pull),
    "plan": ("show what apply would change to make fal match a characters.toml (writes nothing)", _add_plan),
    "apply": ("make fal match a characters.toml: upload new content, create/update", _add_plan),
    "assets": ("browse, search, upload and organise library assets", _add_library),
    "collections": ("collections of assets: create, nest, move, fill", _add_library),
    "tags": ("asset tags: create, rename, delete, assign", _add_library),
    "storage": ("signed URLs, file ACLs and the account's storage settings", _add_library),
    "demo": ("run an offline demo against a built-in fake server (no key, no network)", _add_demo),
    "fake": ("serve a fake fal on 127.0.0.1 until Ctrl-C, for CLI and other-language tests", _add_fake),
}


def build_parser(only: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser. With `only`, the other commands are listed (in `--help` and in "invalid
    choice" errors) but their arguments are not declared: argparse makes a parser per command and action,
    and building all of them would be most of what `fal-assets --help` costs."""
    return _build(_common_options(), only)


def _build(common: argparse.ArgumentParser, only: Collection[str] | None) -> argparse.ArgumentParser:
    from .._version import __version__

    parser = CommandLineParser(
        prog=PROG,
        parents=[common],
        description="Manage fal asset characters, the Assets library and storage. "
        "The API key comes from FAL_KEY "
        "(or FAL_KEY_ID + FAL_KEY_SECRET).",
        epilog="exit codes: 0 ok, 1 API or other error, 2 usage or validation error, "
        "3 authentication, 4 not found, 10 changes pending (plan --exit-code), 130 interrupted",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help, declare) in _COMMANDS.items():
        if only is None or name in only:
            declare(commands, common, name, help)
        else:
            commands.add_parser(name, help=help, add_help=False)
    return parser


class _Unreadable(Exception):
    pass


class _Scout(CommandLineParser):
    def error(self, message: str) -> NoReturn:
        raise _Unreadable(message)


def parser_for(argv: Sequence[str]) -> argparse.ArgumentParser:
    """The parser `main` runs on `argv`: only the command `argv` names is built in full.

    The command is found by argparse itself, with the same global options the real parser has, so both
    read `argv` alike (abbreviations, `--opt=value`, values that look like commands). Anything the scout
    cannot read, or a word that is not a command, gets the whole parser, whose error message is the one
    the user should see."""
    common = _common_options()
    scout = _Scout(add_help=False, parents=[common])
    scout.add_argument("command", nargs="?")
    try:
        command = scout.parse_known_args(argv)[0].command
    except _Unreadable:
        return _build(common, None)
    if command is None:
        return _build(common, ())
    return _build(common, (command,) if command in _COMMANDS else None)
