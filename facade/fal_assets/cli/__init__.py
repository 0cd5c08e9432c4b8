"""The `fal-assets` command line (also `python -m fal_assets`).

Exit codes: 0 success, 1 API or other error, 2 usage or local validation error, 3 authentication
(missing, wrong or insufficient key), 4 not found, 10 changes pending (`plan --exit-code` only),
130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys

from .._errors import (
    AuthenticationError,
    DownloadError,
    FalAssetsError,
    MissingApiKeyError,
    NotFoundError,
    PermissionDeniedError,
    UploadError,
    ValidationError,
)
from .parser import CommandLineParser, parser_for

TYPE_CHECKING = False  # not typing's: --help should not pay for importing typing
if TYPE_CHECKING:
    # The HTTP machinery, the generated client and the output helpers load with the commands that use
    # them: `fal-assets --help` and usage errors need none of it (nor pathlib, nor typing).
    from collections.abc import Callable, Sequence
    from typing import TextIO

    from fal_assets_api.models.character import Character

    from .._client import FalAssets
    from .output import ProgressPrinter

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


class UsageError(Exception):
    """A problem with the command line itself, found after argparse accepted it."""


def exit_code(exc: BaseException) -> int:
    if isinstance(exc, ValidationError | UsageError):
        return EXIT_USAGE
    if isinstance(exc, MissingApiKeyError | AuthenticationError | PermissionDeniedError):
        return EXIT_AUTH
    if isinstance(exc, NotFoundError):
        return EXIT_NOT_FOUND
    if isinstance(exc, UploadError | DownloadError):
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


def error_document(exc: BaseException, message: str, code: int) -> dict[str, object]:
    """What `--json` mode writes to stderr for an error: one JSON object, `{"error": {...}}`."""
    from .._errors import APIStatusError

    error: dict[str, object] = {"kind": type(exc).__name__, "message": message, "exit_code": code}
    if isinstance(exc, APIStatusError):
        error.update(status_code=exc.status_code, error_type=exc.error_type, request_id=exc.request_id)
    field = getattr(exc, "field", None)
    if isinstance(field, str):
        error["field"] = field
    return {"error": error}


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
    options = list(argv[: list(argv).index("--")] if "--" in argv else argv)
    CommandLineParser.json_errors = "--json" in options
    parser = parser_for(argv)
    args = parser.parse_args(argv)
    ctx = _Context(args, stdout or sys.stdout, stderr or sys.stderr, stdin or sys.stdin)
    secrets = _secrets_from_env()
    from .output import SecretMaskingFilter, configure_logging

    configure_logging(ctx.verbosity, secrets, ctx.stderr)

    handler: Callable[[_Context], int] | None = None
    if args.command == "characters":
        from .characters import CHARACTER_ACTIONS

        handler = CHARACTER_ACTIONS.get(args.action or "")
        if handler is None:
            parser.error("characters needs an action: " + ", ".join(CHARACTER_ACTIONS))
    elif args.command == "entities":
        from .entities import ENTITY_ACTIONS

        handler = ENTITY_ACTIONS.get(args.action or "")
        if handler is None:
            parser.error("entities needs an action: " + ", ".join(ENTITY_ACTIONS))
    elif args.command == "upload":
        from .characters import cmd_upload

        handler = cmd_upload
    elif args.command in ("download", "pull"):
        from .files import cmd_download, cmd_pull

        handler = cmd_download if args.command == "download" else cmd_pull
    elif args.command in ("plan", "apply"):
        from .cast import cmd_apply, cmd_plan

        handler = cmd_plan if args.command == "plan" else cmd_apply
    elif args.command == "demo":
        from .characters import cmd_demo

        handler = cmd_demo
    elif args.command == "fake":
        handler = _cmd_fake
    elif args.command in ("assets", "collections", "tags", "storage"):
        from .assets import library_handler

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
        from .._core.text import printable

        message = SecretMaskingFilter(secrets).mask(_one_line(exc))
        if ctx.json:  # JSON escapes control characters itself
            from .output import dumps_line

            ctx.stderr.write(dumps_line(error_document(exc, message, code)) + "\n")
        else:
            ctx.stderr.write(f"error: {printable(message)}\n")  # text from files and servers: escaped
        if ctx.verbosity and code == EXIT_API and not isinstance(exc, FalAssetsError):
            import traceback

            ctx.stderr.write(SecretMaskingFilter(secrets).mask(traceback.format_exc()))
        return code


def _cmd_fake(ctx: _Context) -> int:
    from ..testing._serve import serve

    try:
        return serve(ctx.args, ctx.stdout, ctx.stderr, as_json=ctx.json)
    except ValueError as exc:  # a bad --latency; a bad --seed manifest is a ValidationError already
        if isinstance(exc, FalAssetsError):
            raise
        raise UsageError(str(exc)) from None


def _silence_stdout() -> None:
    # Python flushes stdout at exit and would report the broken pipe again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
