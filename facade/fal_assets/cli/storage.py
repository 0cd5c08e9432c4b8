"""`fal-assets storage …`: signed URLs, file ACLs and the account's storage settings, each action's arguments
beside its handler."""

from __future__ import annotations

import argparse

from ._context import EXIT_OK, Action, Command, Context, UsageError, at_least
from ._library import seconds_or_never, show

TYPE_CHECKING = False  # not typing's: this module loads with `storage … --help`
if TYPE_CHECKING:
    from typing import Any

__all__ = ["COMMANDS"]


def _sign_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("url", metavar="URL")
    p.add_argument("--expires-in", type=at_least(1), default=3600, metavar="SECONDS", help="default 3600")


def _sign(ctx: Context) -> int:
    from .output import dumps

    with ctx.client() as client:
        url = client.storage.sign(ctx.args.url, expires_in=ctx.args.expires_in)
    ctx.out(dumps({"signed_url": url}) if ctx.json else url)
    return EXIT_OK


def _acl_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("url", metavar="URL")
    p.add_argument("--default", help="allow, forbid or hide")
    p.add_argument("--rule", action="append", metavar="USER=DECISION", help="a per-user rule (repeatable)")


def _acl(ctx: Context) -> int:
    args = ctx.args
    with ctx.client() as client:
        if args.default is None:
            if args.rule:
                raise UsageError("--rule needs --default")
            return show(ctx, client.storage.get_acl(args.url))
        rules = []
        for rule in args.rule or []:
            user, sep, decision = rule.rpartition("=")
            if not sep:
                raise UsageError(f"--rule {rule!r}: expected USER=DECISION")
            rules.append((user, decision))
        return show(ctx, client.storage.set_acl(args.url, default=args.default, rules=rules))


def _settings_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--expiration", type=seconds_or_never, metavar="SECONDS", help='seconds, or "never"')
    p.add_argument(
        "--initial-acl", metavar="DECISION", help="allow, forbid or hide; 'default' for the system's"
    )


def _settings(ctx: Context) -> int:
    args = ctx.args
    changes: dict[str, Any] = {}
    if args.expiration is not None:
        changes["expiration_duration_seconds"] = None if args.expiration == "never" else args.expiration
    if args.initial_acl is not None:
        changes["initial_acl"] = None if args.initial_acl == "default" else args.initial_acl
    with ctx.client() as client:
        settings = client.storage.update_settings(**changes) if changes else client.storage.get_settings()
    return show(ctx, settings)


COMMANDS = {
    "storage": Command(
        actions=(
            Action("sign", "print a signed URL to a file on fal's CDN", _sign, _sign_arguments),
            Action(
                "acl", "show a file's ACL, or replace it with --default (and --rule)", _acl, _acl_arguments
            ),
            Action(
                "settings",
                "show the account's storage settings, or change them",
                _settings,
                _settings_arguments,
            ),
        )
    ),
}
