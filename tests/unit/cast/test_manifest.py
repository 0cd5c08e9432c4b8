"""A hostile contributor's manifest, against the served FakeFal: `plan` and `apply` in CI must not publish a
file from outside the repository, upload what is not an image, or print what fakes the terminal.

Each case failed before issue 22: the manifest was planned (and applied) instead of refused.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from fal_assets import FalAssets, ManifestError, ValidationError
from fal_assets.cli import EXIT_USAGE, main
from fal_assets.cli.demo import gradient_png
from fal_assets.testing import FakeFal

from tests.plan_support import uploads, write_cast, writes
from tests.support import sync_client

PNG = gradient_png((10, 200, 30), size=8)


def entry(identifier: str, references: str, *, name: str = '"Alice"', cover: str | None = None) -> str:
    lines = ["[[character]]", f"identifier = {identifier}", f"name = {name}", 'description = "d"']
    lines.append(f"references = [{references}]")
    if cover is not None:
        lines.append(f"cover = {cover}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    write_cast(repo)
    return repo


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A readable file outside the repository (an image, so that only confinement can refuse it)."""
    path = tmp_path / "secret" / "id_rsa.png"
    path.parent.mkdir()
    path.write_bytes(PNG)
    return path


def cli(fake: FakeFal, *args: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.setenv("FAL_KEY", fake.api_key)
    out, err = io.StringIO(), io.StringIO()
    base = ["--base-url", fake.api_base_url, "--storage-url", fake.storage_base_url]
    code = main([*base, *args], stdout=out, stderr=err, stdin=io.StringIO())
    return code, out.getvalue(), err.getvalue()


def refused(fake: FakeFal, manifest: Path, match: str, **kwargs: object) -> ManifestError:
    with sync_client(fake) as client, pytest.raises(ManifestError, match=match) as info:
        client.characters.plan(manifest, **kwargs)  # type: ignore[arg-type]
    assert fake.requests == []  # refused before any request
    return info.value


@pytest.mark.parametrize(
    "reference",
    ["../secret/id_rsa.png", "{secret}", "file://{secret}", "~/id_rsa.png"],
    ids=["dot-dot", "absolute", "file-url", "home"],
)
def test_a_reference_outside_the_manifest_folder_is_refused(
    fal_fake: FakeFal, root: Path, secret: Path, reference: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(secret.parent))
    (root / "characters.toml").write_text(entry('"alice"', f'"{reference.format(secret=secret)}"'))
    error = refused(fal_fake, root / "characters.toml", "outside the manifest's folder")
    assert "character[0] 'alice'" in str(error) and str(secret) in str(error)  # the entry, the resolved path


def test_a_cover_outside_is_refused_and_apply_exits_2_without_a_request(
    fal_fake: FakeFal, root: Path, secret: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (root / "characters.toml").write_text(entry('"alice"', '"alice/"', cover=f'"{secret}"'))
    code, _, err = cli(fal_fake, "apply", "--yes", str(root / "characters.toml"), monkeypatch=monkeypatch)
    assert code == EXIT_USAGE and "outside the manifest's folder" in err and err.count("\n") == 1
    assert fal_fake.requests == [] and not (root / "characters.lock").exists()


def test_a_symlinked_file_or_folder_pointing_outside_is_refused(
    fal_fake: FakeFal, root: Path, secret: Path
) -> None:
    (root / "alice" / "zz.png").symlink_to(secret)
    error = refused(fal_fake, root / "characters.toml", "zz.png resolves to")
    assert str(secret) in str(error)
    (root / "alice" / "zz.png").unlink()
    (root / "linked").symlink_to(secret.parent, target_is_directory=True)
    (root / "characters.toml").write_text(entry('"alice"', '"linked/"'))
    refused(fal_fake, root / "characters.toml", "outside the manifest's folder")


def test_allow_paths_widens_the_area_on_purpose(
    fal_fake: FakeFal, root: Path, secret: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (root / "characters.toml").write_text(entry('"alice"', f'"{secret}"'))
    with sync_client(fal_fake) as client:
        plan = client.characters.plan(root / "characters.toml", allow_paths=[secret.parent])
    assert [s.path for s in plan.uploads] == [str(secret)]
    args = ["plan", "--allow-path", str(secret.parent), str(root / "characters.toml")]
    code, out, _ = cli(fal_fake, *args, monkeypatch=monkeypatch)
    assert code == 0 and "id_rsa.png" in out


def test_plan_shows_where_a_symlink_inside_the_folder_points(fal_fake: FakeFal, root: Path) -> None:
    (root / "art").mkdir()
    (root / "art" / "real.png").write_bytes(PNG)
    (root / "alice" / "3.png").symlink_to(root / "art" / "real.png")
    with sync_client(fal_fake) as client:
        plan = client.characters.plan(root / "characters.toml")
    from fal_assets.cli.plan_render import format_plan

    text = format_plan(plan)
    assert f"alice/3.png -> {root / 'art' / 'real.png'}" in text
    assert [u["target"] for u in plan.to_dict()["uploads"] if u["path"] == "alice/3.png"] == [
        str(root / "art" / "real.png")
    ]


def test_a_reference_that_is_not_an_image_is_refused_everywhere(
    fal_fake: FakeFal, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (root / "alice" / "notes.png").write_text("BEGIN OPENSSH PRIVATE KEY\n")  # an image suffix, text inside
    refused(fal_fake, root / "characters.toml", "is not an image")
    with sync_client(fal_fake) as client:
        with pytest.raises(ValidationError, match="is not an image") as info:
            client.characters.create(name="A", description="d", reference_images=[root / "alice/notes.png"])
        assert info.value.field == "reference_images[0]"
        with pytest.raises(ValidationError, match="is not an image"):
            client.characters.create(name="A", description="d", reference_images=[PNG], cover_image=b"text")
        with pytest.raises(ValidationError, match="is not an image"):
            client.characters.create(name="A", description="d", reference_images=[io.BytesIO(b"%PDF-1.7")])
        assert uploads(fal_fake) == {} and writes(fal_fake) == {}
        assert client.files.upload(b"any content at all").startswith("http")  # files.upload takes anything
    code, _, err = cli(
        fal_fake, "characters", "create", "--name", "A", "--description", "d", "--ref",
        str(root / "alice" / "notes.png"), monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == EXIT_USAGE and "is not an image" in err


@pytest.mark.parametrize(
    ("first", "second"),
    [("Alice", "alice"), ("e\u0301va", "\u00e9va"), ("\uff41lice", "alice")],
    ids=["case", "nfd-nfc", "full-width"],
)
def test_identifiers_that_look_the_same_are_duplicates(
    fal_fake: FakeFal, root: Path, first: str, second: str
) -> None:
    text = entry(f'"{first}"', '"alice/"') + entry(f'"{second}"', '"bob/front.png"', name='"Bob"')
    (root / "characters.toml").write_text(text)
    refused(fal_fake, root / "characters.toml", "duplicate identifier")


@pytest.mark.parametrize(
    ("identifier", "name"),
    [
        ('"al\\u0000ice"', '"A"'),
        ('"alice\\u001b[2K"', '"A"'),
        ('"alice"', '"Ali\\u202ece"'),
        ('"alice"', '"A\\rB"'),
    ],
    ids=["nul", "escape", "bidi-name", "cr-name"],
)
def test_control_and_bidi_characters_are_refused_in_identifiers_and_names(
    fal_fake: FakeFal, root: Path, identifier: str, name: str
) -> None:
    (root / "characters.toml").write_text(entry(identifier, '"alice/"', name=name))
    refused(fal_fake, root / "characters.toml", "control or bidi character")


def test_a_file_name_cannot_fake_plan_lines(
    fal_fake: FakeFal, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (root / "alice" / "x\x1b[2K\x1b[1A\r\nPlan: 0 to create.png").write_bytes(PNG)
    code, out, _ = cli(fal_fake, "plan", str(root / "characters.toml"), monkeypatch=monkeypatch)
    assert code == 0 and "\x1b" not in out and "\r" not in out
    assert "x\\x1b[2K\\x1b[1A\\x0d\\x0aPlan: 0 to create.png" in out
    assert [line for line in out.splitlines() if line.startswith("Plan:")] == [out.splitlines()[-1]]


def test_a_file_name_that_is_not_utf8_is_refused_at_plan(fal_fake: FakeFal, root: Path) -> None:
    (Path(os.fsdecode(bytes(root / "alice") + b"/\xff.png"))).write_bytes(PNG)
    refused(fal_fake, root / "characters.toml", "not valid UTF-8")


@pytest.mark.parametrize(
    ("content", "match"),
    [(b"a = " + b"[" * 50_000 + b"]" * 50_000, "nested too deeply"), (b"\xff\xfe[[character]]", "not UTF-8")],
    ids=["deep", "undecodable"],
)
def test_a_hostile_manifest_file_is_a_typed_error(
    fal_fake: FakeFal, root: Path, content: bytes, match: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (root / "characters.toml").write_bytes(content)
    refused(fal_fake, root / "characters.toml", match)
    code, _, err = cli(fal_fake, "plan", str(root / "characters.toml"), monkeypatch=monkeypatch)
    assert code == EXIT_USAGE and err.startswith("error: ") and err.count("\n") == 1


def test_over_long_ids_and_queries_and_calls_after_close_are_typed(fal_fake: FakeFal) -> None:
    from fal_assets import ClientClosedError

    client: FalAssets = sync_client(fal_fake)
    with pytest.raises(ValidationError, match="cannot build the request URL"):
        client.characters.get("a" * 100_000)
    with pytest.raises(ValidationError, match="cannot build the request URL"):
        next(iter(client.assets.search("q" * 100_000)))
    assert fal_fake.requests == []
    client.close()
    with pytest.raises(ClientClosedError):
        client.characters.list()
    with pytest.raises(ClientClosedError):
        client.files.upload(PNG)


@pytest.mark.parametrize(
    ("flags", "env", "warned"),
    [
        (
            [],
            {"FAL_ASSETS_BASE_URL": "https://api.evil.example/v1"},
            "api.evil.example (set by FAL_ASSETS_BASE_URL",
        ),
        (["--storage-url", "https://evil.example"], {}, "evil.example (set by a command-line option)"),
        (["--base-url", "https://api.fal.ai/v1"], {"FAL_ASSETS_STORAGE_URL": "https://rest.fal.ai"}, None),
    ],
    ids=["env", "flag", "fal"],
)
def test_the_cli_warns_before_sending_the_key_to_a_host_that_is_not_fal(
    tmp_path: Path, flags: list[str], env: dict[str, str], warned: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAL_KEY", "k")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    err = io.StringIO()
    # A missing manifest stops the command after the client is made and before any request.
    code = main([*flags, "plan", str(tmp_path / "none.toml")], stdout=io.StringIO(), stderr=err)
    assert code == EXIT_USAGE
    lines = err.getvalue().splitlines()
    if warned is None:
        assert not any(line.startswith("warning:") for line in lines)
    else:
        assert lines[0].startswith(f"warning: your fal key will be sent to {warned}")
        assert lines[0].endswith(", which is not a fal host")


def test_a_host_that_only_looks_local_gets_no_key_over_plain_http() -> None:
    with pytest.raises(ValidationError, match="must use https"):
        FalAssets(api_key="k", base_url="http://evil.localhost/v1")  # *.localhost is not loopback


@pytest.mark.parametrize(
    "args",
    [["plan", "--js"], ["upload", "--fal=evil.example.png", "alice/1.png"]],
    ids=["abbreviation", "glob-file"],
)
def test_abbreviated_options_are_refused(
    fal_fake: FakeFal, root: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A glob can hand over a file named "--fal=evil.example.png": it must not become --fal-host.
    monkeypatch.chdir(root)
    try:
        code, _, _ = cli(fal_fake, *args, monkeypatch=monkeypatch)
    except SystemExit as exc:  # argparse's own usage error
        code = int(exc.code or 0)
    assert code == EXIT_USAGE and fal_fake.requests == []
