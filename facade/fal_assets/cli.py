"""The `fal-assets` command line (also `python -m fal_assets`).

Exit codes: 0 success, 1 API or other error, 2 usage or local validation error, 3 authentication
(missing, wrong or insufficient key), 4 not found, 10 changes pending (`plan --exit-code` only),
130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys

from ._errors import (
    AuthenticationError,
    FalAssetsError,
    MissingApiKeyError,
    NotFoundError,
    PermissionDeniedError,
    UploadError,
    ValidationError,
)

TYPE_CHECKING = False  # not typing's: --help should not pay for importing typing
if TYPE_CHECKING:
    # The HTTP machinery, the generated client and the output helpers load with the commands that use
    # them: `fal-assets --help` and usage errors need none of it (nor pathlib, nor typing).
    from collections.abc import Callable, Collection, Sequence
    from typing import Any, NoReturn, TextIO

    from fal_assets_api.models.character import Character

    from ._cli_output import ProgressPrinter
    from ._client import FalAssets

__all__ = [
    "EXIT_API",
    "EXIT_AUTH",
    "EXIT_CHANGES",
    "EXIT_NOT_FOUND",
    "EXIT_OK",
    "EXIT_USAGE",
    "exit_code",
    "main",
]

EXIT_OK = 0
EXIT_API = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_NOT_FOUND = 4
EXIT_CHANGES = 10  # `plan --exit-code`: changes are pending (CI fails on drift); not an error code
EXIT_INTERRUPTED = 130

PROG = "fal-assets"


class UsageError(Exception):
    """A problem with the command line itself, found after argparse accepted it."""


def exit_code(exc: BaseException) -> int:
    if isinstance(exc, ValidationError | UsageError):
        return EXIT_USAGE
    if isinstance(exc, MissingApiKeyError | AuthenticationError | PermissionDeniedError):
        return EXIT_AUTH
    if isinstance(exc, NotFoundError):
        return EXIT_NOT_FOUND
    if isinstance(exc, UploadError):
        # A batch that failed for one reason (typically a rejected key) reports that reason's code.
        codes = {exit_code(e) for e in exc.errors}
        return codes.pop() if len(codes) == 1 else EXIT_API
    return EXIT_API


def _one_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = ""
    for line in lines:
        # "3 of 3 uploads failed:" introduces the per-file lines that follow it.
        text += line if not text else (" " if text.endswith(":") else "; ") + line
    if not isinstance(exc, FalAssetsError | UsageError | OSError):
        # Not one of ours: the class name is the only hint of what went wrong.
        text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return text


# --- argument parsing -------------------------------------------------------------------------------------


def _common_options() -> argparse.ArgumentParser:
    """Options accepted both before and after the subcommand (`fal-assets --json characters list` and
    `fal-assets characters list --json`). SUPPRESS keeps a subcommand's unset option from overwriting the
    value given before it."""
    common = argparse.ArgumentParser(add_help=False)
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
        help="also treat URLs on HOST as fal-hosted (repeatable); loopback --base-url/--storage-url "
        "hosts are added automatically",
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


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {value}")
    return value


def _add_characters(commands: Any, common: argparse.ArgumentParser, name: str, help: str) -> None:
    actions = commands.add_parser(name, help=help).add_subparsers(dest="action", metavar="ACTION")

    def action(name: str, help: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = actions.add_parser(
            name, help=help, description=help, parents=[common]
        )
        return parser

    p = action("list", "list characters (one page unless --all)")
    p.add_argument("--limit", type=_positive_int, default=50, help="page size, 1-100 (default 50)")
    p.add_argument("--offset", type=_positive_int, default=0, help="characters to skip (default 0)")
    p.add_argument("--all", action="store_true", help="fetch every page from --offset on")

    p = action("get", "show one character")
    p.add_argument("id", metavar="ID")

    ref_help = "reference image: a local file or folder, an asset ID, or a fal-hosted URL (repeatable)"
    p = action("create", "create a character")
    p.add_argument("--name", required=True, help="display name (1-255 characters)")
    p.add_argument("--description", required=True, help="text used for matching (1-2000 characters)")
    p.add_argument("--ref", action="append", required=True, metavar="X", help=ref_help)
    p.add_argument("--cover", metavar="X", help="cover image: a local file, an asset ID or a fal-hosted URL")
    p.add_argument("--identifier", help="short identifier of the character")

    p = action("update", "change some fields of a character (others are left alone)")
    p.add_argument("id", metavar="ID")
    p.add_argument("--name", help="new display name")
    p.add_argument("--description", help="new description")
    p.add_argument("--ref", action="append", metavar="X", help=ref_help + "; replaces the whole list")
    cover = p.add_mutually_exclusive_group()
    cover.add_argument("--cover", metavar="X", help="new cover image")
    cover.add_argument("--clear-cover", action="store_true", help="remove the cover image")

    p = action("delete", "delete a character")
    p.add_argument("id", metavar="ID")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")

    p = action("favorite", "mark a character as a favorite")
    p.add_argument("id", metavar="ID")
    p = action("unfavorite", "unmark a favorite character")
    p.add_argument("id", metavar="ID")


def _add_upload(commands: Any, common: argparse.ArgumentParser, name: str, help: str) -> None:
    p = commands.add_parser(name, help=help, parents=[common])
    p.add_argument("files", nargs="+", metavar="FILE")


def _add_demo(commands: Any, common: argparse.ArgumentParser, name: str, help: str) -> None:
    commands.add_parser(name, help=help, parents=[common])


def _add_plan(commands: Any, common: argparse.ArgumentParser, name: str, help: str) -> None:
    from ._cli_plan import add_apply_command, add_plan_command  # characters as code

    (add_plan_command if name == "plan" else add_apply_command)(commands, common, name, help)


def _add_library(commands: Any, common: argparse.ArgumentParser, name: str, help: str) -> None:
    from ._cli_library_args import add_library_command  # the arguments only; handlers load with the command

    add_library_command(commands, common, name, help)


# Every command in the order `--help` lists it: its one-line help, and what declares its arguments.
_COMMANDS: dict[str, tuple[str, Callable[[Any, argparse.ArgumentParser, str, str], None]]] = {
    "characters": ("list, show, create, update and delete characters", _add_characters),
    "upload": ("upload files to fal's CDN and print their URLs", _add_upload),
    "plan": ("show what apply would change to make fal match a characters.toml (writes nothing)", _add_plan),
    "apply": ("make fal match a characters.toml: upload new content, create/update", _add_plan),
    "assets": ("browse, search, upload and organise library assets", _add_library),
    "collections": ("collections of assets: create, nest, move, fill", _add_library),
    "tags": ("asset tags: create, rename, delete, assign", _add_library),
    "storage": ("signed URLs, file ACLs and the account's storage settings", _add_library),
    "demo": ("run an offline demo against a built-in fake server (no key, no network)", _add_demo),
}


def build_parser(only: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser. With `only`, the other commands are listed (in `--help` and in "invalid
    choice" errors) but their arguments are not declared: argparse makes a parser per command and action,
    and building all of them would be most of what `fal-assets --help` costs."""
    return _build(_common_options(), only)


def _build(common: argparse.ArgumentParser, only: Collection[str] | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        parents=[common],
        description="Manage fal asset characters, the Assets library and storage. "
        "The API key comes from FAL_KEY "
        "(or FAL_KEY_ID + FAL_KEY_SECRET).",
        epilog="exit codes: 0 ok, 1 API or other error, 2 usage or validation error, "
        "3 authentication, 4 not found, 10 changes pending (plan --exit-code), 130 interrupted",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help, declare) in _COMMANDS.items():
        if only is None or name in only:
            declare(commands, common, name, help)
        else:
            commands.add_parser(name, help=help, add_help=False)
    return parser


class _Scout(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


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
    except UsageError:
        return _build(common, None)
    if command is None:
        return _build(common, ())
    return _build(common, (command,) if command in _COMMANDS else None)


# --- running ------------------------------------------------------------------------------------------


class _Context:
    """Parsed global options and the streams, shared by the command handlers."""

    def __init__(self, args: argparse.Namespace, stdout: TextIO, stderr: TextIO, stdin: TextIO) -> None:
        self.args = args
        self.json: bool = getattr(args, "json", False)
        self.verbosity: int = getattr(args, "verbose", 0) or 0
        self.stdout = stdout
        self.stderr = stderr
        self.stdin = stdin

    def client(self) -> FalAssets:
        from ._client import FalAssets

        base_url: str | None = getattr(self.args, "base_url", None)
        storage_url: str | None = getattr(self.args, "storage_url", None)
        timeout: float | None = getattr(self.args, "timeout", None)
        if timeout is not None and timeout <= 0:
            raise UsageError("--timeout must be positive")
        return FalAssets(
            base_url=base_url,
            storage_base_url=storage_url,
            timeout=timeout,
            fal_hosts=fal_hosts(base_url, storage_url, getattr(self.args, "fal_host", None) or []),
        )

    def out(self, text: str) -> None:
        self.stdout.write(text + "\n")

    def character(self, character: Character) -> None:
        from ._cli_output import character_block, dumps

        self.out(dumps(character.to_dict()) if self.json else character_block(character))

    def progress(self, total_files: int | None = None) -> ProgressPrinter | None:
        # A status line redrawn with \r is noise in a log file or a pipe, so only on a terminal.
        if self.stderr.isatty():
            from ._cli_output import ProgressPrinter

            return ProgressPrinter(self.stderr, total_files=total_files)
        return None


def fal_hosts(base_url: str | None, storage_url: str | None, extra: Sequence[str]) -> frozenset[str]:
    """The default fal hosts, the user's --fal-host values, and the host of a loopback API or storage URL:
    a local fake serves its CDN from the same host, and its URLs must be accepted as references."""
    from urllib.parse import urlsplit

    from ._config import BASE_URL_ENV, DEFAULT_FAL_HOSTS, STORAGE_URL_ENV, is_loopback

    hosts = set(DEFAULT_FAL_HOSTS)
    hosts.update(h.strip().lower() for h in extra if h.strip())
    for url in (base_url or os.environ.get(BASE_URL_ENV), storage_url or os.environ.get(STORAGE_URL_ENV)):
        host = urlsplit(url).hostname if url else None
        if host and is_loopback(host):
            hosts.add(host.lower())
    return frozenset(hosts)


def _confirm(ctx: _Context, question: str) -> bool:
    ctx.stderr.write(f"{question} [y/N] ")
    ctx.stderr.flush()
    answer = ctx.stdin.readline()
    return answer.strip().lower() in ("y", "yes")


def _secrets_from_env() -> list[str]:
    """What the log filter must never let through: the key, its secret half (`id:secret` keys), and the
    FAL_KEY_ID + FAL_KEY_SECRET pair joined as the library joins it. Key ids alone are not secret."""
    key = os.environ.get("FAL_KEY", "").strip()
    key_id = os.environ.get("FAL_KEY_ID", "").strip()
    key_secret = os.environ.get("FAL_KEY_SECRET", "").strip()
    found = [key, key.partition(":")[2], key_secret]
    if key_id and key_secret:
        found.append(f"{key_id}:{key_secret}")
    return [value for value in found if value]


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    if argv is None:
        argv = sys.argv[1:]
    parser = parser_for(argv)
    args = parser.parse_args(argv)
    ctx = _Context(args, stdout or sys.stdout, stderr or sys.stderr, stdin or sys.stdin)
    secrets = _secrets_from_env()
    from ._cli_output import SecretMaskingFilter, configure_logging

    configure_logging(ctx.verbosity, secrets, ctx.stderr)

    handler: Callable[[_Context], int] | None = None
    if args.command == "characters":
        from ._cli_characters import CHARACTER_ACTIONS

        handler = CHARACTER_ACTIONS.get(args.action or "")
        if handler is None:
            parser.error("characters needs an action: " + ", ".join(CHARACTER_ACTIONS))
    elif args.command == "upload":
        from ._cli_characters import cmd_upload

        handler = cmd_upload
    elif args.command in ("plan", "apply"):
        from ._cli_plan import cmd_apply, cmd_plan

        handler = cmd_plan if args.command == "plan" else cmd_apply
    elif args.command == "demo":
        from ._cli_characters import cmd_demo

        handler = cmd_demo
    elif args.command in ("assets", "collections", "tags", "storage"):
        from ._cli_library import library_handler

        handler = library_handler(parser, args)
    else:
        parser.print_help(ctx.stderr)
        return EXIT_USAGE

    try:
        return handler(ctx)
    except KeyboardInterrupt:
        ctx.stderr.write("\ninterrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `fal-assets characters list | head`: the reader left; that is not an error worth a traceback.
        _silence_stdout()
        return EXIT_OK
    except Exception as exc:
        code = exit_code(exc)
        message = SecretMaskingFilter(secrets).mask(_one_line(exc))
        ctx.stderr.write(f"error: {message}\n")
        if ctx.verbosity and code == EXIT_API and not isinstance(exc, FalAssetsError):
            import traceback

            ctx.stderr.write(SecretMaskingFilter(secrets).mask(traceback.format_exc()))
        return code


def _silence_stdout() -> None:
    # Python flushes stdout at exit and would report the broken pipe again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
