"""The parser of `fal-assets`: the global options, the one registry of commands (`COMMANDS`), and
`parser_for`, which builds only the parser of the command being run.

Each command is declared once, in the module `COMMANDS` names for it: its arguments and handler, or its
actions (each with its help, arguments and handler; see `_context.Command`). `handler_for` dispatches every
command the same way, from that declaration."""

from __future__ import annotations

import argparse

TYPE_CHECKING = False  # not typing's: --help should not pay for importing typing
if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Sequence
    from typing import Any, NoReturn

    from ._context import Command, Context

    Handler = Callable[[Context], int]

__all__ = ["COMMANDS", "PROG", "CommandLineParser", "build_parser", "declared", "handler_for", "parser_for"]

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
            # The same document, built and encoded by the same code, as every other error in --json mode.
            from ._context import UsageError
            from .output import dumps_line, error_document

            sys.stderr.write(dumps_line(error_document(UsageError(message), message, 2)) + "\n")
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


# The one registry of the command line: every command in the order `--help` lists it, its one-line help,
# and the module of this package that declares it (its `COMMANDS[name]`: arguments and handler, or actions).
# The modules load only for the command being run: `--help` lists the names and helps from here alone.
COMMANDS: dict[str, tuple[str, str]] = {
    "characters": ("list, show, create, update and delete characters", "characters"),
    "entities": ("characters, props, environments, styles and scenes: list, show, create, ...", "entities"),
    "upload": ("upload files to fal's CDN and print their URLs", "files"),
    "download": (
        "download files from fal's CDN into a folder (resumed, verified, skipped when there)",
        "files",
    ),
    "pull": ("adopt what is on fal as code: write manifest and lock entries, download the images", "cast"),
    "plan": ("show what apply would change to make fal match a characters.toml (writes nothing)", "cast"),
    "apply": ("make fal match a characters.toml: upload new content, create/update", "cast"),
    "assets": ("browse, search, upload and organise library assets", "assets"),
    "collections": ("collections of assets: create, nest, move, fill", "collections"),
    "tags": ("asset tags: create, rename, delete, assign", "tags"),
    "storage": ("signed URLs, file ACLs and the account's storage settings", "storage"),
    "demo": ("run an offline demo against a built-in fake server (no key, no network)", "offline"),
    "fake": ("serve a fake fal on 127.0.0.1 until Ctrl-C, for CLI and other-language tests", "offline"),
}


def declared(name: str) -> Command:
    """What the module of command `name` declares for it (importing that module)."""
    from importlib import import_module

    module = import_module(f"{__package__}.{COMMANDS[name][1]}")
    command: Command = module.COMMANDS[name]
    return command


def _declare(commands: Any, common: argparse.ArgumentParser, name: str, help: str) -> None:
    command = declared(name)
    # A command's own --help lists the global options too: they are accepted at every level.
    parser = commands.add_parser(
        name, help=help, parents=[common], **({"description": help} if command.described else {})
    )
    command.arguments(parser)
    if command.actions:
        actions = parser.add_subparsers(dest="action", metavar="ACTION")
        for action in command.actions:
            # Each action takes the global options too, so they may come after it.
            action.arguments(
                actions.add_parser(action.name, help=action.help, description=action.help, parents=[common])
            )


def handler_for(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Handler | None:
    """The handler of the command (and action) `args` names; None without a command. A command run
    without one of its actions is a usage error (`parser.error` exits)."""
    if args.command is None:
        return None
    command = declared(args.command)
    if command.handler is not None:
        return command.handler
    for action in command.actions:
        if action.name == args.action:
            return action.handler
    parser.error(f"{args.command} needs an action: " + ", ".join(a.name for a in command.actions))


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
    for name, (help, _) in COMMANDS.items():
        if only is None or name in only:
            _declare(commands, common, name, help)
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
    return _build(common, (command,) if command in COMMANDS else None)
