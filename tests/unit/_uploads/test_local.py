"""`_uploads/local.py`: local inputs checked and turned into upload sources, with nothing read.

Its contract: every str reaching `local_or_data` is a path (IDs and URLs were told apart before it), so an
ID- or URL-shaped string is a file looked for on disk; a str is `~`-expanded and may be a `file://` URL of
this machine, a path object is taken as it is; either becomes an absolute `LocalFile` keeping the caller's
object as its input. A folder becomes its image files (by suffix, any case), hidden names skipped, not
recursive, in code-point order of their names. Bytes-likes become flat `MemoryBytes`, binary file objects
a `FileObject` from their position. Every problem is a `ValidationError` naming the argument (its field)
and the input. `test_references.py` covers the cases the classification of references reaches.
"""

from __future__ import annotations

import errno
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fal_assets import ValidationError
from fal_assets._uploads.inputs import FileObject, LocalFile, MemoryBytes, PlannedImage
from fal_assets._uploads.local import IMAGE_SUFFIXES, is_file_object, local_or_data, short

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
FIELD = "reference_images[3]"
NO_IMAGES = "contains no image files (avif, bmp, gif, heic, heif, jpeg, jpg, png, tif, tiff, webp)"


def one(item: object, *, folders: bool = True) -> LocalFile:
    got = local_or_data(item, FIELD, folders=folders)
    assert isinstance(got, LocalFile), got
    return got


def folder(item: object) -> list[PlannedImage]:
    got = local_or_data(item, FIELD)
    assert isinstance(got, list), got
    return got


def names(items: list[PlannedImage]) -> list[str]:
    return [os.path.basename(item.path) for item in items if isinstance(item, LocalFile)]


def invalid(item: object, *, folders: bool = True) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        local_or_data(item, FIELD, folders=folders)
    assert info.value.field == FIELD
    assert str(info.value).startswith(f"{FIELD}: ")
    return info.value


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def pipe() -> Iterator[io.BufferedReader]:
    read_end, write_end = os.pipe()
    os.close(write_end)
    with open(read_end, "rb") as stream:
        yield stream


# -- strings and path objects ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "nope",
        "d7tatpsregjaga2cf3d0",  # a 20-character request id
        "019e6d0a-e5be-7b82-b329-35ae64296902",  # a vector id
        "https://v3b.fal.media/files/b/0a9b4900/x.png",
        "   ",
    ],
)
def test_every_string_is_a_path_to_look_for(text: str, cwd: Path) -> None:
    error = invalid(text)
    assert f"{text!r}: no such file or folder" in str(error)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("https://user:secret@example.com/a.png", "'https://***@example.com/a.png': no such file"),
        (
            "file://user:secret@localhost/tmp/a.png",
            "file URL on another host: 'file://***@localhost/tmp/a.png'",
        ),
        ("file://u:p@ss@server/a.png", "file URL on another host: 'file://***@server/a.png'"),
    ],
)
def test_a_urls_credentials_never_reach_the_message(text: str, shown: str, cwd: Path) -> None:
    error = invalid(text)
    assert shown in str(error) and "secret" not in str(error) and "p@ss" not in str(error)


def test_id_and_url_shaped_names_are_found_as_files(cwd: Path) -> None:
    (cwd / "d7tatpsregjaga2cf3d0").write_bytes(PNG)
    (cwd / "https:" / "example.com").mkdir(parents=True)
    (cwd / "https:" / "example.com" / "a.png").write_bytes(PNG + b"!")
    assert one("d7tatpsregjaga2cf3d0").path == str(cwd / "d7tatpsregjaga2cf3d0")
    # "//" collapses as in any path: the URL names ./https:/example.com/a.png
    got = one("https://example.com/a.png")
    assert (got.path, got.size) == (str(cwd / "https:" / "example.com" / "a.png"), len(PNG) + 1)


def test_str_and_path_objects_give_the_same_absolute_file(cwd: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (cwd / "a.png").write_bytes(PNG)

    class BytesPath:
        def __fspath__(self) -> bytes:
            return os.fsencode(cwd / "a.png")

    inputs: list[Any] = ["a.png", "./a.png", str(cwd / "a.png"), Path("a.png"), cwd / "a.png", BytesPath()]
    got = [one(item) for item in inputs]
    assert {g.path for g in got} == {str(cwd / "a.png")}
    assert all(g.input is item for g, item in zip(got, inputs, strict=True))
    assert all((g.field, g.size, g.sha256) == (FIELD, len(PNG), None) for g in got)
    monkeypatch.chdir(cwd / "..")
    assert Path(got[0].path).read_bytes() == PNG  # a later chdir cannot redirect it


def test_tilde_is_expanded_in_strings_but_not_in_path_objects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "a.png").write_bytes(PNG)
    assert one("~/a.png").path == str(tmp_path / "a.png")
    assert "'~/a.png': no such file" in str(invalid(Path("~/a.png")))


def test_file_urls_of_this_machine_are_paths(tmp_path: Path) -> None:
    (tmp_path / "with space #1.png").write_bytes(PNG)
    target = str(tmp_path / "with space #1.png")
    encoded = f"{tmp_path}/with%20space%20%231.png"
    urls = (
        f"file://{encoded}",
        f"FILE://{encoded}",
        f"file://localhost{encoded}",
        f"file://LocalHost{encoded}",
    )
    for url in (*urls, f"file:{encoded}"):
        got = one(url)
        assert (got.path, got.input) == (target, url)


@pytest.mark.parametrize("url", ["file://server/share/a.png", "file://127.0.0.2/a.png"])
def test_file_urls_naming_any_other_host_are_refused(url: str) -> None:
    assert f"file URL on another host: {url!r}" in str(invalid(url))


@pytest.mark.parametrize("item", ["a\x00.png", Path("dir\x00/a.png"), "file:///tmp/a%00b.png"])
def test_a_nul_character_is_refused_before_any_system_call(item: object) -> None:
    assert "a path cannot contain a NUL character" in str(invalid(item))


def test_a_path_the_filesystem_cannot_encode_is_a_validation_error() -> None:
    assert "unusable path '\\ud800.png'" in str(invalid("\ud800.png"))


def test_an_empty_string_is_not_the_working_folder(cwd: Path) -> None:
    (cwd / "a.png").write_bytes(PNG)
    assert str(invalid("")) == f"{FIELD}: empty path"

    class Empty:
        def __fspath__(self) -> str:
            return ""

    assert str(invalid(Empty())) == f"{FIELD}: empty path"
    for url in ("file:", "file://", "file://localhost"):
        assert f"file URL without a path: {url!r}" in str(invalid(url))


def test_a_path_object_whose_fspath_is_not_text_is_a_validation_error() -> None:
    class Broken:
        def __fspath__(self) -> int:
            return 3

    assert "unusable path object" in str(invalid(Broken()))


def test_dot_dot_after_a_symlink_is_the_file_the_os_opens(cwd: Path) -> None:
    # abspath would turn "link/../a.png" into "./a.png"; the OS resolves "link" first, then "..".
    (cwd / "a.png").write_bytes(PNG)
    (cwd / "other" / "inner").mkdir(parents=True)
    (cwd / "other" / "a.png").write_bytes(PNG * 2)
    (cwd / "link").symlink_to(cwd / "other" / "inner")
    got = one("link/../a.png")
    assert got.size == 2 * len(PNG) and Path(got.path).read_bytes() == PNG * 2
    assert os.path.isabs(got.path)


def test_os_errors_are_worded_for_people(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    assert os.strerror(errno.ENOTDIR) in str(invalid(tmp_path / "a.png" / "b.png"))
    long = tmp_path / ("x" * 300 + ".png")
    error = invalid(long)
    assert os.strerror(errno.ENAMETOOLONG) in str(error)
    assert "..." in str(error)  # the 300-character name is cut short in the message
    (tmp_path / "loop.png").symlink_to(tmp_path / "loop.png")
    assert "too many levels of symbolic links (a symlink loop?)" in str(invalid(tmp_path / "loop.png"))


# -- folders --------------------------------------------------------------------------------------------


def test_a_folder_is_refused_where_folders_are_not_allowed(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    error = invalid(tmp_path, folders=False)
    assert f"{str(tmp_path)!r} is a folder; pass its files" in str(error)
    assert names(folder(tmp_path)) == ["a.png"]


def test_a_folder_expands_in_code_point_order_whatever_the_listing_order(tmp_path: Path) -> None:
    for name in ("b.png", "a.png", "_x.png", "B.png", "2.png", "10.png", "é.png"):
        (tmp_path / name).write_bytes(PNG)
    expected = ["10.png", "2.png", "B.png", "_x.png", "a.png", "b.png", "é.png"]
    assert names(folder(tmp_path)) == expected
    assert names(folder(str(tmp_path))) == expected  # same again, from a str


def test_a_folder_keeps_exactly_the_image_suffixes_in_any_case(tmp_path: Path) -> None:
    kept = [*sorted(f"img{suffix.upper()}" for suffix in IMAGE_SUFFIXES), "photo.tar.png"]
    others = ["notes.txt", "a.png.txt", "png", "a.svg", "a.jpe", "a.png ", "a.png~", "README"]
    for name in kept + others:
        (tmp_path / name).write_bytes(PNG)
    assert names(folder(tmp_path)) == sorted(kept)


def test_a_folder_skips_hidden_entries_and_does_not_descend(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    for hidden in (".DS_Store", "._a.png", ".b.png", ".png"):
        (tmp_path / hidden).write_bytes(PNG)
    for sub in ("nested", "nested.png", ".cache"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "inner.png").write_bytes(PNG)
    assert names(folder(tmp_path)) == ["a.png"]


def test_folder_entries_name_themselves_under_the_folders_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "a.png").write_bytes(PNG)
    (tmp_path / "photos" / "b.jpg").write_bytes(PNG * 2)
    monkeypatch.chdir(tmp_path)
    got = folder(Path("photos"))
    assert all(isinstance(g, LocalFile) for g in got)
    entries = [str(tmp_path / "photos" / "a.png"), str(tmp_path / "photos" / "b.jpg")]
    assert [(g.input, g.path, g.size, g.field) for g in got if isinstance(g, LocalFile)] == [
        (entries[0], entries[0], len(PNG), FIELD),
        (entries[1], entries[1], 2 * len(PNG), FIELD),
    ]


def test_symlinks_in_a_folder_are_followed_even_out_of_it(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "dir").mkdir(parents=True)
    (outside / "far.png").write_bytes(PNG * 3)
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "a.png").write_bytes(PNG)
    (photos / "far.png").symlink_to(outside / "far.png")
    (photos / "dir.png").symlink_to(outside / "dir")  # a linked folder is skipped like any folder
    got = folder(photos)
    assert names(got) == ["a.png", "far.png"]
    far = got[1]
    assert isinstance(far, LocalFile)
    assert (far.path, far.size) == (str(photos / "far.png"), 3 * len(PNG))  # the link's path, not resolved


def test_one_broken_image_entry_fails_the_whole_folder(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    (tmp_path / "b.png").symlink_to(tmp_path / "gone.png")
    assert f"{str(tmp_path / 'b.png')!r}: no such file or folder" in str(invalid(tmp_path))
    (tmp_path / "b.png").unlink()
    (tmp_path / "c.png").write_bytes(b"")
    assert f"{str(tmp_path / 'c.png')!r} is empty (0 bytes)" in str(invalid(tmp_path))


def test_a_broken_entry_that_is_not_an_image_is_never_looked_at(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    (tmp_path / "notes.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / ".b.png").symlink_to(tmp_path / "gone.png")
    (tmp_path / "empty.txt").write_bytes(b"")
    assert names(folder(tmp_path)) == ["a.png"]


@pytest.mark.parametrize("contents", [[], [".DS_Store", "._a.png", "notes.txt"]], ids=["empty", "no-images"])
def test_a_folder_without_images_names_the_suffixes_it_looked_for(
    tmp_path: Path, contents: list[str]
) -> None:
    for name in contents:
        (tmp_path / name).write_bytes(PNG)
    assert str(invalid(tmp_path)) == f"{FIELD}: folder {str(tmp_path)!r} {NO_IMAGES}"


def test_a_folder_that_cannot_be_listed_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, for whom chmod 000 changes nothing; fail the listing the way the kernel would.
    def deny(path: Any) -> list[str]:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(os, "listdir", deny)
    error = invalid(tmp_path)
    assert str(error) == f"{FIELD}: folder {str(tmp_path)!r} cannot be listed: permission denied"


# -- bytes and file objects -----------------------------------------------------------------------------


def test_bytes_likes_become_flat_byte_views_of_the_callers_data() -> None:
    grid = memoryview(bytearray(PNG)).cast("B", (5, 8))
    words = memoryview(bytearray(PNG)).cast("I")
    for data in (PNG, bytearray(PNG), memoryview(PNG), grid, words):
        got = local_or_data(data, FIELD)
        assert isinstance(got, MemoryBytes)
        assert got.input is data and got.field == FIELD
        assert (got.data.format, got.data.ndim, got.data.nbytes, bytes(got.data)) == ("B", 1, len(PNG), PNG)
    view = local_or_data(words, FIELD)
    assert isinstance(view, MemoryBytes) and view.data.obj is words.obj  # cast, not copied


@pytest.mark.parametrize("data", [b"", bytearray(), memoryview(PNG)[5:5]], ids=["bytes", "bytearray", "view"])
def test_empty_bytes_of_any_kind_are_refused(data: bytes | bytearray | memoryview) -> None:
    assert str(invalid(data)) == f"{FIELD}: empty bytes"


def test_a_released_buffer_is_a_validation_error() -> None:
    view = memoryview(PNG)
    view.release()
    assert "unusable buffer" in str(invalid(view))


def test_a_real_file_opened_rb_is_taken_from_its_position(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(b"head" + PNG)
    with open(tmp_path / "a.png", "rb") as stream:
        stream.seek(4)
        got = local_or_data(stream, FIELD)
        assert isinstance(got, FileObject)
        assert (got.stream, got.start, got.size, got.image_only) == (stream, 4, len(PNG), False)
        assert stream.tell() == 4  # nothing was read
    with open(tmp_path / "a.png", encoding="latin-1") as text:
        assert "text mode; open it with 'rb'" in str(invalid(text))


@pytest.mark.parametrize("position", [len(PNG), len(PNG) + 10], ids=["at-end", "past-end"])
def test_a_stream_with_nothing_left_is_refused_at_once(position: int) -> None:
    stream = io.BytesIO(PNG)
    stream.seek(position)
    assert str(invalid(stream)) == f"{FIELD}: file object has no bytes left to read"


def test_a_pipe_is_a_stream_of_unknown_size(pipe: io.BufferedReader) -> None:
    got = local_or_data(pipe, FIELD)
    assert isinstance(got, FileObject)
    assert (got.start, got.size) == (None, None)


@pytest.mark.parametrize(
    ("item", "kind"), [(None, "NoneType"), (1.5, "float"), (["a.png"], "list"), ({"path": "a.png"}, "dict")]
)
def test_unsupported_types_are_named(item: object, kind: str) -> None:
    error = invalid(item)
    assert f"unsupported type {kind}; pass a path, bytes, a binary file object" in str(error)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (io.BytesIO(), True),
        (io.StringIO(), True),  # a reader; local_or_data refuses its text mode
        (b"bytes", False),
        ("a.png", False),
        (Path("a.png"), False),
        (bytearray(b"x"), False),
        (type("NotCallable", (), {"read": "no"})(), False),
    ],
)
def test_is_file_object_means_a_callable_read_on_something_not_a_path_or_bytes(
    value: object, expected: bool
) -> None:
    assert is_file_object(value) is expected


def test_short_shows_paths_as_strings_and_cuts_long_reprs_at_120() -> None:
    assert short(Path("/a/b.png")) == "'/a/b.png'"
    assert short("x" * 118) == repr("x" * 118)  # exactly 120 characters: kept
    cut = short("x" * 119)
    assert len(cut) == 120 and cut.endswith("...") and cut.startswith("'xxx")
