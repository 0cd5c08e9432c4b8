"""Shared test setup.

Every API response any FakeFal produces during the whole run is checked (openapi-core) against openapi.yaml
where it has the operation, and always against fal's real published document (tests/fixtures), so the fake
cannot drift from either unnoticed; the session fails at its end if one did not conform.

Every client the suite makes, and every CLI it runs, reads replies strictly
(FAL_ASSETS_STRICT_RESPONSE_VALIDATION=1), so a fake reply that strays from the spec fails the test that got
it; tests of tolerant reading ask for it explicitly.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from fal_assets.testing import FakeFal, RecordedRequest
from openapi_core import OpenAPI
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.testing import MockRequest, MockResponse

from tests import paths

os.environ["FAL_ASSETS_STRICT_RESPONSE_VALIDATION"] = "1"

SPEC_PATH = paths.ROOT / "openapi.yaml"
FIXTURES = paths.FIXTURES
# The newest known version of fal's Platform API document, the one openapi.yaml follows (CI's
# `update-spec --check` reads it): its head, components and the paths under /assets and /storage.
# A sync replaces this file; see README, "Regenerating after a spec change".
FAL_DOCUMENT_PATH = FIXTURES / "fal-platform-v1-2026-09.json"
# The previous snapshot (2026-08-21), whole and unchanged: a fixture for the sync tests only.
FAL_PREVIOUS_DOCUMENT_PATH = FIXTURES / "fal-platform-v1.json"


def fal_assets_document() -> dict[str, Any]:
    """fal's document cut down to the Assets and Storage paths (its other paths are not this project's)."""
    document: dict[str, Any] = json.loads(FAL_DOCUMENT_PATH.read_text())
    document.pop("webhooks", None)
    document["paths"] = {
        path: item for path, item in document["paths"].items() if path.startswith(("/assets", "/storage"))
    }
    return document


def fal_operation_ids(document: Mapping[str, Any]) -> set[str]:
    """The operationIds of a document's Assets and Storage operations: every count a test needs."""
    return {
        operation["operationId"]
        for path, item in document["paths"].items()
        if path.startswith(("/assets", "/storage"))
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    }


class SpecResponseChecker:
    """A FakeFal response validator that records (never raises) what does not conform to the spec."""

    def __init__(self, spec_path: Path) -> None:
        self._openapi = OpenAPI.from_file_path(str(spec_path))
        self._fal = OpenAPI.from_dict(fal_assets_document())
        self._lock = threading.Lock()
        self.checked = 0
        self.violations: list[str] = []

    def __call__(self, request: RecordedRequest, headers: Mapping[str, str], body: bytes) -> None:
        # The spec's server is https://api.fal.ai/v1 and fake paths start with /v1, so this host matches.
        mock_request = MockRequest("https://api.fal.ai", request.method.lower(), request.path)
        content_type = headers.get("content-type", "application/json") if body else None
        mock_response = MockResponse(body, status_code=request.status, content_type=content_type)  # type: ignore[arg-type]
        # openapi.yaml may not have every operation of fal's document yet; fal's document has them all.
        errors = [
            ("openapi.yaml", e)
            for e in self._openapi.iter_response_errors(mock_request, mock_response)
            if not isinstance(e, PathError)
        ]
        errors += [("fal's document", e) for e in self._fal.iter_response_errors(mock_request, mock_response)]
        with self._lock:
            self.checked += 1
            for spec, error in errors:
                detail = f"{error!r} caused by {error.__cause__!r}" if error.__cause__ else repr(error)
                self.violations.append(
                    f"{request.method} {request.path} -> {request.status} ({spec}): {detail}"
                )


@pytest.fixture(scope="session", autouse=True)
def fake_responses_conform_to_spec() -> Iterator[SpecResponseChecker]:
    checker = SpecResponseChecker(SPEC_PATH)
    previous = FakeFal.default_response_validator
    FakeFal.default_response_validator = checker
    yield checker
    FakeFal.default_response_validator = previous
    if checker.violations:
        shown = "\n".join(checker.violations[:20])
        pytest.fail(f"{len(checker.violations)} FakeFal responses did not conform to the specs:\n{shown}")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
