"""scripts/vendor: a vendored copy imports side by side with the installed package and talks to fal."""

from __future__ import annotations

import ast
import importlib.machinery
import importlib.util
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

from tests import paths

ROOT = paths.ROOT
VENDOR = ROOT / "scripts" / "vendor"
PREFIX = "mypkg._vendor"
# Any import statement of the top-level packages, also inside docstring examples: after vendoring the
# only way to reach fal_assets must be through the prefix.
UNPREFIXED = re.compile(r"^\s*(?:>>>\s*)?(?:from|import)\s+fal_assets(?:_api)?\b", re.MULTILINE)


def _load_vendor_module() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("fal_assets_vendor_script", str(VENDOR))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the module executes.
    sys.modules[loader.name] = module
    try:
        loader.exec_module(module)
    finally:
        del sys.modules[loader.name]
    return module


vendor = _load_vendor_module()


def run_vendor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(VENDOR), *args], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture(scope="module")
def vendored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("vendored")
    result = run_vendor(str(dest), "--prefix", PREFIX)
    assert result.returncode == 0, result.stderr
    for package in (dest / "mypkg", dest / "mypkg" / "_vendor"):
        (package / "__init__.py").write_text("")
    return dest


def test_copies_both_packages_with_every_source_file(vendored: Path) -> None:
    target = vendored / "mypkg" / "_vendor"
    for package, source in vendor.SOURCES.items():
        expected = {
            p.relative_to(source).as_posix()
            for p in source.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
        }
        copied = {
            p.relative_to(target / package).as_posix() for p in (target / package).rglob("*") if p.is_file()
        }
        copied.discard("VENDORED.txt")
        assert copied == expected, package
    assert (target / "fal_assets" / "py.typed").exists()
    assert (target / "fal_assets_api" / "py.typed").exists()


def test_no_unprefixed_import_remains(vendored: Path) -> None:
    target = vendored / "mypkg" / "_vendor"
    files = sorted(target.rglob("*.py"))
    assert len(files) > 20
    offenders = [
        f"{path.relative_to(vendored)}: {match.group(0).strip()}"
        for path in files
        for match in UNPREFIXED.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    for path in files:
        assert vendor.find_unprefixed(path.read_text(encoding="utf-8"), filename=str(path)) == []
    # The rewrite happened (rather than the imports vanishing): the facade reaches the generated client
    # through the prefix, and the generated client keeps its relative imports.
    operations = (target / "fal_assets" / "_core" / "operations.py").read_text(encoding="utf-8")
    assert "from mypkg._vendor.fal_assets_api.operations import Operation" in operations
    generated = (target / "fal_assets_api" / "models" / "character.py").read_text(encoding="utf-8")
    assert "from ..models.character_type import CharacterType" in generated
    # Logger names are names, not module paths: every copy logs as "fal_assets".
    engine = (target / "fal_assets" / "_core" / "engine.py").read_text(encoding="utf-8")
    assert 'logging.getLogger("fal_assets")' in engine


def test_vendored_copy_works_side_by_side_with_the_installed_package(vendored: Path) -> None:
    script = textwrap.dedent(
        f"""
        import json, sys
        sys.path.insert(0, {str(vendored)!r})
        REFS = ["019e6d0a-e5be-7b82-b329-35ae64296902"]
        import fal_assets
        import mypkg._vendor.fal_assets as vendored
        from fal_assets.testing import FakeFal

        with FakeFal.serve() as fake:
            with fal_assets.FalAssets(**fake.client_kwargs()) as installed_client:
                a = installed_client.characters.create(
                    name="installed", description="d", reference_images=REFS
                )
            with vendored.FalAssets(**fake.client_kwargs()) as vendored_client:
                b = vendored_client.characters.create(
                    name="vendored", description="d", reference_images=REFS
                )
                listed = sorted(c.name for c in vendored_client.characters.list())
                try:
                    vendored_client.characters.get("no-such-character")
                except Exception as exc:
                    error = exc
            print(json.dumps({{
                "installed_file": fal_assets.__file__,
                "vendored_file": vendored.__file__,
                "distinct_modules": vendored is not fal_assets,
                "distinct_clients": vendored.FalAssets is not fal_assets.FalAssets,
                "installed_character_module": type(a).__module__,
                "vendored_character_module": type(b).__module__,
                "listed": listed,
                "stored": sorted(c["name"] for c in fake.characters.values()),
                "error_is_vendored": isinstance(error, vendored.NotFoundError),
                "error_is_installed": isinstance(error, fal_assets.NotFoundError),
                "generated_modules": sorted(
                    m for m in sys.modules if m.endswith("fal_assets_api") or m.endswith("fal_assets")
                ),
            }}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False, cwd=vendored
    )
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["distinct_modules"] and info["distinct_clients"]
    assert Path(info["vendored_file"]).is_relative_to(vendored)
    assert not Path(info["installed_file"]).is_relative_to(vendored)
    assert info["installed_character_module"] == "fal_assets_api.models.character"
    assert info["vendored_character_module"] == "mypkg._vendor.fal_assets_api.models.character"
    assert info["listed"] == ["installed", "vendored"] == info["stored"]
    assert info["error_is_vendored"] and not info["error_is_installed"]
    assert info["generated_modules"] == [
        "fal_assets",
        "fal_assets_api",
        "mypkg._vendor.fal_assets",
        "mypkg._vendor.fal_assets_api",
    ]


def test_manifest_and_check(tmp_path: Path) -> None:
    assert run_vendor(str(tmp_path), "--prefix", "app.third_party").returncode == 0
    target = tmp_path / "app" / "third_party"
    manifest = (target / "fal_assets" / "VENDORED.txt").read_text()
    assert manifest.startswith("fal-assets 0.1.0, vendored as app.third_party.fal_assets")
    assert re.search(r"^source commit: ([0-9a-f]{40}|unknown)", manifest, re.MULTILINE)
    assert f"scripts/vendor {tmp_path} --prefix app.third_party\n" in manifest
    assert re.search(r"^[0-9a-f]{64}  fal_assets_api/client\.py$", manifest, re.MULTILINE)

    ok = run_vendor(str(tmp_path), "--prefix", "app.third_party", "--check")
    assert ok.returncode == 0, ok.stderr
    assert "up to date" in ok.stdout

    edited = target / "fal_assets" / "_errors.py"
    edited.write_text(edited.read_text() + "\n# local patch\n")
    (target / "fal_assets_api" / "stray.py").write_text("")
    (target / "fal_assets" / "_core" / "auth.py").unlink()
    stale = run_vendor(str(tmp_path), "--prefix", "app.third_party", "--check")
    assert stale.returncode == 1
    assert "edited    fal_assets/_errors.py" in stale.stderr
    assert "extra     fal_assets_api/stray.py" in stale.stderr
    assert "missing   fal_assets/_core/auth.py" in stale.stderr

    # Re-vendoring over local changes would lose them: refused, each listed, until --force.
    refused = run_vendor(str(tmp_path), "--prefix", "app.third_party")
    assert refused.returncode == 2
    assert "edited    fal_assets/_errors.py" in refused.stderr
    assert "added     fal_assets_api/stray.py" in refused.stderr
    assert "deleted   fal_assets/_core/auth.py" in refused.stderr
    assert "--force" in refused.stderr and "# local patch" in edited.read_text()
    # With --force, re-vendoring is the update: it replaces the copy wholesale, stray files included.
    assert run_vendor(str(tmp_path), "--prefix", "app.third_party", "--force").returncode == 0
    # An unchanged copy is simply updated, without --force.
    assert run_vendor(str(tmp_path), "--prefix", "app.third_party").returncode == 0
    assert run_vendor(str(tmp_path), "--prefix", "app.third_party", "--check").returncode == 0
    assert not (target / "fal_assets_api" / "stray.py").exists()


def test_refuses_to_overwrite_what_it_did_not_write(tmp_path: Path) -> None:
    foreign = tmp_path / "app" / "fal_assets"
    foreign.mkdir(parents=True)
    (foreign / "keep.py").write_text("precious = True\n")
    result = run_vendor(str(tmp_path), "--prefix", "app")
    assert result.returncode == 2
    assert "not written by scripts/vendor" in result.stderr
    assert (foreign / "keep.py").exists()
    assert run_vendor(str(tmp_path), "--prefix", "1bad").returncode == 2
    assert run_vendor(str(tmp_path), "--prefix", "fal_assets.inner").returncode == 2


def test_rewrite_rules() -> None:
    source = textwrap.dedent(
        '''\
        """Example:

            from fal_assets import FalAssets
            >>> import fal_assets_api.models
        """
        import fal_assets
        import fal_assets as fa, os
        import fal_assets_apix
        from fal_assets_api.types import UNSET
        s = "é"; from fal_assets.testing import (FakeFal,
            StoredFile)
        from \\
            fal_assets import cli
        from . import sibling
        import importlib, logging
        importlib.import_module("fal_assets.testing.pytest_plugin")
        pytest_plugins = ["fal_assets.testing.pytest_plugin"]
        log = logging.getLogger("fal_assets")
        message = "fal_assets is a package"
        '''
    )
    expected = textwrap.dedent(
        '''\
        """Example:

            from p.v.fal_assets import FalAssets
            >>> import p.v.fal_assets_api.models
        """
        from p.v import fal_assets
        import p.v.fal_assets as fa, os
        import fal_assets_apix
        from p.v.fal_assets_api.types import UNSET
        s = "é"; from p.v.fal_assets.testing import (FakeFal,
            StoredFile)
        from \\
            p.v.fal_assets import cli
        from . import sibling
        import importlib, logging
        importlib.import_module("p.v.fal_assets.testing.pytest_plugin")
        pytest_plugins = ["p.v.fal_assets.testing.pytest_plugin"]
        log = logging.getLogger("fal_assets")
        message = "fal_assets is a package"
        '''
    )
    assert vendor.rewrite_source(source, "p.v") == expected
    ast.parse(expected)


@pytest.mark.parametrize(
    "source",
    [
        "import fal_assets.testing\n",  # binds `fal_assets`; prefixing would bind `p` instead
        "name = 'fal_\\x61ssets'\n",  # the value is a module path, but its spelling is not
        "name = ('fal_' 'assets')\n",
        "name = f'{1}' 'fal_assets'\n",
    ],
)
def test_rewrite_refuses_what_it_cannot_rewrite_faithfully(source: str) -> None:
    with pytest.raises(vendor.VendorError):
        vendor.rewrite_source(source, "p")
