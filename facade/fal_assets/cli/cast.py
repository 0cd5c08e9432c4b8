"""`fal-assets plan`, `apply` and `pull`: characters as code, a thin layer over `characters.plan/apply/pull`
(the `cast` package)."""

from __future__ import annotations

import argparse

from ._context import EXIT_CHANGES, EXIT_OK, Command, Context, UsageError, confirm

TYPE_CHECKING = False  # not typing's: this module loads with its commands' --help, which need no typing
if TYPE_CHECKING:
    from ..cast.apply import AppliedChange

__all__ = ["COMMANDS"]


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


def _plan_arguments(p: argparse.ArgumentParser) -> None:
    _common(p)
    p.add_argument(
        "--exit-code",
        action="store_true",
        help=f"exit {EXIT_CHANGES} when changes are pending, 0 when fal matches the manifest",
    )


def _apply_arguments(p: argparse.ArgumentParser) -> None:
    _common(p)
    p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")


def _plan(ctx: Context) -> int:
    # Loaded with the command's run, not with its --help.
    from .output import dumps
    from .plan_render import format_plan

    with ctx.client() as client:
        plan = client.characters.plan(
            ctx.args.manifest, prune=ctx.args.prune, allow_paths=ctx.args.allow_path
        )
    ctx.out(dumps(plan.to_dict()) if ctx.json else format_plan(plan))
    return EXIT_CHANGES if ctx.args.exit_code and plan.has_changes else EXIT_OK


def _apply_command(ctx: Context) -> int:
    from pathlib import Path

    from ..cast.exclusive import exclusive
    from ..cast.manifest import Manifest

    # One apply at a time, from planning to the last lock write: taken before any request.
    lock_path = Manifest(Path(ctx.args.manifest).absolute(), ()).lock_path
    with exclusive(lock_path):
        return _apply(ctx)


def _apply(ctx: Context) -> int:
    from .._core.text import printable
    from .output import dumps
    from .plan_render import format_plan, summary_line

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
            if not confirm(ctx, f"Apply these changes to fal? ({summary_line(plan)})"):
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


def _pull_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("manifest", nargs="?", default="characters.toml", help="default characters.toml")
    p.add_argument("--kind", help="kinds to pull, comma-separated: character,prop,... (default: every kind)")
    p.add_argument("--only", nargs="+", metavar="HANDLE", help="only these identifiers")
    p.add_argument("--dir", default="refs", help="folder for the images, beside the manifest (default refs)")
    p.add_argument("--force", action="store_true", help="replace existing manifest entries")


def _pull(ctx: Context) -> int:
    from .output import dumps

    args = ctx.args
    kinds = None if args.kind is None else [k.strip() for k in args.kind.split(",") if k.strip()]
    with ctx.client() as client:
        result = client.characters.pull(
            args.manifest, kinds=kinds, only=args.only, refs_dir=args.dir, force=args.force
        )
    if ctx.json:
        ctx.out(dumps({"written": result.written, "kept": result.kept, "skipped": result.skipped}))
    for handle in result.written:
        ctx.stderr.write(f"pulled {handle}\n")
    for handle in result.kept:
        ctx.stderr.write(f"kept {handle} (already in the manifest; --force replaces it)\n")
    for handle, reason in result.skipped.items():
        ctx.stderr.write(f"not pulled {handle}: {reason}\n")
    ctx.stderr.write(
        f"{len(result.written)} pulled, {len(result.kept)} kept, {len(result.skipped)} not pulled "
        f"into {result.manifest}\n"
    )
    return EXIT_OK


COMMANDS = {
    "pull": Command(_pull, _pull_arguments),
    "plan": Command(_plan, _plan_arguments),
    "apply": Command(_apply_command, _apply_arguments),
}
