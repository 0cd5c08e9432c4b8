"""``python -m benchmarks [--quick] [--only CASE ...] [--cores N] [--output PATH]``."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from benchmarks._cases import CASES, run_case
from benchmarks._protocol import PACKAGE_ROOT
from benchmarks._report import CaseResult, Header, render
from benchmarks._sizes import FULL, QUICK

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "BENCHMARKS.md"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return "unknown"


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=PACKAGE_ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def _commit() -> str:
    """HEAD's short hash, marked when tracked files differ from it (the figures are then not HEAD's); the
    reports themselves do not count."""
    try:
        head = _git("rev-parse", "--short", "HEAD")
        reports = ":(exclude)benchmarks/*.md"
        changed = _git("status", "--porcelain", "--untracked-files=no", "--", ".", reports)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}, with uncommitted changes" if changed else head


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _cores(pinned: bool) -> str:
    total = os.cpu_count() or 1
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else total
    shared = "shared by the fake server (in the parent) and the measured child"
    if pinned:
        return f"{usable} of {total} (pinned with --cores), {shared}"
    return (
        f"{total}, {shared}; no machine with more cores was available, so the cases that depend on cores "
        "were also run pinned to fewer (`--cores 1`, benchmarks/BENCHMARKS-1-core.md) to show how the "
        "ratios move with cores"
    )


def machine(pinned: bool = False) -> list[tuple[str, str]]:
    return [
        (
            "Machine",
            f"{os.cpu_count()} CPUs ({_cpu_model()}), {_memory_total()} RAM, {platform.system()} "
            f"{platform.release()}",
        ),
        ("Cores", _cores(pinned)),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        (
            "Versions",
            f"fal-assets {_version('fal-assets')} (commit {_commit()}), fal-client {_version('fal-client')}, "
            f"httpx {_version('httpx')}",
        ),
    ]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="every case at tiny sizes (a smoke run, seconds)"
    )
    parser.add_argument("--only", nargs="+", choices=sorted(CASES), help="run only these cases")
    parser.add_argument(
        "--cores",
        type=int,
        metavar="N",
        help="run everything (server and children) on the first N cores only, to see how ratios move "
        "with cores",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help=f"where to write the report (default: {DEFAULT_OUTPUT.name} for a full run, stdout for --quick)",
    )
    return parser.parse_args(argv)


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (1 min) / {five:.2f} (5 min)"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.cores is not None:
        if not hasattr(os, "sched_setaffinity"):
            raise SystemExit("--cores needs CPU affinity (Linux)")
        usable = sorted(os.sched_getaffinity(0))
        if not 1 <= args.cores <= len(usable):
            raise SystemExit(f"--cores must be between 1 and {len(usable)}")
        os.sched_setaffinity(0, usable[: args.cores])  # children inherit it
    load_before = _load()
    sizes = QUICK if args.quick else FULL
    names = args.only or list(CASES)
    started = time.perf_counter()
    results: list[CaseResult] = []
    for name in names:
        print(f"benchmarks: {name} …", file=sys.stderr, flush=True)
        result = run_case(name, sizes)
        verdicts = ", ".join(f"{v.measured} {'pass' if v.passed else 'MISS'}" for v in result.verdicts)
        print(f"benchmarks: {name} done in {result.seconds:.1f} s: {verdicts}", file=sys.stderr, flush=True)
        results.append(result)
    command = "python -m benchmarks" + (" --quick" if args.quick else "")
    if args.only:
        command += " --only " + " ".join(args.only)
    if args.cores is not None:
        command += f" --cores {args.cores}"
    header = Header(
        command=command,
        mode="quick: tiny sizes, figures not meaningful" if args.quick else "full sizes",
        date=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        machine=[
            *machine(pinned=args.cores is not None),
            (
                "Load average",
                f"{load_before} at the start, {_load()} at the end (other work on the machine adds noise)",
            ),
        ],
        runtime_seconds=time.perf_counter() - started,
    )
    report = render(header, results)
    output = args.output or (None if args.quick else DEFAULT_OUTPUT)
    if output is None:
        sys.stdout.write(report)
    else:
        output.write_text(report)
        print(f"benchmarks: wrote {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
