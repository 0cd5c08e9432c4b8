"""The benchmark cases: each serves a `FakeFal`, runs contenders in fresh children, verifies, summarises.

Every run is verified against what the fake actually received (request counts by operation, sha256 and size
of every stored file), so a figure can never come from a run that talked to something else or lost bytes.
"""

from __future__ import annotations

import itertools
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from fal_assets.testing import FakeFal

from benchmarks._files import MiB, SourceFile, make_files, make_sparse_file
from benchmarks._memory import MemoryProbe
from benchmarks._plan_case import case_plan
from benchmarks._protocol import Endpoint, Job, UploadTuning, child_env, run_child
from benchmarks._report import CaseResult, Verdict, mib, micros, millis, seconds, spread, table, times
from benchmarks._sizes import Sizes
from benchmarks._stats import Summary, ratio

T = TypeVar("T")

SINGLE_OPS = frozenset({"storageToken", "cdnUpload"})
MULTIPART_OPS = frozenset({"storageToken", "multipartInitiate", "multipartPart", "multipartComplete"})
UPLOAD_OPS = frozenset({"cdnUpload", "multipartPart", "presignedPut"})

CONTENDER_LABELS = {
    "facade": "fal-assets `files.upload_many`",
    "fal_client": "fal-client `upload_file` loop",
    "httpx": "raw httpx (1 pooled client, 8 threads)",
    "facade_sync": "fal-assets `FalAssets`",
    "facade_async": "fal-assets `AsyncFalAssets`",
    "httpx_sync": "raw `httpx.Client.patch`",
    "httpx_async": "raw `httpx.AsyncClient.patch`",
    "httpx_sync_bare": "raw `httpx.Client.patch`, no Idempotency-Key",
}


class BenchmarkError(RuntimeError):
    """A run that cannot be trusted: it is reported loudly, never summarised."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise BenchmarkError(message)


def endpoint_of(fake: FakeFal) -> Endpoint:
    return Endpoint(
        api_key=fake.api_key,
        api_base_url=fake.api_base_url,
        storage_base_url=fake.storage_base_url,
        cdn_base_url=fake.cdn_base_url,
        fal_hosts=sorted(fake.fal_hosts),
    )


def rotated(items: Sequence[T], shift: int) -> list[T]:
    """Contenders take turns going first, so that drift over the run is not charged to one of them."""
    shift %= len(items)
    return [*items[shift:], *items[:shift]]


# -- uploads -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadRun:
    seconds: float
    setup_seconds: float
    upload_seconds: float
    first_request_seconds: float
    rss_growth_kib: int
    memory_method: str
    counts: Counter[str]
    connections: int
    peak_concurrency: int
    parts_sorted: bool | None
    server_growth_kib: int


def upload_run(
    contender: str,
    files: Sequence[SourceFile],
    *,
    latency: float,
    multipart: bool,
    tuning: UploadTuning | None = None,
    single: bool = False,
) -> UploadRun:
    """One verified upload run, against a fake of its own so that nothing stored earlier can help it."""
    with FakeFal.serve() as fake:
        fake.latency = latency
        job = Job(
            "upload",
            endpoint_of(fake),
            contender,
            paths=[str(f.path) for f in files],
            tuning=tuning or UploadTuning(),
            single=single,
        )
        with MemoryProbe() as server_memory:
            result = run_child(job, timeout=900)
        counts = fake.counts
        stored = fake.files
        connections, peak = fake.connections_opened, fake.peak_concurrency
    urls: list[str] = result["urls"]
    check(len(urls) == len(files), f"{contender}: {len(urls)} URLs for {len(files)} files")
    for url, source in zip(urls, files, strict=True):
        got = stored.get(url)
        check(got is not None, f"{contender}: returned {url!r}, which the fake never stored")
        assert got is not None
        check(
            (got.size, got.sha256) == (source.size, source.sha256),
            f"{contender}: {source.path.name} arrived as {got.size} bytes sha256 {got.sha256[:12]}…, "
            f"expected {source.size} bytes sha256 {source.sha256[:12]}…",
        )
        check(got.via == ("multipart" if multipart else "single"), f"{contender}: {url} stored via {got.via}")
    allowed = MULTIPART_OPS if multipart else SINGLE_OPS
    unexpected = {op: n for op, n in counts.items() if op not in allowed}
    check(not unexpected, f"{contender}: unexpected requests {unexpected}")
    done = counts["multipartComplete"] if multipart else counts["cdnUpload"]
    check(done == len(files), f"{contender}: {done} completed uploads for {len(files)} files")
    check(counts["storageToken"] >= 1, f"{contender}: never asked for an upload token")
    return UploadRun(
        seconds=float(result["seconds"]),
        setup_seconds=float(result["setup_seconds"]),
        upload_seconds=float(result["upload_seconds"]),
        first_request_seconds=float(result["first_request_seconds"]),
        rss_growth_kib=int(result["rss_growth_kib"]),
        memory_method=str(result["memory_method"]),
        counts=counts,
        connections=connections,
        peak_concurrency=peak,
        parts_sorted=all(stored[url].parts_sorted is True for url in urls) if multipart else None,
        server_growth_kib=server_memory.growth_kib,
    )


def _verification_note(runs: dict[str, list[UploadRun]]) -> str:
    described = []
    for contender, contender_runs in runs.items():
        counts = contender_runs[0].counts
        described.append(f"{contender}: {dict(sorted(counts.items()))}")
    return (
        "Verified on every run: each returned URL is stored by the fake with the source's size and sha256, "
        "and the fake saw only the expected storage operations (first run's counts — "
        + "; ".join(described)
        + "). Children run behind a socket guard that refuses any non-loopback connection or name lookup."
    )


def case_upload(sizes: Sizes, workdir: Path) -> CaseResult:
    contenders = ("facade", "fal_client", "httpx")
    runs: dict[str, list[UploadRun]] = {c: [] for c in contenders}
    count, size = sizes.upload_files, sizes.file_size
    for repeat in range(sizes.repeats):
        for contender in rotated(contenders, repeat):
            directory = workdir / f"upload-{contender}-{repeat}"
            files = make_files(directory, count, size, tag=f"{contender}{repeat}")
            runs[contender].append(upload_run(contender, files, latency=sizes.latency, multipart=False))
            shutil.rmtree(directory)
    summary = {c: Summary.of([r.seconds for r in runs[c]]) for c in contenders}
    setup = {c: Summary.of([r.setup_seconds for r in runs[c]]) for c in contenders}
    first = {c: Summary.of([r.first_request_seconds for r in runs[c]]) for c in contenders}
    rows = []
    for contender in contenders:
        s, first_run = summary[contender], runs[contender][0]
        rows.append(
            [
                CONTENDER_LABELS[contender],
                seconds(s.median),
                spread(s, seconds),
                seconds(setup[contender].median),
                seconds(first[contender].median),
                millis(s.median / count),
                str(first_run.connections),
                str(first_run.peak_concurrency),
                str(sum(first_run.counts.values())),
                "—" if contender == "facade" else times(ratio(summary["facade"], s)),
            ]
        )
    vs_fal = ratio(summary["facade"], summary["fal_client"])
    vs_raw = ratio(summary["facade"], summary["httpx"])
    facade_run, raw_run = runs["facade"][0], runs["httpx"][0]
    after_first = {
        c: Summary.of([r.upload_seconds - r.first_request_seconds for r in runs[c]]) for c in contenders
    }
    cause = (
        f"the facade's first request left {seconds(first['facade'].median)} after the upload call began "
        f"(raw httpx: {seconds(first['httpx'].median)}); from then on it took "
        f"{seconds(after_first['facade'].median)} to finish (raw: {seconds(after_first['httpx'].median)}). "
        f"It used {facade_run.connections} connections with server-side peak concurrency "
        f"{facade_run.peak_concurrency} and {facade_run.counts['storageToken']} token request(s); raw httpx "
        f"used {raw_run.connections} / {raw_run.peak_concurrency} / {raw_run.counts['storageToken']}. "
        f"Client construction (median): facade {seconds(setup['facade'].median)}, raw "
        f"{seconds(setup['httpx'].median)}. Facade child peak RSS growth {mib(facade_run.rss_growth_kib)} "
        f"vs raw {mib(raw_run.rss_growth_kib)}."
    )
    verdicts = [
        Verdict("facade ≤ 0.20× fal-client", times(vs_fal), vs_fal <= 0.20, "" if vs_fal <= 0.20 else cause),
        Verdict("facade ≤ 1.20× raw httpx", times(vs_raw), vs_raw <= 1.20, "" if vs_raw <= 1.20 else cause),
    ]
    return CaseResult(
        key="upload",
        title=f"Upload {count} × {_size(size)} files → URLs",
        setup=(
            f"{count} files of {_size(size)} (fresh random bytes every run), {sizes.latency * 1000:.0f} ms "
            f"injected latency per request, {sizes.repeats} runs per contender (order rotated). Time = "
            "client construction + token + all uploads + close, measured inside the child; the client "
            "construction part is shown on its own (fal-client builds its clients inside every "
            '`upload_file` call, so its share is counted in the uploads). "First request after" is when '
            "the child's first connection opened, counted from the start of the upload call (socket-level, "
            "the same for every library). Connections, peak concurrency and requests are the fake's counts "
            "for the first run."
        ),
        columns=[
            "contender",
            "median",
            "min – max",
            "of which client construction",
            "first request after",
            "per file",
            "connections",
            "peak concurrency",
            "requests",
            "facade ÷ this",
        ],
        rows=rows,
        verdicts=verdicts,
        notes=[_verification_note(runs)],
    )


def case_scaling(sizes: Sizes, workdir: Path) -> CaseResult:
    counts = sizes.scaling_counts
    runs: dict[int, list[UploadRun]] = {n: [] for n in counts}
    for repeat in range(sizes.repeats):
        for n in rotated(counts, repeat):
            directory = workdir / f"scaling-{n}-{repeat}"
            files = make_files(directory, n, sizes.file_size, tag=f"s{n}r{repeat}")
            runs[n].append(upload_run("facade", files, latency=sizes.latency, multipart=False))
            shutil.rmtree(directory)
    # Judged on the uploads alone: a fixed client-construction cost would make any curve look sub-linear.
    summary = {n: Summary.of([r.upload_seconds for r in runs[n]]) for n in counts}
    total = {n: Summary.of([r.seconds for r in runs[n]]) for n in counts}
    base = summary[counts[0]]
    rows = [
        [
            str(n),
            seconds(summary[n].median),
            spread(summary[n], seconds),
            millis(summary[n].median / n),
            times(ratio(summary[n], base)),
            f"{n / counts[0]:.0f}×",
            seconds(total[n].median),
            str(runs[n][0].peak_concurrency),
        ]
        for n in counts
    ]
    steps = list(itertools.pairwise(counts))
    growth = [ratio(summary[b], summary[a]) for a, b in steps]
    sublinear = all(g < b / a for g, (a, b) in zip(growth, steps, strict=True))
    measured = ", ".join(
        f"{a}→{b}: {g:.2f}× (files {b / a:.1f}×)" for g, (a, b) in zip(growth, steps, strict=True)
    )
    return CaseResult(
        key="scaling",
        title="Upload scaling, 1 → many files (facade)",
        setup=(
            f"fal-assets `files.upload_many` (token + uploads + close, the client already built), "
            f"{_size(sizes.file_size)} files, {sizes.latency * 1000:.0f} ms latency per request, "
            f"{sizes.repeats} runs per point (order rotated). The end-to-end time including client "
            "construction is shown too."
        ),
        columns=[
            "files",
            "uploads, median",
            "min – max",
            "per file",
            f"× {counts[0]}-file time",
            "linear would be",
            "with construction",
            "peak concurrency",
        ],
        rows=rows,
        verdicts=[
            Verdict(
                "wall time grows sub-linearly (each step less than the file count)",
                measured,
                sublinear,
                "" if sublinear else f"per-file times: {[millis(summary[n].median / n) for n in counts]}",
            )
        ],
        notes=[_verification_note({"facade": runs[counts[-1]]})],
    )


def case_memory(sizes: Sizes, workdir: Path) -> CaseResult:
    contenders = ("facade", "fal_client")
    big = make_sparse_file(workdir / "big" / "big-upload.bin", sizes.big_file_size)
    runs: dict[str, list[UploadRun]] = {c: [] for c in contenders}
    for repeat in range(sizes.heavy_repeats):
        for contender in rotated(contenders, repeat):
            runs[contender].append(
                upload_run(
                    contender,
                    [big],
                    latency=sizes.latency,
                    multipart=True,
                    tuning=sizes.big_file_tuning,
                    single=True,
                )
            )
    shutil.rmtree(big.path.parent)
    growth = {c: Summary.of([r.rss_growth_kib for r in runs[c]]) for c in contenders}
    wall = {c: Summary.of([r.seconds for r in runs[c]]) for c in contenders}
    rows = []
    for contender in contenders:
        first = runs[contender][0]
        rows.append(
            [
                "fal-assets `files.upload`" if contender == "facade" else "fal-client `upload_file`",
                mib(growth[contender].median),
                spread(growth[contender], mib),
                seconds(wall[contender].median),
                str(first.counts["multipartPart"]),
                str(first.peak_concurrency),
                "yes" if first.parts_sorted else "no (finish order)",
                mib(max(r.server_growth_kib for r in runs[contender])),
            ]
        )
    facade_mib = growth["facade"].median / 1024
    limit = 64.0
    tuning = sizes.big_file_tuning
    method = runs["facade"][0].memory_method
    return CaseResult(
        key="memory",
        title=f"Peak memory uploading one {_size(sizes.big_file_size)} file (multipart)",
        setup=(
            f"One {_size(sizes.big_file_size)} file (sparse, with a random 4 KiB block opening every MiB, "
            "so every part differs and reassembly is checked by sha256), "
            f"{sizes.latency * 1000:.0f} ms latency, "
            f"{sizes.heavy_repeats} run(s) per contender. Multipart settings: "
            + (
                "each library's defaults (fal-client: over 100 MiB, 10 MiB parts, 10 threads)."
                if tuning == UploadTuning()
                else f"threshold {_size(tuning.multipart_threshold or 0)}, "
                f"parts {_size(tuning.part_size or 0)}."
            )
            + f" Peak RSS growth is read inside the child ({method}; `getrusage` is not used because a "
            "child's `ru_maxrss` can start from its parent's peak)."
        ),
        columns=[
            "contender",
            "peak RSS growth",
            "min – max",
            "upload time",
            "parts",
            "peak concurrency",
            "parts listed sorted",
            "fake (parent) growth, max",
        ],
        rows=rows,
        verdicts=[
            Verdict(
                "facade ≤ 64 MiB peak RSS growth",
                f"{facade_mib:.1f} MiB ({times(ratio(growth['facade'], growth['fal_client']))} fal-client)",
                facade_mib <= limit,
            )
        ],
        notes=[
            _verification_note(runs),
            "The fake streams uploads through sha256 and spools parts to temporary files; its own peak "
            "growth in the parent is shown to prove it does not buffer whole files.",
        ],
    )


# -- character updates ---------------------------------------------------------------------------

# facade contender -> its like-for-like raw baseline (same headers on the wire, same concurrency model).
UPDATE_BASELINES = {"facade_sync": "httpx_sync", "facade_async": "httpx_async"}
# Contenders measured side by side in one child: sync clients together, async clients on one event loop.
UPDATE_GROUPS = (("facade_sync", "httpx_sync", "httpx_sync_bare"), ("facade_async", "httpx_async"))
UPDATE_CONTENDERS = tuple(c for group in UPDATE_GROUPS for c in group)
UPDATE_PAIRS = (
    *UPDATE_BASELINES.items(),
    ("facade_sync", "httpx_sync_bare"),
    ("httpx_sync", "httpx_sync_bare"),
)
UPDATE_BLOCK = 100


def update_run(
    group: Sequence[str], sizes: Sizes, *, task: str = "update", block: int = UPDATE_BLOCK
) -> dict[str, Any]:
    """One verified child run of sequential updates, against a fresh fake (its idempotency ledger empty)."""
    calls, warmup = sizes.update_calls, sizes.update_warmup
    block = min(block, calls)
    with FakeFal.serve() as fake:
        character_id = str(fake.add_character(name="bench", description="benchmark character")["id"])
        fake.reset()
        job = Job(
            task,
            endpoint_of(fake),
            group[0],
            character_id=character_id,
            calls=calls,
            warmup=warmup,
            group=list(group),
            block=block,
        )
        result = run_child(job)
        counts = fake.counts
        final_name = fake.characters[character_id]["name"]
    expected = (calls // block * block + warmup) * len(group) if task == "update" else calls + warmup
    check(
        counts == Counter({"updateAssetCharacter": expected}),
        f"{group}: expected {expected} updateAssetCharacter requests, the fake saw {dict(counts)}",
    )
    last = block if task == "update" else calls
    check(final_name == f"bench {last - 1}", f"{group}: the last update did not stick")
    return result


def case_update(sizes: Sizes, workdir: Path) -> CaseResult:
    block = min(UPDATE_BLOCK, sizes.update_calls)
    calls = sizes.update_calls // block * block
    timings: dict[str, list[float]] = {c: [] for c in UPDATE_CONTENDERS}
    # Ratios of blocks run in the same round of the same child: the load they saw was nearly the same.
    paired: dict[tuple[str, str], list[float]] = {pair: [] for pair in UPDATE_PAIRS}
    for _ in range(sizes.repeats):
        for group in UPDATE_GROUPS:
            blocks: dict[str, list[float]] = update_run(group, sizes)["blocks"]
            for contender, block_times in blocks.items():
                timings[contender].append(sum(block_times))
            for (ours, theirs), values in paired.items():
                if ours in blocks:
                    values += [a / b for a, b in zip(blocks[ours], blocks[theirs], strict=True)]
    summary = {c: Summary.of(timings[c]) for c in UPDATE_CONTENDERS}
    ratios = {pair: Summary.of(values) for pair, values in paired.items()}
    verdicts = []
    profiles: list[str] = []
    for facade, raw in UPDATE_BASELINES.items():
        value = ratios[facade, raw].median
        cause = ""
        if value > 1.15:
            profile = {c: update_run([c], sizes, task="profile_update") for c in (facade, raw)}
            cause = _profile_cause(facade, raw, profile, summary, calls)
            profiles.append(_profile_details(facade, raw, profile))
        verdicts.append(
            Verdict(
                f"{CONTENDER_LABELS[facade]} ≤ 1.15× {CONTENDER_LABELS[raw]}",
                times(value),
                value <= 1.15,
                cause,
            )
        )
    rows = [
        [
            CONTENDER_LABELS[c],
            seconds(summary[c].median),
            spread(summary[c], seconds),
            micros(summary[c].median / calls),
            _paired(ratios[c, UPDATE_BASELINES[c]]) if c in UPDATE_BASELINES else "—",
            _paired(ratios[c, "httpx_sync_bare"]) if (c, "httpx_sync_bare") in ratios else "—",
        ]
        for c in UPDATE_CONTENDERS
    ]
    key_cost = ratios["httpx_sync", "httpx_sync_bare"].median
    return CaseResult(
        key="update",
        title=f"`characters.update()` round trip, {calls:,} calls",
        setup=(
            f"{calls:,} sequential `PATCH /assets/characters/{{id}}` (a new name each call) per contender, "
            f"0 ms injected latency, after {sizes.update_warmup} warm-up calls each. Contenders that are "
            "compared run in the same child against the same fresh fake, in alternating blocks of "
            f"{min(UPDATE_BLOCK, calls)} calls (order rotated per block), so that other load on the machine "
            "weighs on them alike: the sync clients together, the async clients on one event loop; "
            f"{sizes.repeats} such children per group. Totals are per child; ratios are the median (and "
            "interquartile range) of the per-round ratios of blocks run back to back, which a burst of "
            "other load cannot tilt the way it can tilt a total. The raw baselines send the same JSON with "
            "the same `Idempotency-Key` header the facade sends and decode the JSON reply; the facade also "
            "validates, runs its retry loop and parses the reply into `Character`. The bare PATCH (no "
            "Idempotency-Key) shows what the key costs the server."
        ),
        columns=[
            "contender",
            "total, median",
            "min – max",
            "per call",
            "÷ like-for-like raw (paired, IQR)",
            "÷ bare raw PATCH (paired, IQR)",
        ],
        rows=rows,
        verdicts=verdicts,
        notes=[
            "Verified on every run: the fake saw exactly the expected number of "
            "`updateAssetCharacter` requests "
            "and nothing else (so no retries), and the last name written stuck.",
            f"With the same raw PATCH, sending an Idempotency-Key costs {times(key_cost)} the time of not "
            "sending one on this fake: `FakeFal`'s idempotency ledger scans every stored record on each "
            "keyed write (`IdempotencyLedger._expire`), so its cost grows with the writes a fake has seen.",
        ],
        details=profiles,
    )


def _paired(summary: Summary) -> str:
    low, high = summary.iqr
    return f"{times(summary.median)} ({low:.2f}–{high:.2f})"


def _per_call_packages(profile: dict[str, Any]) -> dict[str, float]:
    calls = int(profile["calls"])
    return {package: total / calls for package, total in profile["by_package"].items()}


def _profile_cause(
    facade: str, raw: str, profile: dict[str, dict[str, Any]], summary: dict[str, Summary], calls: int
) -> str:
    ours, theirs = _per_call_packages(profile[facade]), _per_call_packages(profile[raw])
    extra = {p: ours.get(p, 0.0) - theirs.get(p, 0.0) for p in set(ours) | set(theirs)}
    worst = sorted(extra.items(), key=lambda item: item[1], reverse=True)[:4]
    gap = (summary[facade].median - summary[raw].median) / calls
    return (
        f"the facade spends {micros(gap)} more per call (medians). cProfile own time per call, facade minus "
        "raw: " + ", ".join(f"{package} +{micros(value)}" for package, value in worst) + " (profile below)."
    )


def _profile_details(facade: str, raw: str, profile: dict[str, dict[str, Any]]) -> str:
    ours, theirs = _per_call_packages(profile[facade]), _per_call_packages(profile[raw])
    packages = sorted(
        set(ours) | set(theirs), key=lambda p: ours.get(p, 0.0) - theirs.get(p, 0.0), reverse=True
    )
    lines = [
        f"Profile of {CONTENDER_LABELS[facade]} vs {CONTENDER_LABELS[raw]} "
        f"(cProfile, {profile[facade]['calls']} calls; own time per call by package, profiler overhead "
        "included):",
        "",
        *table(
            ["package", "facade", "raw", "difference"],
            [
                [
                    p,
                    micros(ours.get(p, 0.0)),
                    micros(theirs.get(p, 0.0)),
                    micros(ours.get(p, 0.0) - theirs.get(p, 0.0)),
                ]
                for p in packages
            ],
        ),
        "",
        "Facade functions with the most own time:",
        "",
        *table(
            ["function", "calls", "own time", "cumulative"],
            [
                [f"`{f['function']}`", str(f["ncalls"]), millis(f["tottime"]), millis(f["cumtime"])]
                for f in profile[facade]["top"]
            ],
        ),
    ]
    return "\n".join(lines)


# -- import time ---------------------------------------------------------------------------------

_IMPORT_PROBE = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


def _import_env(pycache: Path) -> dict[str, str]:
    """Bytecode caching on, into a private prefix: every module is then imported from a warm cache, as a
    user's installed packages are, even where this environment sets PYTHONDONTWRITEBYTECODE (which would
    leave an editable install compiling from source on every import while pip-installed ones do not)."""
    env = child_env(pythonpath=False)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def _import_once(module: str, cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE.format(module=module)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=True,
    )
    return float(proc.stdout.strip()), time.perf_counter() - started


def importtime_by_module(module: str, cwd: Path, env: dict[str, str]) -> dict[str, float]:
    """Self time of every module `import module` loads (-X importtime), in seconds."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=True,
    )
    modules: dict[str, float] = {}
    for line in proc.stderr.splitlines():
        fields = line.split("|")
        self_us = fields[0].rsplit(":", 1)[-1].strip()
        if len(fields) == 3 and self_us.isdigit():
            modules[fields[2].strip()] = int(self_us) / 1e6
    return modules


def by_package(modules: dict[str, float]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for name, value in modules.items():
        package = name.split(".")[0]
        totals[package] = totals.get(package, 0.0) + value
    return totals


def _median_of(runs: Sequence[dict[str, float]]) -> dict[str, float]:
    names = {name for run in runs for name in run}
    return {name: statistics.median(run.get(name, 0.0) for run in runs) for name in names}


def _own_heaviest(modules: dict[str, float], count: int = 6) -> list[tuple[float, str]]:
    ours = ("fal_assets", "fal_assets_api")
    return sorted(((v, n) for n, v in modules.items() if n.split(".")[0] in ours), reverse=True)[:count]


IMPORT_TOP = 12


def case_import(sizes: Sizes, workdir: Path) -> CaseResult:
    modules = ("fal_assets", "fal_client", "httpx")
    in_process: dict[str, list[float]] = {m: [] for m in modules}
    wall: dict[str, list[float]] = {m: [] for m in modules}
    cwd = workdir / "import"
    cwd.mkdir()
    env = _import_env(workdir / "pycache")
    for module in modules:
        _import_once(module, cwd, env)  # writes the bytecode cache; not measured
    for repeat in range(sizes.import_runs):
        for module in rotated(modules, repeat):
            inside, outside = _import_once(module, cwd, env)
            in_process[module].append(inside)
            wall[module].append(outside)
    summary = {m: Summary.of(in_process[m]) for m in modules}
    process = {m: Summary.of(wall[m]) for m in modules}
    rows = [
        [
            f"`import {m}`",
            millis(summary[m].median),
            spread(summary[m], millis),
            millis(process[m].median),
            "—" if m == "fal_assets" else times(ratio(summary["fal_assets"], summary[m])),
        ]
        for m in modules
    ]
    # One set of -X importtime runs per module serves both the package table and the module list.
    runs = range(sizes.import_runs)
    our_modules = _median_of([importtime_by_module("fal_assets", cwd, env) for _ in runs])
    their_modules = _median_of([importtime_by_module("fal_client", cwd, env) for _ in runs])
    ours, theirs = by_package(our_modules), by_package(their_modules)
    packages = sorted(
        set(ours) | set(theirs), key=lambda p: max(ours.get(p, 0.0), theirs.get(p, 0.0)), reverse=True
    )
    shown, rest = packages[:IMPORT_TOP], packages[IMPORT_TOP:]
    breakdown = "\n".join(
        [
            "Where the time goes (`-X importtime` self time per module, median of "
            f"{sizes.import_runs} run(s), summed per top-level package):",
            "",
            *table(
                ["package", "import fal_assets", "import fal_client"],
                [[f"`{p}`", millis(ours.get(p, 0.0)), millis(theirs.get(p, 0.0))] for p in shown]
                + [
                    [
                        f"{len(rest)} others",
                        millis(sum(ours.get(p, 0.0) for p in rest)),
                        millis(sum(theirs.get(p, 0.0) for p in rest)),
                    ],
                    ["**total**", millis(sum(ours.values())), millis(sum(theirs.values()))],
                ],
            ),
        ]
    )
    value = ratio(summary["fal_assets"], summary["fal_client"])
    passed = value <= 1.0
    extra = sorted(((ours.get(p, 0.0) - theirs.get(p, 0.0), p) for p in packages), reverse=True)[:5]
    cause = (
        ""
        if passed
        else (
            "packages costing fal_assets more than fal_client (importtime self time): "
            + ", ".join(f"`{p}` +{millis(d)}" for d, p in extra if d > 0)
            + "; heaviest modules of fal-assets itself (generated client included): "
            + ", ".join(f"`{name}` {millis(value)}" for value, name in _own_heaviest(our_modules))
            + " (breakdown below)."
        )
    )
    floor = millis(summary["httpx"].median)
    notes = [f"`fal_assets` imports httpx itself, so `import httpx` ({floor}) is its floor."]
    cli_extras = sum(ours.get(p, 0.0) for p in ("rich", "click", "pygments"))
    if cli_extras > 0.002:
        notes.append(
            "`import httpx` loads `click`, `rich` and `pygments` (for its CLI, `httpx._main`) whenever they "
            f"are installed, as they are in this dev environment: about {millis(cli_extras)} of every figure "
            "above, paid by both clients alike."
        )
    return CaseResult(
        key="import",
        title="Import time",
        setup=(
            f"A fresh interpreter per import, bytecode cache warm, median of {sizes.import_runs} "
            "(order rotated). The import is timed inside the child with `perf_counter`; the whole process's "
            "wall time (interpreter start included) is shown alongside."
        ),
        columns=["statement", "median", "min – max", "process wall (median)", "fal_assets ÷ this"],
        rows=rows,
        verdicts=[Verdict("`import fal_assets` ≤ `import fal_client`", times(value), passed, cause)],
        notes=notes,
        details=[breakdown],
    )


# -- dedupe --------------------------------------------------------------------------------------


def case_dedupe(sizes: Sizes, workdir: Path) -> CaseResult:
    count = sizes.dedupe_files
    files = make_files(workdir / "dedupe", count, sizes.file_size, tag="ref")
    with FakeFal.serve() as fake:
        endpoint = endpoint_of(fake)
        character_id = str(fake.add_character(name="dedupe", description="benchmark character")["id"])
        fake.reset()
        fake.latency = sizes.latency
        result = run_child(
            Job("dedupe", endpoint, "facade", paths=[str(f.path) for f in files], character_id=character_id)
        )
        log = fake.requests
        stored = fake.files
    patches = [i for i, r in enumerate(log) if r.operation == "updateAssetCharacter"]
    check(len(patches) == 2, f"dedupe: expected 2 updateAssetCharacter requests, saw {len(patches)}")
    phases = [log[: patches[0] + 1], log[patches[0] + 1 : patches[1] + 1]]
    references: list[list[str]] = result["references"]
    check(references[0] == references[1], "dedupe: the second update resolved to different reference URLs")
    wanted = sorted(f.sha256 for f in files)
    for url in references[0]:
        check(url in stored, f"dedupe: reference {url!r} is not a file the fake stored")
    check(
        sorted(stored[u].sha256 for u in references[0]) == wanted,
        "dedupe: referenced files differ from the sources",
    )
    rows = []
    uploaded: list[int] = []
    for number, phase in enumerate(phases, 1):
        upload_bytes = sum(r.body_size for r in phase if r.operation in UPLOAD_OPS)
        uploaded.append(upload_bytes)
        ops = Counter(r.operation for r in phase)
        rows.append(
            [
                "first `update()`" if number == 1 else "second `update()`, same files",
                f"{upload_bytes:,}",
                str(sum(n for op, n in ops.items() if op in UPLOAD_OPS)),
                str(ops["storageToken"]),
                str(len(phase)),
                seconds(result["seconds"][number - 1]),
            ]
        )
    return CaseResult(
        key="dedupe",
        title=f"Second `update()` with the same {count} files",
        setup=(
            f"One `FalAssets` client calls `characters.update(id, reference_images=[{count} local files of "
            f"{_size(sizes.file_size)}])` twice; bytes are what the fake received in upload bodies between "
            f"the PATCHes. {sizes.latency * 1000:.0f} ms latency per request."
        ),
        columns=["call", "bytes uploaded", "upload requests", "token requests", "all requests", "time"],
        rows=rows,
        verdicts=[Verdict("0 bytes uploaded by the second call", f"{uploaded[1]:,} bytes", uploaded[1] == 0)],
        notes=[
            "Verified: both updates sent the same reference URLs, each stored with its source's sha256.",
        ],
    )


def _size(n: int) -> str:
    if n >= 1024 * MiB and n % (1024 * MiB) == 0:
        return f"{n // (1024 * MiB)} GiB"
    if n >= MiB and n % MiB == 0:
        return f"{n // MiB} MiB"
    return f"{n // 1024} KiB"


CASES: dict[str, Callable[[Sizes, Path], CaseResult]] = {
    "upload": case_upload,
    "scaling": case_scaling,
    "memory": case_memory,
    "update": case_update,
    "import": case_import,
    "dedupe": case_dedupe,
    "plan": case_plan,
}


def run_case(name: str, sizes: Sizes) -> CaseResult:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"fal-bench-{name}-") as tmp:
        result = CASES[name](sizes, Path(tmp))
    result.seconds = time.perf_counter() - started
    return result


__all__ = ["CASES", "BenchmarkError", "run_case"]
