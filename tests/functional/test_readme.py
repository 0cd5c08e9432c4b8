"""The README's examples for testing with FakeFal pass when copied, as a newcomer copies them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests import paths

ROOT = paths.ROOT


def section_blocks(heading: str, language: str) -> list[str]:
    text = (ROOT / "README.md").read_text()
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return re.findall(rf"```{language}\n(.*?)```", text[start:end], flags=re.DOTALL)


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAL_")}
    env["PATH"] = (
        f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # fal-assets, as installed
    )
    return env


def test_the_testing_section_python_examples_pass_when_copied(tmp_path: Path) -> None:
    blocks = section_blocks("Testing your code with `FakeFal`", "python")
    scripts = [b for b in blocks if "def test_" not in b]
    tests = [b for b in blocks if "def test_" in b]
    assert scripts and tests
    for script in scripts:
        ran = subprocess.run(
            [sys.executable, "-c", script], cwd=tmp_path, env=clean_env(), capture_output=True, text=True
        )
        assert ran.returncode == 0, ran.stderr
    (tmp_path / "test_copied.py").write_text("\n\n".join(tests))
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_copied.py"],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    passed = re.search(r"\b(\d+) passed\b", ran.stdout)
    assert passed and int(passed.group(1)) == sum(b.count("def test_") for b in tests), ran.stdout


def test_the_testing_section_shell_example_runs(tmp_path: Path) -> None:
    (block,) = section_blocks("Testing your code with `FakeFal`", "bash")
    ran = subprocess.run(
        ["bash", "-e", "-c", block],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr
    assert "no characters" in ran.stdout
