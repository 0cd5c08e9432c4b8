"""`fal-assets plan` / `fal-assets apply` as subprocesses against a served FakeFal: exit codes, the --json
plan document, confirmation, and an apply killed mid-run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from fal_assets.cli import EXIT_CHANGES
from fal_assets.testing import FakeFal

from tests.plan_support import by_identifier, uploads, write_cast, write_many, writes


def argv(fake: FakeFal, *args: str) -> list[str]:
    base = [sys.executable, "-m", "fal_assets", "--base-url", fake.api_base_url]
    return [*base, "--storage-url", fake.storage_base_url, *args]


def env(fake: FakeFal) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FAL_")}
    return {**clean, "FAL_KEY": fake.api_key}


def cli(fake: FakeFal, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv(fake, *args),
        env=env(fake),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_plan_exit_codes_json_document_and_confirmation(fal_fake: FakeFal, tmp_path: Path) -> None:
    write_cast(tmp_path)
    plain = cli(fal_fake, "plan", cwd=tmp_path)  # characters.toml in the working directory by default
    assert plain.returncode == 0, plain.stderr
    assert "+ create alice" in plain.stdout and "Plan: 2 to create, 0 to update" in plain.stdout
    assert cli(fal_fake, "plan", "--exit-code", cwd=tmp_path).returncode == EXIT_CHANGES == 10

    result = cli(fal_fake, "plan", "--json", cwd=tmp_path)
    doc: dict[str, Any] = json.loads(result.stdout)
    assert set(doc) >= {"format", "manifest", "lock", "prune", "has_changes", "summary", "changes", "uploads"}
    assert doc["format"] == "fal-assets-plan/1" and doc["has_changes"] is True
    assert doc["summary"] == {
        "create": 2,
        "update": 0,
        "delete": 0,
        "unchanged": 0,
        "upload_files": 5,
        "upload_bytes": sum(u["size"] for u in doc["uploads"]),
    }
    alice = doc["changes"][0]
    assert set(alice) >= {"action", "identifier", "id", "drift", "fields", "uploads"}
    assert (alice["action"], alice["identifier"], alice["id"]) == ("create", "alice", None)
    assert alice["fields"]["description"] == {"before": None, "after": "Red hair, blue jacket, freckles"}
    assert [i["label"] for i in alice["fields"]["reference_images"]["after"]] == [
        "alice/1.png",
        "alice/2.png",
    ]
    assert all(set(u) == {"path", "target", "size", "sha256"} for u in doc["uploads"])

    refused = cli(fal_fake, "apply", cwd=tmp_path)  # stdin is not a terminal, no --yes
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert writes(fal_fake) == {} and uploads(fal_fake) == {}

    done = cli(fal_fake, "apply", "--yes", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "created alice" in done.stderr and "created bob" in done.stderr  # progress goes to stderr
    again = cli(fal_fake, "plan", "--exit-code", str(tmp_path / "characters.toml"), cwd=Path("/"))
    assert again.returncode == 0 and "No changes" in again.stdout
    nothing = cli(fal_fake, "apply", cwd=tmp_path)  # nothing to confirm: no --yes needed
    assert nothing.returncode == 0 and "No changes" in nothing.stdout and nothing.stderr == ""

    (tmp_path / "characters.toml").write_text("[[character]]\nidentifier = 1\n")
    bad = cli(fal_fake, "plan", cwd=tmp_path)
    assert bad.returncode == 2 and "character[0]" in bad.stderr


def wait_for(condition: Any, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.005)


@pytest.mark.parametrize("how", ["kill", "interrupt"])
def test_apply_stopped_mid_run_converges_when_rerun(fal_fake: FakeFal, tmp_path: Path, how: str) -> None:
    count = 40
    write_many(tmp_path, count)
    fal_fake.latency = 0.15  # slow enough to stop it between the first and the last character
    proc = subprocess.Popen(
        argv(fal_fake, "apply", "--yes"),
        env=env(fal_fake),
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: fal_fake.writes_applied["createAssetCharacter"] >= 3)
        proc.send_signal(signal.SIGKILL if how == "kill" else signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == (-signal.SIGKILL if how == "kill" else 130), stderr
    created = fal_fake.writes_applied["createAssetCharacter"]
    assert 3 <= created < count
    lock_path = tmp_path / "characters.lock"
    if lock_path.exists():  # whatever it holds is whole, and true
        locked = json.loads(lock_path.read_text())["characters"]
        assert all(entry["id"] in fal_fake.characters for entry in locked.values())

    fal_fake.latency = 0.0
    rerun = cli(fal_fake, "apply", "--yes", cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    remote = by_identifier(fal_fake)
    assert len(remote) == count and all(len(ids) == 1 for ids in remote.values()), remote
    assert fal_fake.writes_applied["createAssetCharacter"] == count  # nothing was created twice
    locked = json.loads(lock_path.read_text())["characters"]
    assert {name: entry["id"] for name, entry in locked.items()} == {n: ids[0] for n, ids in remote.items()}
    assert cli(fal_fake, "plan", "--exit-code", cwd=tmp_path).returncode == 0
