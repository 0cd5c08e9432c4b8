"""Benchmark case `apply`: `characters.apply()` of a cast of new characters, at two sizes (issue 22).

Lock writes must cost O(total) over an apply, not O(n²): each completed character is one journal line, and
the lock is written once at the end. Each size runs in a fresh child interpreter against a fresh served
FakeFal (no latency, so the figure is the client's own work: hashing, uploads, writes, lock), alternating
the sizes; the verdict is the ratio of the medians, at most 4.5 for 4× the characters.
Run as ``python -m benchmarks._apply_case`` it is the child: a JSON job on stdin, a result line on stdout.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks._plan_case import write_cast
from benchmarks._protocol import PACKAGE_ROOT, RESULT_MARKER, child_env
from benchmarks._report import CaseResult, Verdict, seconds, spread
from benchmarks._sizes import Sizes
from benchmarks._stats import Summary

TARGET_RATIO = 4.5


def _child_run(job: dict[str, Any]) -> dict[str, Any]:
    import time

    from fal_assets import FalAssets

    endpoint = job["endpoint"]
    with FalAssets(
        api_key=endpoint["api_key"],
        base_url=endpoint["api_base_url"],
        storage_base_url=endpoint["storage_base_url"],
        fal_hosts=frozenset(endpoint["fal_hosts"]),
    ) as client:
        started = time.perf_counter()
        plan = client.characters.plan(job["manifest"])
        planned = time.perf_counter()
        result = client.characters.apply(plan)
        done = time.perf_counter()
    return {"plan": planned - started, "apply": done - planned, "created": len(result.changes)}


def _run(count: int, workdir: Path) -> dict[str, Any]:
    from fal_assets.testing import FakeFal

    manifest = write_cast(workdir, count)
    with FakeFal.serve() as fake:
        endpoint = {
            "api_key": fake.api_key,
            "api_base_url": fake.api_base_url,
            "storage_base_url": fake.storage_base_url,
            "fal_hosts": sorted(fake.fal_hosts),
        }
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks._apply_case"],
            input=json.dumps({"endpoint": endpoint, "manifest": str(manifest)}),
            capture_output=True,
            text=True,
            env=child_env({"FAL_KEY": fake.api_key}),
            cwd=PACKAGE_ROOT,
            timeout=1800,
            check=False,
        )
        stored = len(fake.characters)
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_MARKER)]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"apply benchmark child failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(lines[-1][len(RESULT_MARKER) :])
    locked = json.loads((workdir / "characters.lock").read_text())["characters"]
    if not result["created"] == stored == len(locked) == count:
        raise RuntimeError(
            f"apply of {count}: {result['created']} created, {stored} on fal, {len(locked)} locked"
        )
    return result


def case_apply(sizes: Sizes, workdir: Path) -> CaseResult:
    small, large = sizes.apply_characters
    runs: dict[int, list[dict[str, Any]]] = {small: [], large: []}
    for repeat in range(sizes.heavy_repeats):
        for count in (small, large) if repeat % 2 == 0 else (large, small):
            runs[count].append(_run(count, workdir / f"r{repeat}-{count}"))
    applies = {n: Summary.of([r["apply"] for r in results]) for n, results in runs.items()}
    plans = {n: Summary.of([r["plan"] for r in results]) for n, results in runs.items()}
    ratio = applies[large].median / applies[small].median
    rows = [
        [
            f"{n:,} new characters",
            seconds(applies[n].median),
            spread(applies[n], seconds),
            f"{applies[n].median / n * 1000:.2f} ms",
            seconds(plans[n].median),
        ]
        for n in (small, large)
    ]
    return CaseResult(
        key="apply",
        title=f"`apply` of {small:,} and {large:,} new characters",
        setup=(
            f"A `characters.toml` of {small:,}, then {large:,} characters (one 4×4 PNG each, so one upload "
            "and one create per character), applied by `characters.apply(characters.plan(manifest))` in a "
            f"fresh child interpreter against a fresh served FakeFal, no added latency, sizes alternating, "
            f"{sizes.heavy_repeats} run(s) each. Timed: `apply` alone (uploads, creates, every lock write); "
            "`plan` is shown beside it."
        ),
        columns=["cast", "apply, median", "spread", "per character", "plan, median"],
        rows=rows,
        verdicts=[
            Verdict(
                f"{large:,} characters take at most {TARGET_RATIO}× the time of {small:,} (lock writes are "
                "linear: one journal line per character, one lock write at the end)",
                f"{ratio:.2f}×",
                ratio <= TARGET_RATIO,
                cause=""
                if ratio <= TARGET_RATIO
                else f"apply of {large:,} took {ratio:.2f}× the {small:,} run",
            )
        ],
        notes=[
            "Verified: every run created each character once, and its lock lists all of them.",
            "Before issue 22 the lock was rewritten and fsynced after every character: 1,000 characters took "
            "22 s and 4,000 took 205 s (9.3×).",
        ],
    )


def main() -> None:
    from benchmarks import _guard

    _guard.install()  # before any HTTP library is imported: loopback only
    result = _child_run(json.loads(sys.stdin.read()))
    if _guard.blocked:
        raise SystemExit(f"network guard refused: {_guard.blocked}")
    print(RESULT_MARKER + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
