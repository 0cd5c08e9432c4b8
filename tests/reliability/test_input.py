"""Hostile and odd input: whatever local validation accepts the (spec-faithful) fake accepts; whatever it
rejects never produces a request; ids never change the request path; odd files are refused fast.

The property tests share one served fake and one client per module (fake.reset() per example) and are
derandomized, so a run is reproducible and bounded: see MAX_EXAMPLES.
"""

from __future__ import annotations

import asyncio
import collections
import io
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from fal_assets import (
    DEFAULT_FAL_HOSTS,
    FalAssets,
    FalAssetsError,
    NotFoundError,
    UploadError,
    UploadSettings,
    ValidationError,
)
from fal_assets._uploads import UploadProgress
from fal_assets._uploads.sources import SourceChangedError
from fal_assets.testing import FakeFal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import VECTOR_ID, api_requests, async_client, report_tally_line, sync_client

TALLY: collections.Counter[str] = collections.Counter()
MAX_EXAMPLES = {"create": 150, "update": 150, "ids": 200, "list": 100}
PREFIX = "/v1/assets/characters/"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def bounded(max_examples: int) -> Callable[[Any], Any]:
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.fixture(scope="module")
def shared_fake() -> Iterator[FakeFal]:
    with FakeFal.serve() as fake:
        yield fake


@pytest.fixture(scope="module")
def client(shared_fake: FakeFal) -> Iterator[FalAssets]:
    # fal's own hosts as well as the fake's, so that real fal URLs (which the fake accepts) are exercised.
    hosts = DEFAULT_FAL_HOSTS | shared_fake.fal_hosts
    with sync_client(shared_fake, max_retries=0, fal_hosts=hosts) as c:
        yield c


@pytest.fixture
def fake(shared_fake: FakeFal) -> FakeFal:
    shared_fake.reset()
    return shared_fake


@pytest.fixture(scope="module", autouse=True)
def report_tally(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    report_tally_line(request, "input", TALLY)


def outcome(fake: FakeFal, action: Callable[[], Any], group: str = "") -> tuple[str, Any]:
    """("rejected", error) when local validation refused (and nothing was sent), else ("sent", result).
    Any other failure is what the property forbids: the client accepted what the server rejects."""
    fake.reset()
    try:
        result = action()
    except ValidationError as err:
        assert fake.requests == [], f"rejected locally, yet {len(fake.requests)} request(s) were sent"
        TALLY["inputs tried"] += 1
        TALLY["inputs rejected locally (0 requests)"] += 1
        if group:
            TALLY[f"{group}: rejected locally"] += 1
        return "rejected", err
    TALLY["inputs tried"] += 1
    TALLY["inputs accepted by both"] += 1
    if group:
        TALLY[f"{group}: accepted by both"] += 1
    return "sent", result


# -- property: local validation agrees with the spec-faithful fake ------------------------------------------

CHARS = st.characters(codec="utf-8", exclude_categories=["Cs"])


def around(limit: int) -> st.SearchStrategy[str]:
    """Short strings of any character, and strings right at the spec's limit (either side)."""
    exact = st.integers(min_value=max(0, limit - 1), max_value=limit + 1).flatmap(
        lambda n: st.text(CHARS, min_size=n, max_size=n) | st.just("é" * n)
    )
    return st.text(CHARS, max_size=12) | exact


REFERENCE = st.one_of(
    st.just(VECTOR_ID),
    st.uuids().map(str),
    st.text(CHARS, max_size=24),
    st.sampled_from(
        [
            "",
            " ",
            "https://v3.fal.media/files/b/0a9b4900/x.png",
            "https://fal.media/files/a.png",
            "https://example.com/x.png",
            "http://v3.fal.media/files/x.png",
            "ftp://v3.fal.media/x.png",
            "data:image/png;base64,AAAA",
            "urn:uuid:019e6d0a",
            "./missing.png",
            "~/missing.png",
            "missing.png",
            "file:///nonexistent.png",
            "req_123:sub",
            "a" * 2048,
        ]
    ),
)
PLAUSIBLE = st.one_of(
    st.uuids().map(str),
    st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1, max_size=30),
    st.sampled_from(["https://v3.fal.media/files/b/0a9b4900/x.png", "https://v3b.fal.media/files/y.webp"]),
)
REFERENCES = st.one_of(
    st.lists(REFERENCE, min_size=0, max_size=22),
    st.lists(PLAUSIBLE, min_size=0, max_size=22),
    st.lists(st.just(VECTOR_ID), min_size=19, max_size=21),
)
COVER = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "https://v3.fal.media/files/c.png",
            "https://example.com/c.png",
            VECTOR_ID,
            "",
            "./missing-cover.png",
            "https://v3.fal.media/a b.png",
        ]
    ),
)


def stored(fake: FakeFal, cid: str) -> dict[str, Any]:
    character: dict[str, Any] = fake.characters[cid]
    return character


@bounded(MAX_EXAMPLES["create"])
@given(
    name=around(255),
    description=around(2000),
    references=REFERENCES,
    identifier=st.none() | around(64),
    cover=COVER,
)
def test_create_property(
    shared_fake: FakeFal,
    client: FalAssets,
    name: str,
    description: str,
    references: list[str],
    identifier: str | None,
    cover: str | None,
) -> None:
    kind, result = outcome(
        shared_fake,
        lambda: client.characters.create(
            name=name,
            description=description,
            reference_images=references,
            identifier=identifier,
            cover_image=cover,
        ),
        "create",
    )
    if kind == "rejected":
        return
    (request,) = api_requests(shared_fake)
    assert request.status == 201
    saved = stored(shared_fake, result.id)
    assert (saved["name"], saved["description"]) == (name, description)
    assert saved["character_identifier"] == identifier
    assert len(saved["reference_images"]) == len(references)
    assert saved["cover_image_url"] == cover
    # Handles are unique in an account (fal answers 409 for a taken one): free it for later examples,
    # which may draw the same identifier.
    client.characters.delete(result.id)


@pytest.fixture(scope="module")
def target(shared_fake: FakeFal) -> str:
    cid: str = shared_fake.add_character(name="Target", reference_images=[])["id"]
    return cid


@bounded(MAX_EXAMPLES["update"])
@given(
    fields=st.fixed_dictionaries(
        {},
        optional={
            "name": around(255),
            "description": around(2000),
            "reference_images": REFERENCES,
            "cover_image": COVER,
        },
    )
)
def test_update_property(
    shared_fake: FakeFal, client: FalAssets, target: str, fields: dict[str, Any]
) -> None:
    kind, _ = outcome(shared_fake, lambda: client.characters.update(target, **fields), "update")
    if kind == "rejected":
        return
    (request,) = api_requests(shared_fake)
    assert request.status == 200
    saved = stored(shared_fake, target)
    for key in ("name", "description"):
        if key in fields:
            assert saved[key] == fields[key]
    if "reference_images" in fields:
        assert len(saved["reference_images"]) == len(fields["reference_images"])
    if "cover_image" in fields:
        assert saved["cover_image_url"] == fields["cover_image"]


@bounded(MAX_EXAMPLES["list"])
@given(limit=st.integers(min_value=-3, max_value=150), offset=st.integers(min_value=-3, max_value=10**12))
def test_list_property(shared_fake: FakeFal, client: FalAssets, limit: int, offset: int) -> None:
    kind, _ = outcome(shared_fake, lambda: client.characters.list(limit=limit, offset=offset), "list")
    if kind == "sent":
        (request,) = api_requests(shared_fake)
        assert request.status == 200
        assert request.query == {"limit": str(limit), "offset": str(offset)}


# -- ids never change the request path ----------------------------------------------------------------------

ID_ACTIONS: dict[str, tuple[str, Callable[[FalAssets, str], object]]] = {
    "get": ("", lambda c, cid: c.characters.get(cid)),
    "update": ("", lambda c, cid: c.characters.update(cid, name="x")),
    "delete": ("", lambda c, cid: c.characters.delete(cid)),
    "favorite": ("/favorite", lambda c, cid: c.characters.favorite(cid)),
    "unfavorite": ("/unfavorite", lambda c, cid: c.characters.unfavorite(cid)),
}


def check_id_request(fake: FakeFal, cid: str, suffix: str) -> None:
    """The one request went to the character route with `cid` as one segment, decoded back exactly."""
    (request,) = fake.requests
    assert request.path.startswith(PREFIX)
    assert request.path.endswith(suffix)
    segment = request.path[len(PREFIX) : len(request.path) - len(suffix)]
    assert "/" not in segment and "?" not in segment and "#" not in segment
    assert unquote(segment) == cid, f"{cid!r} arrived as {unquote(segment)!r}"
    assert request.query == {}
    assert request.status == 404  # routed to the character operation, which found no such character


def try_id(fake: FakeFal, client: FalAssets, cid: str, action: str) -> None:
    suffix, call = ID_ACTIONS[action]

    def run() -> object:
        try:
            return call(client, cid)
        except NotFoundError:
            return "not found"

    kind, result = outcome(fake, run, "ids")
    if kind == "sent":
        assert result == "not found"
        check_id_request(fake, cid, suffix)


IDS = st.one_of(
    st.text(CHARS, max_size=40),
    st.text(st.sampled_from("./\\%?#;&=+ :@2eEfF\x00\n\r\t\x7f~"), min_size=1, max_size=12),
    st.text(CHARS, min_size=200, max_size=300),
)


@bounded(MAX_EXAMPLES["ids"])
@given(cid=IDS, action=st.sampled_from(sorted(ID_ACTIONS)))
def test_ids_never_change_the_path_property(
    shared_fake: FakeFal, client: FalAssets, cid: str, action: str
) -> None:
    try_id(shared_fake, client, cid, action)


NAMED_IDS = {
    "dot": ".",
    "dotdot": "..",
    "slash": "a/b",
    "encoded-dotdot": "%2e%2e",
    "encoded-slash": "a%2Fb",
    "double-encoded": "%252e%252e",
    "query": "a?b",
    "fragment": "a#b",
    "backslash": "a\\b",
    "nul": "a\x00b",
    "newline": "a\nb",
    "crlf-injection": "a\r\nX-Injected: 1",
    "tab": "a\tb",
    "del": "\x7f",
    "three-dots": "...",
    "dot-prefix": ".hidden",
    "semicolon": "a;b",
    "unicode-slash": "a\u2215b",
    "fullwidth-dots": "\uff0e\uff0e",
    "long-ascii": "x" * 10_000,
    "long-unicode": "é" * 3_000,
}
MUST_BE_REJECTED = {
    "dot",
    "dotdot",
    "slash",
    "query",
    "fragment",
    "backslash",
    "nul",
    "newline",
    "crlf-injection",
}
MUST_BE_REJECTED |= {"tab", "del"}


@pytest.mark.parametrize("action", sorted(ID_ACTIONS))
@pytest.mark.parametrize("label", sorted(NAMED_IDS))
def test_named_ids(fake: FakeFal, client: FalAssets, label: str, action: str) -> None:
    cid = NAMED_IDS[label]
    try_id(fake, client, cid, action)
    if label in MUST_BE_REJECTED:
        assert fake.requests == []
    else:
        assert len(fake.requests) == 1


# -- files: refused fast, before anything is sent ------------------------------------------------------------

HARD_TIMEOUT = 10.0


def within(seconds: float, action: Callable[[], object]) -> BaseException | object:
    """Run `action` in a thread and give up after `seconds` (a hang fails the test instead of the run)."""
    box: list[object] = []

    def run() -> None:
        try:
            box.append(action())
        except BaseException as exc:  # handed to the test
            box.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"the call did not return within {seconds}s (hung on a file?)"
    return box[0]


def unblock_fifo(path: Path) -> None:
    """Should a reader be blocked opening the FIFO, opening its write end releases it."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return  # no reader waiting: nothing is blocked
    os.close(fd)


FileCall = Callable[[FalAssets, Any], object]
FILE_CALLS: dict[str, FileCall] = {
    "reference": lambda c, f: c.characters.update("cid0", reference_images=[f]),
    "reference-with-others": lambda c, f: c.characters.update("cid0", reference_images=[VECTOR_ID, PNG, f]),
    "cover": lambda c, f: c.characters.update("cid0", cover_image=f),
    "create": lambda c, f: c.characters.create(name="n", description="d", reference_images=[f]),
    "files.upload": lambda c, f: c.files.upload(f),
    "files.upload_many": lambda c, f: c.files.upload_many([PNG, f]),
}


def expect_rejected(fake: FakeFal, client: FalAssets, item: object, how: str, *words: str) -> ValidationError:
    fake.reset()
    result = within(HARD_TIMEOUT, lambda: FILE_CALLS[how](client, item))
    assert isinstance(result, ValidationError), f"{how}: expected ValidationError, got {result!r}"
    assert fake.requests == [], "nothing may be sent (no token, no upload, no write) for a bad input"
    message = str(result).lower()
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
    TALLY["inputs tried"] += 1
    TALLY["odd files refused before any request"] += 1
    return result


@pytest.fixture
def files(tmp_path: Path) -> Iterator[dict[str, Path]]:
    made: dict[str, Path] = {}
    made["missing"] = tmp_path / "missing.png"
    made["folder"] = tmp_path / "folder.png"
    made["folder"].mkdir()
    made["fifo"] = tmp_path / "pipe.png"
    os.mkfifo(made["fifo"])
    made["loop"] = tmp_path / "loop-a.png"
    os.symlink(tmp_path / "loop-b.png", made["loop"])
    os.symlink(made["loop"], tmp_path / "loop-b.png")
    made["dangling"] = tmp_path / "dangling.png"
    os.symlink(tmp_path / "nowhere.png", made["dangling"])
    made["empty"] = tmp_path / "empty.png"
    made["empty"].write_bytes(b"")
    made["fifo-folder"] = tmp_path / "with-fifo"
    made["fifo-folder"].mkdir()
    (made["fifo-folder"] / "a.png").write_bytes(PNG)
    os.mkfifo(made["fifo-folder"] / "b.png")
    made["loop-folder"] = tmp_path / "with-loop"
    made["loop-folder"].mkdir()
    os.symlink(made["loop"], made["loop-folder"] / "x.png")
    made["empty-folder"] = tmp_path / "with-empty"
    made["empty-folder"].mkdir()
    (made["empty-folder"] / "empty.png").write_bytes(b"")
    yield made
    unblock_fifo(made["fifo"])
    unblock_fifo(made["fifo-folder"] / "b.png")


ODD_FILES: dict[str, tuple[str, ...]] = {
    "missing": ("no such file",),
    "fifo": ("not a regular file", "fifo"),
    "loop": ("symbolic links",),
    "dangling": ("no such file",),
    "empty": ("empty", "0 bytes"),
}


@pytest.mark.parametrize("how", sorted(FILE_CALLS))
@pytest.mark.parametrize("kind", sorted(ODD_FILES))
def test_odd_files_are_refused_before_any_request(
    fake: FakeFal, client: FalAssets, files: dict[str, Path], kind: str, how: str
) -> None:
    path = files[kind]
    expect_rejected(fake, client, path, how, *ODD_FILES[kind])
    if how in ("reference", "cover", "files.upload"):
        # The same file named by a string is the same local file.
        expect_rejected(fake, client, str(path), how, *ODD_FILES[kind])


@pytest.mark.parametrize("how", sorted(FILE_CALLS))
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_devices_are_refused_fast(fake: FakeFal, client: FalAssets, device: str, how: str) -> None:
    expect_rejected(fake, client, device, how, "not a regular file", "device")


def test_a_folder_where_one_file_is_expected(
    fake: FakeFal, client: FalAssets, files: dict[str, Path]
) -> None:
    folder = files["folder"]
    (folder / "a.png").write_bytes(PNG)
    for how in ("cover", "files.upload"):
        expect_rejected(fake, client, folder, how, "folder")
    expect_rejected(fake, client, folder, "files.upload_many", "folder")
    # As a reference a folder expands to its images; one without any is an error, not an empty list.
    expect_rejected(fake, client, files["missing"].parent / "with-empty", "reference", "empty")


@pytest.mark.parametrize("kind", ["fifo-folder", "loop-folder", "empty-folder"])
def test_bad_entries_inside_a_folder_stop_the_whole_call(
    fake: FakeFal, client: FalAssets, files: dict[str, Path], kind: str
) -> None:
    words = {"fifo-folder": ("fifo",), "loop-folder": ("symbolic links",), "empty-folder": ("0 bytes",)}[kind]
    fake.reset()
    result = within(HARD_TIMEOUT, lambda: client.characters.update("cid0", reference_images=files[kind]))
    assert isinstance(result, ValidationError), result
    assert fake.requests == []
    for word in words:
        assert word in str(result).lower()
    TALLY["inputs tried"] += 1
    TALLY["odd files refused before any request"] += 1


@pytest.mark.parametrize(
    "empty",
    [b"", bytearray(), memoryview(b""), io.BytesIO(b""), io.BytesIO(b"consumed")],
    ids=["bytes", "bytearray", "memoryview", "BytesIO", "BytesIO-at-end"],
)
def test_zero_bytes_in_memory_is_a_clear_error(fake: FakeFal, client: FalAssets, empty: object) -> None:
    if isinstance(empty, io.BytesIO) and empty.getvalue():
        empty.read()
    for how in ("reference", "cover", "files.upload"):
        expect_rejected(
            fake, client, empty, how, "empty" if not isinstance(empty, io.BytesIO) else "no bytes"
        )


def test_unreadable_file_follows_the_documented_privilege_rule(
    fake: FakeFal, client: FalAssets, tmp_path: Path
) -> None:
    """A 0o000 file: a normal user cannot read it, so it is refused before any request; root (as in CI
    containers) can read any file, so there it is an ordinary file and is uploaded byte-exact."""
    secret = tmp_path / "locked.png"
    content = PNG + os.urandom(64)
    secret.write_bytes(content)
    secret.chmod(0)
    try:
        if os.access(secret, os.R_OK):
            assert os.geteuid() == 0, "only root should be able to read a 0o000 file"
            fake.reset()
            url = client.files.upload(secret)
            assert fake.files[url].data == content
            TALLY["unreadable-file case run as root (uploaded)"] += 1
        else:
            expect_rejected(fake, client, secret, "files.upload", "permission denied")
            expect_rejected(fake, client, secret, "reference", "permission denied")
            TALLY["unreadable-file case run as non-root (refused)"] += 1
    finally:
        secret.chmod(0o600)


def test_unlistable_folder_follows_the_documented_privilege_rule(
    fake: FakeFal, client: FalAssets, tmp_path: Path
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    content = PNG + os.urandom(64)  # not in the client's content cache yet
    (folder / "a.png").write_bytes(content)
    folder.chmod(0)
    try:
        fake.reset()
        if os.access(folder, os.R_OK | os.X_OK):
            assert os.geteuid() == 0
            character = client.characters.create(name="n", description="d", reference_images=folder)
            assert len(character.reference_images) == 1
            assert [f.data for f in fake.files.values() if f.data == content] == [content]
        else:
            expect_rejected(fake, client, folder, "reference", "permission denied")
    finally:
        folder.chmod(0o700)


# -- a file that changes while it is being uploaded ---------------------------------------------------------


def grow(path: Path) -> None:
    with path.open("ab") as f:
        f.write(b"more")


def shrink(path: Path) -> None:
    with path.open("r+b") as f:
        f.truncate(path.stat().st_size // 2)


def touch(path: Path) -> None:
    # Same size, new modification time: a rewrite in place that a size check alone would miss.
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))


CHANGES = {"grows": grow, "shrinks": shrink, "rewritten-same-size": touch}


@pytest.fixture(scope="module")
def small_parts_client(shared_fake: FakeFal) -> Iterator[FalAssets]:
    uploads = UploadSettings(concurrency=2, multipart_threshold=256 * 1024, part_size=128 * 1024)
    with sync_client(shared_fake, max_retries=0, uploads=uploads) as c:
        yield c


@pytest.mark.parametrize("size", [64 * 1024, 1024 * 1024], ids=["single", "multipart"])
@pytest.mark.parametrize("change", sorted(CHANGES))
def test_file_changed_during_upload_fails_the_call_and_writes_nothing(
    fake: FakeFal, small_parts_client: FalAssets, tmp_path: Path, change: str, size: int
) -> None:
    cid = fake.add_character(name="Before", reference_images=[])["id"]
    path = tmp_path / f"changing-{change}.png"
    path.write_bytes(PNG + os.urandom(size - len(PNG)))
    changed: list[UploadProgress] = []

    def on_progress(event: UploadProgress) -> None:
        if not changed and not event.done:
            changed.append(event)
            CHANGES[change](path)

    fake.reset()
    with pytest.raises(UploadError) as info:
        small_parts_client.characters.update(
            cid, name="After", reference_images=[VECTOR_ID, path], on_progress=on_progress
        )
    assert changed, "the change was never made"
    (error,) = info.value.errors
    assert isinstance(error, SourceChangedError), repr(error)
    assert isinstance(error, FalAssetsError)
    assert fake.counts["updateAssetCharacter"] == 0
    assert fake.writes_applied["updateAssetCharacter"] == 0
    assert fake.counts["presignedPut"] == 0, "a local change must not take the fallback path"
    assert fake.characters[cid]["name"] == "Before"
    TALLY["inputs tried"] += 1
    TALLY["files changed mid-upload detected"] += 1


# -- async: the same refusals ------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_odd_files_are_refused_before_any_request(fal_fake: FakeFal, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    loop = tmp_path / "loop.png"
    os.symlink(loop, loop)
    try:
        async with async_client(fal_fake) as client:
            for item in (fifo, Path("/dev/zero"), empty, loop, tmp_path / "missing.png", tmp_path):
                for call in (
                    lambda item=item: client.characters.update("cid0", reference_images=[item]),
                    lambda item=item: client.characters.update("cid0", cover_image=item),
                    lambda item=item: client.files.upload(item),
                ):
                    with pytest.raises(ValidationError):
                        await asyncio.wait_for(call(), timeout=HARD_TIMEOUT)
                    TALLY["inputs tried"] += 1
                    TALLY["odd files refused before any request"] += 1
        assert fal_fake.requests == []
    finally:
        unblock_fifo(fifo)
