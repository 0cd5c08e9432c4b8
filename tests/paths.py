"""Where the tests find the repository (its root, the tests folder, the fixtures), wherever a test sits."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
