"""`fal-assets plan` and `fal-assets apply`: characters as code, a thin layer over `characters.plan/apply`.

_cli_parser.py declares these commands through `add_plan_command` / `add_apply_command`, and cli.py
dispatches to `cmd_plan` / `cmd_apply`; shared pieces (context, confirmation, exit codes) come from cli.py.
"""

from __future__ import annotations

import argparse

from . import EXIT_CHANGES, EXIT_OK, UsageError, _confirm, _Context

TYPE_CHECKING = False  # not typing's: this module loads with --help, which should not pay for typing
if TYPE_CHECKING:
    from typing import Any

    from ..cast.apply import AppliedChange

__all__ = ["add_apply_command", "add_plan_command", "cmd_apply", "cmd_plan"]


_MANIFEST_HELP = "the manifest (default: characters.toml); its lock sits beside it (characters.lock)"
_PRUNE_HELP = "also delete managed characters (listed in the lock) that are no longer in the manifest"
_ALLOW_HELP = (
    "also upload local files inside DIR (repeatable); by default every file, symlinks followed, must lie "
    "inside the manifest's folder"
)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("manifest", nargs="?", default="characters.toml", metavar="MANIFEST", help=_MANIFEST_HELP)
    p.add_argument("--prune", action="store_true", help=_PRUNE_HELP)
    p.add_argument("--allow-path", action="append", default=[], metavar="DIR", help=_ALLOW_HELP)


def add_plan_command(commands: Any, common: argparse.ArgumentParser, name: str, help: str) -> None:
    p = commands.add_parser(name, help=help, parents=[common])
    _common(p)
    p.add_argument(
        "--exit-code",
        action="store_true",
        help=f"exit {EXIT_CHANGES} when changes are pending, 0 when fal matches the manifest",
    )


def add_apply_command(commands: Any, common: argparse.ArgumentParser, name: str, help: str) -> None:
    p = commands.add_parser(name, help=help, parents=[common])
    _common(p)
    p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")


def cmd_plan(ctx: _Context) -> int:
    # Loaded with the command, not with --help (which registers these commands).
    from ..cast.render import format_plan
    from .output import dumps

    with ctx.client() as client:
        plan = client.characters.plan(
            ctx.args.manifest, prune=ctx.args.prune, allow_paths=ctx.args.allow_path
        )
    ctx.out(dumps(plan.to_dict()) if ctx.json else format_plan(plan))
    return EXIT_CHANGES if ctx.args.exit_code and plan.has_changes else EXIT_OK


def cmd_apply(ctx: _Context) -> int:
    from pathlib import Path

    from ..cast.exclusive import exclusive
    from ..cast.manifest import Manifest

    # One apply at a time, from planning to the last lock write: taken before any request.
    lock_path = Manifest(Path(ctx.args.manifest).absolute(), ()).lock_path
    with exclusive(lock_path):
        return _apply(ctx)


def _apply(ctx: _Context) -> int:
    from .._core.text import printable
    from ..cast.render import format_plan, summary_line
    from .output import dumps

    args = ctx.args
    with ctx.client() as client:
        plan = client.characters.plan(args.manifest, prune=args.prune, allow_paths=args.allow_path)
        if not ctx.json:
            ctx.out(format_plan(plan))
        if plan.has_changes and not args.yes:
            if not ctx.stdin.isatty():
                raise UsageError(
                    "refusing to apply without confirmation: stdin is not a terminal; pass --yes"
                )
            if not _confirm(ctx, f"Apply these changes to fal? ({summary_line(plan)})"):
                ctx.stderr.write("nothing applied\n")
                return EXIT_OK
        total = len(plan.changes)
        done = 0

        def applied(change: AppliedChange) -> None:
            nonlocal done
            done += 1
            verb = {"create": "created", "update": "updated", "delete": "deleted"}[change.action]
            ctx.stderr.write(
                f"[{done}/{total}] {verb} {printable(change.identifier)} ({printable(change.character_id)})\n"
            )
            ctx.stderr.flush()

        progress = ctx.progress(total_files=len(plan.uploads))
        try:
            result = client.characters.apply(plan, on_progress=progress, on_applied=applied)
        finally:
            if progress is not None:
                progress.finish()
    if ctx.json:
        changes = [
            {"action": c.action, "identifier": c.identifier, "id": c.character_id} for c in result.changes
        ]
        ctx.out(dumps({"plan": plan.to_dict(), "applied": changes, "uploaded": result.uploaded}))
    elif plan.has_changes:
        ctx.out(f"Applied {len(result.changes)} change(s), {result.uploaded} file(s) uploaded.")
    return EXIT_OK
