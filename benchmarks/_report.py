"""The results model and its Markdown rendering."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from benchmarks._stats import Summary


@dataclass(frozen=True)
class Verdict:
    target: str
    measured: str
    passed: bool
    cause: str = ""

    @property
    def label(self) -> str:
        return "pass" if self.passed else "**MISS**"


@dataclass
class CaseResult:
    key: str
    title: str
    setup: str
    columns: list[str]
    rows: list[list[str]]
    verdicts: list[Verdict]
    notes: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True)
class Header:
    command: str
    mode: str
    date: str
    machine: list[tuple[str, str]]
    runtime_seconds: float


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"


def millis(value: float) -> str:
    return f"{value * 1000:.1f} ms"


def micros(value: float) -> str:
    return f"{value * 1e6:.0f} µs"


def mib(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB"


def spread(summary: Summary, fmt: Callable[[float], str]) -> str:
    """min–max: with 5 runs or fewer the extremes are the honest spread; the IQR would hide them."""
    if summary.runs == 1:
        return "1 run"
    return f"{fmt(summary.low)} – {fmt(summary.high)}"


def times(value: float) -> str:
    return f"{value:.2f}×"


def table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def render(header: Header, cases: Sequence[CaseResult]) -> str:
    out = ["# fal-assets benchmarks", ""]
    out += [
        "Every figure below was measured side by side in one run against the served `FakeFal` on 127.0.0.1 "
        "(server in the benchmark process, each measured run in a fresh child interpreter).",
        "",
        f"- **Command:** `{header.command}` ({header.mode})",
        f"- **Date:** {header.date}",
    ]
    out += [f"- **{name}:** {value}" for name, value in header.machine]
    out += [f"- **Total runtime:** {header.runtime_seconds:.0f} s", ""]
    out += ["## Summary", ""]
    summary_rows = [
        [case.title, verdict.target, verdict.measured, verdict.label]
        for case in cases
        for verdict in case.verdicts
    ]
    out += table(["case", "target", "measured", "result"], summary_rows)
    for number, case in enumerate(cases, 1):
        out += ["", f"## {number}. {case.title}", "", case.setup, ""]
        out += table(case.columns, case.rows)
        out += [""]
        for verdict in case.verdicts:
            out.append(f"- Target {verdict.target}: measured {verdict.measured} → {verdict.label}")
            if verdict.cause:
                out.append(f"  - Cause (measured): {verdict.cause}")
        for note in case.notes:
            out.append(f"- {note}")
        for block in case.details:
            out += ["", block]
        out += ["", f"_Case runtime: {case.seconds:.1f} s._"]
    return "\n".join(out) + "\n"
