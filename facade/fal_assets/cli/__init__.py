"""The `fal-assets` command line (also `python -m fal_assets`).

Exit codes: 0 success, 1 API or other error, 2 usage or local validation error, 3 authentication
(missing, wrong or insufficient key), 4 not found, 10 changes pending (`plan --exit-code` only),
130 interrupted.
"""

from __future__ import annotations

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
from ._context import (
    EXIT_API,
    EXIT_AUTH,
    EXIT_CHANGES,
    EXIT_INTERRUPTED,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_USAGE,
    Context,
    UsageError,
)
from ._context import fal_hosts as fal_hosts
from .parser import CommandLineParser, handler_for, parser_for

TYPE_CHECKING = False  # not typing's: --help should not pay for importing typing
if TYPE_CHECKING:
    # The HTTP machinery, the generated client and the output helpers load with the commands that use
    # them: `fal-assets --help` and usage errors need none of it (nor pathlib, nor typing).
    from collections.abc import Sequence
    from typing import TextIO

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
    ctx = Context(args, stdout or sys.stdout, stderr or sys.stderr, stdin or sys.stdin)
    secrets = _secrets_from_env()
    from .output import SecretMaskingFilter, configure_logging

    configure_logging(ctx.verbosity, secrets, ctx.stderr)

    handler = handler_for(parser, args)
    if handler is None:
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
            from .output import dumps_line, error_document

            ctx.stderr.write(dumps_line(error_document(exc, message, code)) + "\n")
        else:
            ctx.stderr.write(f"error: {printable(message)}\n")  # text from files and servers: escaped
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
