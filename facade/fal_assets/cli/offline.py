"""`fal-assets demo` and `fal-assets fake`: the commands that run against a fake fal, no key and no network.
The fake server (and, for the demo, the client) load with the command's run, not with its --help."""

from __future__ import annotations

from .._errors import FalAssetsError
from ._context import Command, Context, UsageError

TYPE_CHECKING = False  # not typing's: this module loads with `demo --help` and `fake --help`
if TYPE_CHECKING:
    import argparse

__all__ = ["COMMANDS"]


def _demo(ctx: Context) -> int:
    from .demo import run_demo  # the fake server is only needed here

    return run_demo(ctx.stdout)


def _fake_arguments(p: argparse.ArgumentParser) -> None:
    from ..testing._serve import add_arguments  # only when `fake` is the command: it loads FakeFal

    add_arguments(p)


def _fake(ctx: Context) -> int:
    from ..testing._serve import serve

    try:
        return serve(ctx.args, ctx.stdout, ctx.stderr, as_json=ctx.json)
    except ValueError as exc:  # a bad --latency; a bad --seed manifest is a ValidationError already
        if isinstance(exc, FalAssetsError):
            raise
        raise UsageError(str(exc)) from None


COMMANDS = {
    "demo": Command(_demo),
    "fake": Command(_fake, _fake_arguments, described=True),
}
