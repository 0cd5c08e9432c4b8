"""Stoplight Prism for the conformance tests: installed from npm into .tools/prism by scripts/install-prism
(when that fails, the test fails: Prism is required, never skipped), started on a free loopback port, and
stopped however the test ends."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests import paths
from tests.library_support import TLS

STARTUP = 60.0  # seconds: a cold npx start on a loaded 2-core machine takes several


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prism_binary() -> str:
    installed = subprocess.run(
        [str(paths.ROOT / "scripts" / "install-prism")], capture_output=True, text=True
    )
    if installed.returncode != 0:
        pytest.fail(f"scripts/install-prism failed (Prism is required, not optional):\n{installed.stderr}")
    return installed.stdout.strip().splitlines()[-1]


@contextlib.contextmanager
def running_prism(*args: str, log_path: Path, probe: str, key: str) -> Iterator[str]:
    """`prism <args> -h 127.0.0.1 -p <free port>`, yielded as its URL once a GET of `probe` (a path) with
    `key` gets any reply; its output goes to `log_path`, quoted when it exits or does not start."""
    port = free_port()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [prism_binary(), *args, "-h", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=paths.ROOT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP
        with httpx.Client(verify=TLS, timeout=2, trust_env=False) as http:
            while True:
                if process.poll() is not None:
                    pytest.fail(f"Prism exited with {process.returncode}:\n{log_path.read_text()}")
                try:
                    http.get(f"{url}{probe}", headers={"Authorization": f"Key {key}"})
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        pytest.fail(
                            f"Prism did not start listening within {STARTUP:.0f} s:\n{log_path.read_text()}"
                        )
                    time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
