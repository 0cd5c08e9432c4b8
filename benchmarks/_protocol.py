"""What the parent and a benchmark child exchange: one JSON job on stdin, one JSON result on stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

RESULT_MARKER = "BENCH-RESULT "
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
# A child must never run with the parent's fal settings or a proxy: either could send it somewhere other
# than the fake this run is checking.
_SCRUBBED_ENV = ("FAL_", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@dataclass(frozen=True)
class Endpoint:
    """Where the served fake lives, as plain data a child can rebuild."""

    api_key: str
    api_base_url: str
    storage_base_url: str
    cdn_base_url: str
    fal_hosts: list[str]

    def facade_kwargs(self) -> dict[str, Any]:
        return {
            "api_key": self.api_key,
            "base_url": self.api_base_url,
            "storage_base_url": self.storage_base_url,
            "fal_hosts": frozenset(self.fal_hosts),
        }


@dataclass(frozen=True)
class UploadTuning:
    """Multipart thresholds for both clients; None keeps each library's own default."""

    multipart_threshold: int | None = None
    part_size: int | None = None
    concurrency: int | None = None


@dataclass(frozen=True)
class Job:
    task: str
    endpoint: Endpoint
    contender: str
    paths: list[str] = field(default_factory=list)
    tuning: UploadTuning = field(default_factory=UploadTuning)
    character_id: str = ""
    calls: int = 0
    warmup: int = 0
    # Upload each path with `files.upload` rather than all at once with `files.upload_many`.
    single: bool = False
    # Update contenders measured together in one child, alternating blocks of `block` calls.
    group: list[str] = field(default_factory=list)
    block: int = 0

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Job:
        raw = json.loads(text)
        raw["endpoint"] = Endpoint(**raw["endpoint"])
        raw["tuning"] = UploadTuning(**raw["tuning"])
        return cls(**raw)


class ChildError(RuntimeError):
    pass


def child_env(extra: dict[str, str] | None = None, *, pythonpath: bool = True) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(_SCRUBBED_ENV)}
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PACKAGE_ROOT), env.get("PYTHONPATH")]))
    env.update(extra or {})
    return env


# Children import from a warm bytecode cache, as installed packages do, even where the environment sets
# PYTHONDONTWRITEBYTECODE (an editable install would otherwise compile every module it loads on first use,
# inside the timings).
PYCACHE = Path(tempfile.gettempdir()) / "fal-assets-bench-pycache"


def run_child(job: Job, *, timeout: float = 600.0) -> dict[str, Any]:
    """Run `job` in a fresh interpreter and return its result; any failure in the child fails the run."""
    env = child_env({"FAL_KEY": job.endpoint.api_key, "PYTHONPYCACHEPREFIX": str(PYCACHE)})
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks._worker"],
        input=job.to_json(),
        capture_output=True,
        text=True,
        env=env,
        cwd=PACKAGE_ROOT,
        timeout=timeout,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_MARKER)]
    if proc.returncode != 0 or not lines:
        raise ChildError(
            f"benchmark child {job.task}/{job.contender} failed (exit {proc.returncode}):\n"
            + proc.stderr[-4000:]
        )
    result: dict[str, Any] = json.loads(lines[-1][len(RESULT_MARKER) :])
    return result
