"""Benchmark case `plan`: `characters.plan()` over a cast of unchanged characters (issue 16).

The parent applies the cast once (untimed), then times fresh children side by side: `plan` itself, and the
floor any plan must pay, reading every character with paged `characters.iter`. Requests are counted by the
fake per run, so the figures are also proof that `plan` only reads, with paged lists (no GET per character).
Run as ``python -m benchmarks._plan_case`` it is the child: a JSON job on stdin, a result line on stdout.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks._protocol import PACKAGE_ROOT, RESULT_MARKER, child_env
from benchmarks._report import CaseResult, Verdict, seconds, spread, times
from benchmarks._sizes import Sizes
from benchmarks._stats import Summary, ratio

CONTENDERS = {
    "plan": "`characters.plan(manifest)`",
    "list": "baseline: `list(characters.iter(page_size=100))` only",
}


def write_cast(root: Path, count: int) -> Path:
    """`count` characters, each with its own folder holding one small PNG of distinct content."""
    from fal_assets.cli.demo import gradient_png

    lines: list[str] = []
    for i in range(count):
        folder = root / f"c{i:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "ref.png").write_bytes(gradient_png((i % 256, (i // 256) % 256, 77), size=4))
        lines += ["[[character]]", f'identifier = "c{i:04d}"', f'name = "Character {i}"']
        lines += [f'description = "Benchmark character {i}"', f'references = ["c{i:04d}/"]', ""]
    manifest = root / "characters.toml"
    manifest.write_text("\n".join(lines))
    return manifest


def _child_run(job: dict[str, Any]) -> dict[str, Any]:
    """One measured call, in a fresh interpreter (no client, pool or cache carried over)."""
    import time

    started = time.perf_counter()
    from fal_assets import FalAssets

    endpoint = job["endpoint"]
    with FalAssets(
        api_key=endpoint["api_key"],
        base_url=endpoint["api_base_url"],
        storage_base_url=endpoint["storage_base_url"],
        fal_hosts=frozenset(endpoint["fal_hosts"]),
    ) as client:
        if job["contender"] == "plan":
            plan = client.characters.plan(job["manifest"])
            seen, pending = len(plan.unchanged), plan.has_changes
        else:
            seen, pending = len(list(client.characters.iter(page_size=100))), False
    return {"seconds": time.perf_counter() - started, "characters": seen, "has_changes": pending}


def _run_child(job: dict[str, Any]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks._plan_case"],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        env=child_env({"FAL_KEY": job["endpoint"]["api_key"]}),
        cwd=PACKAGE_ROOT,
        timeout=600,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_MARKER)]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"plan benchmark child failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(lines[-1][len(RESULT_MARKER) :])
    return result


def measure(count: int, repeats: int, latency: float, workdir: Path) -> dict[str, Any]:
    """Runs of each contender (alternating), with the fake's request counts per run."""
    from fal_assets import FalAssets
    from fal_assets.testing import FakeFal

    manifest = write_cast(workdir, count)
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in CONTENDERS}
    with FakeFal.serve() as fake:
        with FalAssets(**fake.client_kwargs()) as client:
            setup = client.characters.apply(client.characters.plan(manifest))
        if len(setup.changes) != count:
            raise RuntimeError(f"setup applied {len(setup.changes)} characters, expected {count}")
        endpoint = {
            "api_key": fake.api_key,
            "api_base_url": fake.api_base_url,
            "storage_base_url": fake.storage_base_url,
            "fal_hosts": sorted(fake.fal_hosts),
        }
        for repeat in range(repeats):
            order = list(CONTENDERS) if repeat % 2 == 0 else list(reversed(CONTENDERS))
            for contender in order:
                fake.reset()
                fake.latency = latency
                result = _run_child({"endpoint": endpoint, "contender": contender, "manifest": str(manifest)})
                result["counts"] = dict(Counter(fake.counts))
                if result["characters"] != count or result["has_changes"]:
                    raise RuntimeError(f"{contender}: saw {result['characters']} characters, changes pending")
                runs[contender].append(result)
    return runs


def case_plan(sizes: Sizes, workdir: Path) -> CaseResult:
    count = sizes.plan_characters
    runs = measure(count, sizes.repeats, sizes.latency, workdir)
    summaries = {name: Summary.of([r["seconds"] for r in results]) for name, results in runs.items()}
    rows = []
    for name, results in runs.items():
        counts: Counter[str] = Counter()
        for result in results:
            counts.update(result["counts"])
        per_run = {op: n // len(results) for op, n in sorted(counts.items())}
        rows.append(
            [
                CONTENDERS[name],
                str(sum(per_run.values())),
                ", ".join(f"{op} {n}" for op, n in per_run.items()),
                seconds(summaries[name].median),
                spread(summaries[name], seconds),
                times(ratio(summaries[name], summaries["list"])),
            ]
        )
    plan_counts = [r["counts"] for r in runs["plan"]]
    pages = count // 100 + 1
    only_lists = all(
        set(c) == {"listAssetCharacters"} and c["listAssetCharacters"] == pages for c in plan_counts
    )
    return CaseResult(
        key="plan",
        title=f"`plan` of {count:,} unchanged characters",
        setup=(
            f"A `characters.toml` of {count:,} characters (one 4×4 PNG each) applied once, untimed; then "
            f"each contender runs in a fresh child interpreter, alternating, {sizes.repeats} run(s) each, "
            f"{sizes.latency * 1000:.0f} ms latency per request. Wall time includes import and client setup, "
            "reading and hashing every file, and the diff; requests are what the fake received per run."
        ),
        columns=["contender", "requests", "by operation", "median time", "spread", "vs list only"],
        rows=rows,
        verdicts=[
            Verdict(
                f"only paged list requests ({pages}), no GET per character, no write, no upload",
                ", ".join(f"{op} {n}" for op, n in sorted(plan_counts[0].items())),
                only_lists,
            )
        ],
        notes=[
            f"One GET per character would be {count:,} requests: {count * sizes.latency:.0f} s of latency "
            "alone at this latency, one request at a time.",
            "Verified: every `plan` run reported all characters unchanged and no pending change.",
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
