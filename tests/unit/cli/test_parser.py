"""`fal-assets` builds only the parser of the command it runs (`parser_for`), and that must never change
what the command line accepts, prints or refuses: every outcome is compared with the whole parser's."""

from __future__ import annotations

import argparse
import contextlib
import io
import subprocess
import sys

import pytest
from fal_assets.cli.parser import build_parser, parser_for

pytestmark = pytest.mark.usefixtures("wide_terminal")


@pytest.fixture
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")  # help is wrapped to the terminal: the same width for both parsers


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _every_help_command() -> list[list[str]]:
    """`--help` of the top level, every command and every action, read off the whole parser."""
    found: list[list[str]] = [["--help"]]
    for command, parser in _subcommands(build_parser()).items():
        found.append([command, "--help"])
        found.extend([command, action, "--help"] for action in _subcommands(parser))
    return found


HELP = _every_help_command()

RUNS = [
    [],
    ["characters"],
    ["characters", "list"],
    ["--json", "characters", "list", "--limit", "5", "--all"],
    ["characters", "list", "--json", "-vv", "--timeout", "3"],
    ["characters", "create", "--name", "n", "--description", "d", "--ref", "a.png", "--ref", "b.png"],
    ["characters", "update", "c1", "--clear-cover"],
    ["entities", "list", "--type", "prop", "--type", "style", "--all", "--json"],
    ["entities", "create", "--type", "prop", "--name", "n", "--ref", "a.png", "--cover", "a.png"],
    ["entities", "update", "e1", "--clear-description", "--handle", "h"],
    ["entities", "update", "e1", "--description", "d", "--clear-description"],
    ["upload", "a.png", "b.png"],
    ["download", "https://v3.fal.media/files/a.png", "-o", "out"],
    ["assets", "download", "--media-type", "image", "-o", "out"],
    ["collections", "download", "c1", "--output", "out"],
    ["pull", "cast.toml", "--only", "a", "b", "--dir", "images", "--force"],
    ["plan"],
    ["plan", "other.toml", "--prune", "--exit-code"],
    ["apply", "--yes"],
    ["assets", "list", "--media-type", "image", "--tag", "t1", "--tag", "t2"],
    ["assets", "upload", "x.png", "--expires-in", "never"],
    ["collections", "move", "c1", "--top"],
    ["tags", "assign", "t1", "--vector-id", "v1"],
    ["storage", "settings", "--expiration", "3600"],
    ["demo"],
    ["fake", "--port", "0", "--latency", "0.05", "--seed", "characters.toml", "--env"],
    # Global options before the command, in every spelling argparse accepts.
    ["--base-url", "http://127.0.0.1:1", "--fal-host", "cdn.test", "tags", "list"],
    ["--timeout=5", "tags", "list"],
    ["--ti", "5", "characters", "get", "c1"],  # an abbreviation that takes a value
    ["--base-url", "upload", "characters", "list"],  # a value that is also a command's name
    ["--fal-host", "tags", "storage", "sign", "https://v3.fal.media/files/x"],
    ["-v", "--json", "demo"],
    ["--", "demo"],
]

REFUSED = [
    ["bogus"],
    ["--bogus", "characters", "list"],
    ["--limit", "5", "characters", "list"],  # a command's option before the command
    ["--timeout", "abc", "characters", "list"],
    ["--timeout"],
    ["characters", "lst"],
    ["characters", "create"],
    ["characters", "update", "c1", "--cover", "x", "--clear-cover"],
    ["upload"],
    ["collections", "move", "c1"],
    ["assets", "upload", "x.png", "--expires-in", "soon"],
    ["--json", "characters", "list", "--bogus"],
    ["-h", "characters"],
    ["plan", "a", "b"],
]


def _outcome(parser: argparse.ArgumentParser, argv: list[str]) -> tuple[object, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            result: object = vars(parser.parse_args(argv))
        except SystemExit as exit:
            result = exit.code
    return result, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("argv", HELP + RUNS + REFUSED, ids=lambda argv: " ".join(argv) or "(none)")
def test_the_command_parser_reads_argv_as_the_whole_parser_does(argv: list[str]) -> None:
    assert _outcome(parser_for(argv), argv) == _outcome(build_parser(), argv)


def test_the_corpus_reaches_every_command_and_action() -> None:
    assert len(HELP) > 40  # every command and action of the whole parser has its --help case
    commands = {argv[0] for argv in HELP if len(argv) > 1}
    assert commands == {
        "characters",
        "entities",
        "upload",
        "download",
        "pull",
        "plan",
        "apply",
        "assets",
        "collections",
        "tags",
        "storage",
        "demo",
        "fake",
    }


def test_help_lists_every_command_without_declaring_their_arguments() -> None:
    # Declaring the commands' arguments is what made `--help` slow: each command's module (its arguments and
    # handlers) loads only when that command runs, here `characters` alone.
    code = (
        "import sys\nfrom fal_assets.cli import main\n"
        "for argv in (['--help'], ['characters', 'list', '--help']):\n"
        "    try:\n        main(argv)\n    except SystemExit as exit:\n        assert exit.code == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('fal_assets.cli.')))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "plan" in proc.stdout and "storage" in proc.stdout  # listed in the help
    assert proc.stdout.strip().splitlines()[-1] == str(
        ["fal_assets.cli._context", "fal_assets.cli.characters", "fal_assets.cli.parser"]
    )
