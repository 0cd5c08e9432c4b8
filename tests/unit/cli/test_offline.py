"""`fal-assets fake` and `python -m fal_assets.testing`: a served FakeFal for CLI and other-language tests,
driven as a user would, from another process."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fal_assets.testing import FakeFal
from fal_assets.testing._png import TINY_PNG

from tests.prism_support import free_port

FAL_ASSETS = [sys.executable, "-m", "fal_assets"]
TESTING = [sys.executable, "-m", "fal_assets.testing"]


@contextmanager
def served(argv: list[str]) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """Start the command; yield it with its first stdout line (printed once it serves)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAL_")}
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first, process.stderr.read() if process.stderr else ""
        yield process, first
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def stop(process: subprocess.Popen[str], sig: int = signal.SIGINT) -> tuple[int, str, str]:
    process.send_signal(sig)
    out, err = process.communicate(timeout=10)
    return process.returncode, out, err


@pytest.fixture
def seeds(tmp_path: Path) -> tuple[Path, Path]:
    images = tmp_path / "images"
    images.mkdir()
    for name in ("a.png", "b.png"):
        (images / name).write_bytes(TINY_PNG)
    (images / "notes.txt").write_text("not an image")
    manifest = tmp_path / "characters.toml"
    manifest.write_text(
        '[[character]]\nidentifier = "alice"\nname = "Alice"\ndescription = "Red hair"\n'
        'references = ["images/a.png"]\n'
    )
    return images, manifest


def test_python_m_serves_seeded_until_ctrl_c_and_the_cli_talks_to_it(seeds: tuple[Path, Path]) -> None:
    images, manifest = seeds
    with served([*TESTING, "--json", "--seed", str(images), "--seed", str(manifest)]) as (process, first):
        found = json.loads(first)
        assert set(found) >= {"FAL_KEY", "FAL_ASSETS_BASE_URL", "FAL_ASSETS_STORAGE_URL", "cdn_base_url"}
        env = {**os.environ, **{k: v for k, v in found.items() if k.isupper()}}
        listed = subprocess.run(
            [*FAL_ASSETS, "characters", "list", "--json"], env=env, capture_output=True, text=True, timeout=60
        )
        assert listed.returncode == 0, listed.stderr
        (alice,) = json.loads(listed.stdout)
        assert alice["name"] == "Alice" and alice["character_identifier"] == "alice"
        assert alice["reference_images"][0].startswith(found["cdn_base_url"])
        with httpx.Client(trust_env=False) as http:
            assets = http.get(
                f"{found['FAL_ASSETS_BASE_URL']}/assets", headers={"Authorization": f"Key {found['FAL_KEY']}"}
            ).json()["assets"]
        assert sorted(a["title"] for a in assets) == ["a.png", "b.png"]  # the folder's images, not the .txt
        code, _, err = stop(process)
    assert code == 0 and "FakeFal stopped" in err


def test_fal_assets_fake_prints_urls_and_key_and_env_exports(tmp_path: Path) -> None:
    port = free_port()
    with served([*FAL_ASSETS, "fake", "--port", str(port), "--env", "--api-key", "test-key"]) as (
        process,
        first,
    ):
        lines = [first, process.stdout.readline(), process.stdout.readline()] if process.stdout else []
        exports = dict(shlex.split(line)[1].split("=", 1) for line in lines)
        assert exports == {
            "FAL_KEY": "test-key",
            "FAL_ASSETS_BASE_URL": f"http://127.0.0.1:{port}/v1",
            "FAL_ASSETS_STORAGE_URL": f"http://127.0.0.1:{port}",
        }
        # the exports are shell: source them and run the CLI
        (tmp_path / "fake.env").write_text("".join(lines))
        script = f". {shlex.quote(str(tmp_path / 'fake.env'))} && {shlex.join(FAL_ASSETS)} tags list --json"
        done = subprocess.run(["sh", "-c", script], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and json.loads(done.stdout) == [], done.stderr
        with httpx.Client(trust_env=False) as http:
            wrong = http.get(
                f"http://127.0.0.1:{port}/v1/assets/tags", headers={"Authorization": "Key other"}
            )
        assert wrong.status_code == 401  # --api-key is the only key accepted
        code, _, err = stop(process, signal.SIGTERM)
    assert code == 0
    assert f"http://127.0.0.1:{port}/v1" in err and "test-key" in err and "--storage-url" in err


def test_fake_latency_delays_replies() -> None:
    with served([*TESTING, "--json", "--latency", "0.3"]) as (process, first):
        found = json.loads(first)
        with httpx.Client(trust_env=False) as http:
            started = time.monotonic()
            reply = http.get(
                f"{found['FAL_ASSETS_BASE_URL']}/assets/tags",
                headers={"Authorization": f"Key {found['FAL_KEY']}"},
            )
            waited = time.monotonic() - started
        assert reply.status_code == 200 and waited >= 0.3
        stop(process)


def test_fake_refuses_bad_options_and_a_busy_port(seeds: tuple[Path, Path]) -> None:
    bad = subprocess.run([*FAL_ASSETS, "fake", "--latency", "-1"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "--latency" in bad.stderr
    missing = subprocess.run(
        [*FAL_ASSETS, "fake", "--seed", str(seeds[0] / "nope.toml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 2 and "nope.toml" in missing.stderr
    with FakeFal.serve() as busy:
        port = busy.storage_base_url.rsplit(":", 1)[1]
        taken = subprocess.run(
            [*FAL_ASSETS, "fake", "--port", port], capture_output=True, text=True, timeout=60
        )
    assert taken.returncode != 0 and f"127.0.0.1:{port}" in taken.stderr
