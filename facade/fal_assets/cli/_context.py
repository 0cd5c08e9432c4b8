"""What every command module of `fal-assets` shares: the exit codes, `UsageError`, how a command is declared
(`Command`, `Action`, and the argument helpers), and the `Context` a handler runs with.

It sits below `cli/__init__.py` (which runs the commands) and the command modules (which declare and handle
them), so that neither has to import the other back.
"""

from __future__ import annotations

import argparse
import os

TYPE_CHECKING = False  # not typing's: --help should not pay for importing typing
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import TextIO

    from fal_assets_api.models.character import Character

    from .._client import FalAssets
    from .output import ProgressPrinter

    Handler = Callable[["Context"], int]
    Arguments = Callable[[argparse.ArgumentParser], None]

__all__ = [
    "EXIT_API",
    "EXIT_AUTH",
    "EXIT_CHANGES",
    "EXIT_INTERRUPTED",
    "EXIT_NOT_FOUND",
    "EXIT_OK",
    "EXIT_USAGE",
    "Action",
    "Command",
    "Context",
    "UsageError",
    "at_least",
    "confirm",
    "fal_hosts",
    "output_argument",
]

EXIT_OK = 0
EXIT_API = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_NOT_FOUND = 4
EXIT_CHANGES = 10  # `plan --exit-code`: changes are pending (CI fails on drift); not an error code
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """A problem with the command line itself, found after argparse accepted it."""


# --- declaring commands ------------------------------------------------------------------------------------


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    pass


class Action:
    """One action of a command (`fal-assets characters list`): its name, its one-line help (also its
    --help's description), what declares its arguments, and its handler."""

    __slots__ = ("arguments", "handler", "help", "name")

    def __init__(self, name: str, help: str, handler: Handler, arguments: Arguments = _no_arguments) -> None:
        self.name = name
        self.help = help
        self.handler = handler
        self.arguments = arguments


class Command:
    """What a command module declares for one command of `parser.COMMANDS` (which holds its name and
    help): its handler and arguments, or its actions. `described`: its --help repeats the help as a
    description (as every action's does)."""

    __slots__ = ("actions", "arguments", "described", "handler")

    def __init__(
        self,
        handler: Handler | None = None,
        arguments: Arguments = _no_arguments,
        *,
        actions: Sequence[Action] = (),
        described: bool = False,
    ) -> None:
        if (handler is None) == (not actions):
            raise TypeError("a command has a handler or actions, not both")
        self.handler = handler
        self.arguments = arguments
        self.actions = tuple(actions)
        self.described = described


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


def output_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar="DIR", default=".", help="the folder to write to (default .)")


# --- running -----------------------------------------------------------------------------------------------


class Context:
    """Parsed global options and the streams, shared by the command handlers."""

    def __init__(self, args: argparse.Namespace, stdout: TextIO, stderr: TextIO, stdin: TextIO) -> None:
        self.args = args
        self.json: bool = getattr(args, "json", False)
        self.verbosity: int = getattr(args, "verbose", 0) or 0
        self.stdout = stdout
        self.stderr = stderr
        self.stdin = stdin

    def client(self) -> FalAssets:
        from .._client import FalAssets

        base_url: str | None = getattr(self.args, "base_url", None)
        storage_url: str | None = getattr(self.args, "storage_url", None)
        timeout: float | None = getattr(self.args, "timeout", None)
        if timeout is not None and timeout <= 0:
            raise UsageError("--timeout must be positive")
        from .._config import BASE_URL_ENV, STORAGE_URL_ENV, credential_warnings

        for line in credential_warnings({BASE_URL_ENV: base_url, STORAGE_URL_ENV: storage_url}):
            self.stderr.write(line + "\n")  # before the client exists, so before the key is sent
        return FalAssets(
            base_url=base_url,
            storage_base_url=storage_url,
            timeout=timeout,
            fal_hosts=fal_hosts(base_url, storage_url, getattr(self.args, "fal_host", None) or []),
        )

    def out(self, text: str) -> None:
        self.stdout.write(text + "\n")

    def character(self, character: Character) -> None:
        from .output import character_block, dumps

        self.out(dumps(character.to_dict()) if self.json else character_block(character))

    def progress(self, total_files: int | None = None) -> ProgressPrinter | None:
        # A status line redrawn with \r is noise in a log file or a pipe, so only on a terminal.
        if self.stderr.isatty():
            from .output import ProgressPrinter

            return ProgressPrinter(self.stderr, total_files=total_files)
        return None


def fal_hosts(base_url: str | None, storage_url: str | None, extra: Sequence[str]) -> frozenset[str]:
    """The default fal hosts, the user's --fal-host values, and the host of a loopback API or storage URL:
    a local fake serves its CDN from the same host, and its URLs must be accepted as references."""
    from urllib.parse import urlsplit

    from .._config import BASE_URL_ENV, DEFAULT_FAL_HOSTS, STORAGE_URL_ENV, is_loopback

    hosts = set(DEFAULT_FAL_HOSTS)
    hosts.update(h.strip().lower() for h in extra if h.strip())
    for url in (base_url or os.environ.get(BASE_URL_ENV), storage_url or os.environ.get(STORAGE_URL_ENV)):
        host = urlsplit(url).hostname if url else None
        if host and is_loopback(host):
            hosts.add(host.lower())
    return frozenset(hosts)


def confirm(ctx: Context, question: str) -> bool:
    ctx.stderr.write(f"{question} [y/N] ")
    ctx.stderr.flush()
    answer = ctx.stdin.readline()
    return answer.strip().lower() in ("y", "yes")
