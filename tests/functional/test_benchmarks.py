"""Guard against rot in benchmarks/: the quick run must produce a complete report. No timing assertions."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fal_assets.testing import FakeFal

from benchmarks._cases import CASES, _profile_details, update_run
from benchmarks._files import MiB, make_sparse_file
from benchmarks._protocol import PACKAGE_ROOT, ChildError, Endpoint, Job, run_child
from benchmarks._sizes import QUICK
from benchmarks._stats import Summary

CASE_COUNT = len(CASES)


def quick_run(output: Path, *args: str) -> str:
    """The report of `python -m benchmarks --quick ARGS`, which must succeed."""
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", *args, "--output", str(output)],
        cwd=PACKAGE_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return output.read_text()


@pytest.fixture(scope="module")
def quick_report(tmp_path_factory: pytest.TempPathFactory) -> str:
    return quick_run(tmp_path_factory.mktemp("bench") / "report.md")


def sections(report: str) -> dict[str, str]:
    parts = re.split(r"^## ", report, flags=re.MULTILINE)[1:]
    return {part.splitlines()[0]: part for part in parts}


def table_rows(section: str) -> list[list[str]]:
    """Data rows of the first table in a section."""
    lines: list[str] = []
    for line in section.splitlines():
        if line.startswith("|"):
            lines.append(line)
        elif lines:
            break
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


def test_quick_report_has_header(quick_report: str) -> None:
    assert quick_report.startswith("# fal-assets benchmarks")
    for label in ("Command:", "Date:", "Machine:", "Python:", "Versions:", "Load average:", "Total runtime:"):
        assert f"**{label}**" in quick_report
    assert "`python -m benchmarks --quick`" in quick_report
    assert "fal-client 1.0.3" in quick_report


def test_quick_report_has_a_section_with_table_and_verdict_per_case(quick_report: str) -> None:
    found = sections(quick_report)
    numbered = [title for title in found if re.match(r"\d+\. ", title)]
    assert len(numbered) == CASE_COUNT, numbered
    for title in numbered:
        section = found[title]
        assert table_rows(section), f"{title}: no table rows"
        assert re.search(r"^- Target .+ → (pass|\*\*MISS\*\*)$", section, re.MULTILINE), title


def test_summary_lists_every_verdict(quick_report: str) -> None:
    summary = sections(quick_report)["Summary"]
    verdict_lines = re.findall(r"^- Target .+ → (pass|\*\*MISS\*\*)$", quick_report, re.MULTILINE)
    rows = table_rows(summary)
    assert len(rows) == len(verdict_lines) >= CASE_COUNT
    assert all(row[-1] in ("pass", "**MISS**") for row in rows)


def test_every_miss_states_a_measured_cause(quick_report: str) -> None:
    lines = quick_report.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("- Target ") and line.endswith("**MISS**"):
            assert lines[index + 1].startswith("  - Cause (measured): "), line


def test_upload_case_compares_all_three_contenders_and_verifies_the_fake_saw_them(quick_report: str) -> None:
    upload = next(s for t, s in sections(quick_report).items() if "Upload 3 ×" in t)
    contenders = [row[0] for row in table_rows(upload)]
    assert contenders == [
        "fal-assets `files.upload_many`",
        "fal-client `upload_file` loop",
        "raw httpx (1 pooled client, same concurrency)",
    ]
    # Client construction and the upload phase are reported apart, each against raw httpx.
    assert "client construction" in table_section_header(upload) and "upload phase" in table_section_header(
        upload
    )
    assert "Client construction, facade ÷ raw httpx (paired)" in upload
    # fal-client really went to the fake: its token and uploads were counted there.
    assert "fal_client: {'cdnUpload': 3, 'storageToken': 1}" in upload


def table_section_header(section: str) -> str:
    return next(line for line in section.splitlines() if line.startswith("|"))


def test_small_files_and_concurrency_cases_are_reported(quick_report: str) -> None:
    found = sections(quick_report)
    small = next(s for t, s in found.items() if "Upload 6 × 16 KiB" in t)
    assert [row[0] for row in table_rows(small)] == [
        "fal-assets `files.upload_many`",
        "raw httpx (1 pooled client, same concurrency)",
    ]
    concurrency = next(s for t, s in found.items() if "Default upload concurrency" in t)
    assert "concurrency 8" in table_section_header(concurrency)
    assert "concurrency 16" in table_section_header(concurrency)


def test_memory_case_measures_the_facade_raw_httpx_and_fal_client_in_children(quick_report: str) -> None:
    memory = next(s for t, s in sections(quick_report).items() if "multipart: time, CPU and peak memory" in t)
    rows = table_rows(memory)
    assert [row[0] for row in rows] == [
        "fal-assets `files.upload`",
        "raw httpx, same parts and concurrency",
        "fal-client `upload_file`",
    ]
    assert all(re.fullmatch(r"\d+\.\d MiB", row[1]) for row in rows)
    assert "VmHWM" in memory
    assert "wall time ≤ 1.10× the raw client" in memory and "CPU time ≤ 1.20× the raw client" in memory


def test_update_and_import_cases_cover_their_baselines(quick_report: str) -> None:
    found = sections(quick_report)
    update = next(s for t, s in found.items() if "characters.update()" in t)
    assert len(table_rows(update)) == 5
    imports = next(s for t, s in found.items() if "Import time" in t)
    assert [row[0] for row in table_rows(imports)] == [
        "`import fal_assets`",
        "`from fal_assets import FalAssets`",
        "`import fal_client`",
        "`import httpx`",
    ]
    help_section = next(s for t, s in found.items() if "fal-assets --help" in t)
    assert [row[0] for row in table_rows(help_section)] == ["`fal-assets --help`", "`python -c pass`"]


def test_dedupe_case_reports_bytes_for_both_calls(quick_report: str) -> None:
    dedupe = next(s for t, s in sections(quick_report).items() if "Second `update()`" in t)
    first, second = table_rows(dedupe)[:2]
    assert int(first[1].replace(",", "")) == 3 * 64 * 1024  # every byte of the 3 files, once
    assert re.fullmatch(r"[\d,]+", second[1])


def test_guard_refuses_non_loopback_and_allows_loopback() -> None:
    script = textwrap.dedent(
        """
        import socket
        from benchmarks import _guard
        _guard.install()
        server = socket.create_server(("127.0.0.1", 0))
        socket.create_connection(server.getsockname(), timeout=2).close()
        for attempt in (lambda: socket.getaddrinfo("rest.fal.ai", 443),
                        lambda: socket.create_connection(("192.0.2.1", 443), timeout=2),
                        lambda: socket.socket().connect(("192.0.2.1", 443))):
            try:
                attempt()
            except _guard.NetworkGuardError:
                pass
            else:
                raise SystemExit("not refused")
        print(len(_guard.blocked))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PACKAGE_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "3"


def test_fal_client_left_on_its_real_hosts_is_stopped_by_the_guard(tmp_path: Path) -> None:
    source = tmp_path / "one.png"
    source.write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 100)
    with FakeFal.serve() as fake:
        production = Endpoint(
            api_key=fake.api_key,
            api_base_url=fake.api_base_url,
            storage_base_url="https://rest.fal.ai",
            cdn_base_url="https://v3.fal.media",
            fal_hosts=["v3.fal.media"],
        )
        with pytest.raises(ChildError, match="network guard"):
            run_child(Job("upload", production, "fal_client", paths=[str(source)]), timeout=120)
        assert sum(fake.counts.values()) == 0


def test_sparse_file_is_real_content_with_distinct_mebibytes(tmp_path: Path) -> None:
    size = 3 * MiB + 5
    source = make_sparse_file(tmp_path / "big.bin", size)
    data = source.path.read_bytes()
    assert source.size == len(data) == size
    assert source.sha256 == hashlib.sha256(data).hexdigest()
    blocks = [data[offset : offset + MiB] for offset in range(0, size, MiB)]
    assert len(set(blocks)) == len(blocks)


def test_summary_statistics() -> None:
    summary = Summary.of([5.0, 1.0, 3.0, 2.0, 4.0])
    assert (summary.median, summary.low, summary.high, summary.runs) == (3.0, 1.0, 5.0, 5)
    assert summary.iqr == (2.0, 4.0)
    assert Summary.of([2.0, 9.0]).iqr == (2.0, 9.0)
    assert summary.deciles == (1.0, 5.0)  # fewer than 10 runs: the extremes
    assert Summary.of([float(n) for n in range(1, 12)]).deciles == (2.0, 10.0)
    with pytest.raises(ValueError, match="no measurements"):
        Summary.of([])


def test_update_profile_attributes_time_to_packages() -> None:
    # The profile only runs when the update target is missed, so the quick run may never reach it.
    profile = update_run(["facade_sync"], QUICK, task="profile_update")
    assert profile["calls"] == QUICK.update_calls
    assert profile["by_package"]["fal_assets"] > 0
    assert profile["by_package"]["httpx"] > 0
    assert len(profile["top"]) == 12
    raw = update_run(["httpx_sync"], QUICK, task="profile_update")
    assert "fal_assets" not in raw["by_package"]
    rendered = _profile_details("facade_sync", "httpx_sync", {"facade_sync": profile, "httpx_sync": raw})
    assert "| fal_assets |" in rendered


def test_plan_case_reports_requests_and_time_of_plan(quick_report: str) -> None:
    plan = next(s for t, s in sections(quick_report).items() if "unchanged characters" in t)
    rows = table_rows(plan)
    assert [row[0] for row in rows] == [
        "`characters.plan(manifest)`",
        "baseline: `list(characters.iter(page_size=100))` only",
    ]
    assert rows[0][1:3] == ["1", "listAssetCharacters 1"]  # 30 characters: one page, nothing else
    assert re.fullmatch(r"\d+ ms", rows[0][3])


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs Linux CPU affinity")
def test_cores_pins_the_run_and_says_so(tmp_path: Path) -> None:
    report = quick_run(tmp_path / "report.md", "--only", "help", "--cores", "1")
    assert "`python -m benchmarks --quick --only help --cores 1`" in report
    assert re.search(r"\*\*Cores:\*\* 1 of \d+ \(pinned with --cores\)", report)
