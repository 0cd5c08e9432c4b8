"""`import fal_assets` stays light: the upload engine and asyncio load on first use."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = [
    "asyncio",
    "fal_assets._uploads.sync",
    "fal_assets._uploads.aio",
    "fal_assets._uploads.protocol",
    "fal_assets._uploads.progress",
    "fal_assets.files",
    "fal_assets.testing",
]


def loaded_after(code: str) -> dict[str, bool]:
    script = f"import sys\n{code}\nimport json; print(json.dumps({{m: m in sys.modules for m in {HEAVY!r}}}))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    result: dict[str, bool] = json.loads(out)
    return result


def test_import_does_not_load_the_upload_engine_or_asyncio() -> None:
    assert loaded_after("import fal_assets; fal_assets.FalAssets(api_key='k').characters") == dict.fromkeys(
        HEAVY, False
    )


@pytest.mark.parametrize(
    ("code", "module"),
    [
        ("import fal_assets; fal_assets.FalAssets(api_key='k').files", "fal_assets.files"),
        ("import fal_assets; fal_assets.FalAssets(api_key='k')._api.uploads", "fal_assets._uploads.sync"),
        ("import fal_assets; fal_assets.AsyncFalAssets(api_key='k')._api.uploads", "asyncio"),
        ("import fal_assets; fal_assets.UploadProgress", "fal_assets._uploads.progress"),
    ],
)
def test_upload_engine_loads_on_first_use(code: str, module: str) -> None:
    assert loaded_after(code)[module] is True
