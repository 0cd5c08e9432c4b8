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
    "fal_assets.resources.files",
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
        ("import fal_assets; fal_assets.FalAssets(api_key='k').files", "fal_assets.resources.files"),
        ("import fal_assets; fal_assets.FalAssets(api_key='k')._api.uploads", "fal_assets._uploads.sync"),
        ("import fal_assets; fal_assets.AsyncFalAssets(api_key='k')._api.uploads", "asyncio"),
        ("import fal_assets; fal_assets.UploadProgress", "fal_assets._uploads.progress"),
    ],
)
def test_upload_engine_loads_on_first_use(code: str, module: str) -> None:
    assert loaded_after(code)[module] is True


# -- lazy loading: what `import fal_assets`, a client and `fal-assets --help` load ------------------------

HTTP = ["httpx", "httpcore", "ssl", "h11"]
GENERATED = ["fal_assets_api", "attr", "attrs", "dateutil"]
FACADE_WORK = [
    "fal_assets._client",
    "fal_assets.resources.characters",
    "fal_assets._core.operations",
    "fal_assets.cli.output",
]


def modules_after(code: str) -> set[str]:
    # The probe itself imports nothing (no json): what it reports is what `code` loaded.
    script = f"import sys\n{code}\nsys.stdout.write('\\nMODULES ' + ' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    return set(out.rsplit("MODULES ", 1)[1].split())


def test_import_fal_assets_loads_neither_http_nor_the_generated_client() -> None:
    loaded = modules_after("import fal_assets")
    assert loaded.isdisjoint([*HTTP, *GENERATED, *FACADE_WORK]), loaded & {*HTTP, *GENERATED, *FACADE_WORK}


def test_constructing_a_client_loads_http_but_not_the_generated_client_or_resources() -> None:
    loaded = modules_after("from fal_assets import FalAssets, AsyncFalAssets\nFalAssets(api_key='k')")
    assert {"httpx", "fal_assets._client"} <= loaded
    assert loaded.isdisjoint([*GENERATED, "fal_assets.resources.characters", "fal_assets._core.operations"])
    # The first use of a resource brings what it needs.
    used = modules_after("from fal_assets import FalAssets\nFalAssets(api_key='k').characters")
    assert {"fal_assets.resources.characters", "fal_assets_api.models.character", "attr"} <= used


def test_one_generated_model_does_not_load_them_all() -> None:
    loaded = modules_after("import fal_assets_api.models.character")
    assert "fal_assets_api.models.collection_tree" not in loaded and "fal_assets_api.client" not in loaded
    lazily = modules_after(
        "from fal_assets_api.models import CollectionTree\nimport fal_assets_api as api\napi.Client"
    )
    assert {"fal_assets_api.models.collection_tree", "fal_assets_api.client"} <= lazily


def test_lazy_names_are_the_real_objects_and_listed() -> None:
    import fal_assets
    from fal_assets._client import FalAssets
    from fal_assets_api.models.character import Character
    from fal_assets_api.types import UNSET

    assert fal_assets.FalAssets is FalAssets and fal_assets.Character is Character
    assert fal_assets.UNSET is UNSET
    assert set(fal_assets.__all__) <= set(dir(fal_assets))
    with pytest.raises(AttributeError):
        _ = fal_assets.NoSuchName  # type: ignore[attr-defined]


def test_cli_help_loads_no_http_machinery() -> None:
    code = (
        "from fal_assets.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit as exit:\n    assert exit.code == 0\n"
        "try:\n    main(['characters', 'update', '--help'])\n"
        "except SystemExit as exit:\n    assert exit.code == 0"
    )
    loaded = modules_after(code)
    baseline = modules_after("pass")
    assert loaded.isdisjoint([*HTTP, *GENERATED, *FACADE_WORK, "asyncio", "logging", "pathlib", "json"])
    assert "typing" not in loaded or "typing" in baseline
