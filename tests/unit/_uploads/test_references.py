"""Classification and local validation of image arguments (`_references.py`): no network, no uploads."""

from __future__ import annotations

import errno
import io
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from fal_assets import UNSET, ValidationError
from fal_assets._uploads.references import (
    FileObject,
    ImagePlan,
    LocalFile,
    MemoryBytes,
    PassThrough,
    plan_images,
    plan_uploads,
)

FAL_HOSTS = frozenset({"fal.media", "v2.fal.media", "v3.fal.media", "v3b.fal.media", "127.0.0.1:8080"})
VECTOR_ID = "019e6d0a-e5be-7b82-b329-35ae64296902"
FAL_URL = "https://v3b.fal.media/files/b/0a9b4900/x.png"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def refs(value: Any, *, allow_external_urls: bool = False) -> list[Any]:
    plan = plan_images(
        reference_images=value,
        cover_image=UNSET,
        fal_hosts=FAL_HOSTS,
        allow_external_urls=allow_external_urls,
    )
    assert isinstance(plan.references, list)
    return plan.references


def cover(value: Any) -> Any:
    return plan_images(
        reference_images=UNSET, cover_image=value, fal_hosts=FAL_HOSTS, allow_external_urls=False
    ).cover


def invalid(value: Any, **kwargs: Any) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        refs(value, **kwargs)
    return info.value


@pytest.fixture
def images(tmp_path: Path) -> Path:
    for name in ("b.png", "a.JPG", "c.webp", "notes.txt", ".hidden.png", "._a.png"):
        (tmp_path / name).write_bytes(PNG)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deep.png").write_bytes(PNG)
    (tmp_path / "dir.png").mkdir()  # a folder with an image suffix is not an image
    return tmp_path


# -- strings ---------------------------------------------------------------------------------------------


def test_ids_and_fal_urls_pass_through_unchanged() -> None:
    got = refs([VECTOR_ID, "d7tatpsregjaga2cf3d0", FAL_URL, "http://127.0.0.1:8080/cdn/files/x/y.png"])
    assert got == [
        PassThrough(VECTOR_ID),
        PassThrough("d7tatpsregjaga2cf3d0"),
        PassThrough(FAL_URL),
        PassThrough("http://127.0.0.1:8080/cdn/files/x/y.png"),
    ]


def test_external_url_is_refused_unless_allowed() -> None:
    error = invalid(["https://example.com/a.png"])
    assert error.field == "reference_images[0]"
    assert "fal-hosted" in str(error) and "allow_external_urls" in str(error)
    assert refs(["https://example.com/a.png"], allow_external_urls=True) == [
        PassThrough("https://example.com/a.png")
    ]


def test_fal_host_match_is_exact_and_port_aware() -> None:
    assert "not a fal-hosted" in str(invalid(["https://evil-fal.media/x.png"]))
    assert "not a fal-hosted" in str(invalid(["https://fal.media.evil.com/x.png"]))
    assert "not a fal-hosted" in str(invalid(["http://127.0.0.1:9999/x.png"]))  # only :8080 is configured


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("data:image/png;base64,iVBORw0KGgo=", "data: URLs"),
        ("ftp://fal.media/x.png", "unsupported URL scheme"),
        ("https:///nohost.png", "without a host"),
    ],
)
def test_bad_strings_name_the_input(value: str, message: str) -> None:
    error = invalid([VECTOR_ID, value])
    assert error.field == "reference_images[1]"
    assert message in str(error)


@pytest.mark.parametrize("value", ["./missing.png", "missing.png", "sub/missing", "~/missing-fal-test.png"])
def test_path_looking_strings_are_local_files(
    value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    error = invalid([value])
    assert "no such file" in str(error) and error.field == "reference_images[0]"


def test_relative_and_home_paths_resolve_to_absolute_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "front.png").write_bytes(PNG)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    got = refs(
        ["./front.png", "front.png", "~/front.png", f"file://{tmp_path}/front.png", tmp_path / "front.png"]
    )
    assert all(isinstance(g, LocalFile) and g.path == str(tmp_path / "front.png") for g in got)
    assert [g.size for g in got] == [len(PNG)] * 5
    assert got[0].input == "./front.png" and got[4].input == tmp_path / "front.png"


def test_file_url_on_another_host_is_refused() -> None:
    assert "another host" in str(invalid(["file://server/share/x.png"]))


# -- folders ---------------------------------------------------------------------------------------------


def test_folder_expands_to_its_images_sorted_non_recursive(images: Path) -> None:
    for whole in (images, str(images)):
        got = refs(whole)
        assert [Path(g.path).name for g in got] == ["a.JPG", "b.png", "c.webp"]
        assert all(g.field == "reference_images[0]" for g in got)


def test_folder_inside_a_list_expands_in_place(images: Path) -> None:
    got = refs([VECTOR_ID, images, FAL_URL])
    assert got[0] == PassThrough(VECTOR_ID) and got[-1] == PassThrough(FAL_URL)
    assert [Path(g.path).name for g in got[1:-1]] == ["a.JPG", "b.png", "c.webp"]


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("no images here")
    error = invalid(tmp_path)
    assert "contains no image files" in str(error) and error.field == "reference_images[0]"


def test_more_than_20_images_after_expansion_is_an_error(tmp_path: Path) -> None:
    for i in range(15):
        (tmp_path / f"{i:02}.png").write_bytes(PNG)
    assert len(refs(tmp_path)) == 15
    error = invalid([tmp_path, *[VECTOR_ID] * 6])
    assert error.field == "reference_images" and "21 images" in str(error)
    assert len(refs([tmp_path, *[VECTOR_ID] * 5])) == 20


def test_an_empty_list_is_an_error() -> None:
    error = invalid([])
    assert error.field == "reference_images" and "at least one" in str(error)


# -- files that are not plain readable files -------------------------------------------------------------


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty.png").write_bytes(b"")
    assert "is empty (0 bytes)" in str(invalid([tmp_path / "empty.png"]))


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    outcome: list[BaseException | None] = []
    worker = threading.Thread(target=lambda: outcome.append(_capture(lambda: refs([fifo]))), daemon=True)
    worker.start()
    worker.join(5)
    assert not worker.is_alive(), "planning a FIFO blocked"
    assert isinstance(outcome[0], ValidationError) and "a FIFO" in str(outcome[0])


def test_fifo_inside_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    os.mkfifo(tmp_path / "b.png")
    assert "a FIFO" in str(invalid(tmp_path))


def test_device_is_refused() -> None:
    assert "a character device" in str(invalid([Path("/dev/null")]))


def test_symlink_loop_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a.png").symlink_to(tmp_path / "b.png")
    (tmp_path / "b.png").symlink_to(tmp_path / "a.png")
    assert "symlink loop" in str(invalid([tmp_path / "a.png"]))


def test_unreadable_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, for whom chmod 000 changes nothing; fail the open() the way the kernel would.
    target = tmp_path / "secret.png"
    target.write_bytes(PNG)
    real_open = os.open

    def deny(path: Any, flags: int, *args: Any) -> int:
        if str(path) == str(target):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", deny)
    assert "permission denied" in str(invalid([target]))


def test_symlink_to_a_file_is_followed(tmp_path: Path) -> None:
    (tmp_path / "real.png").write_bytes(PNG)
    (tmp_path / "link.png").symlink_to(tmp_path / "real.png")
    [got] = refs([tmp_path / "link.png"])
    assert isinstance(got, LocalFile) and got.size == len(PNG)


# -- bytes and file objects -----------------------------------------------------------------------------


def test_bytes_like_inputs_are_uploaded_without_copies() -> None:
    data = bytearray(PNG)
    got = refs([bytes(PNG), data, memoryview(data)])
    assert all(isinstance(g, MemoryBytes) for g in got)
    assert got[1].data.obj is data  # a view of the caller's buffer, not a copy


def test_non_contiguous_memoryview_is_accepted() -> None:
    spread = bytes(byte for pair in zip(PNG, b"-" * len(PNG), strict=True) for byte in pair)
    [got] = refs([memoryview(spread)[::2]])
    assert isinstance(got, MemoryBytes) and bytes(got.data) == PNG


def test_empty_bytes_is_an_error() -> None:
    assert "empty bytes" in str(invalid([b"x", b""]))


def test_single_str_or_bytes_is_one_image_not_a_sequence() -> None:
    assert refs(VECTOR_ID) == [PassThrough(VECTOR_ID)]
    [got] = refs(PNG)
    assert isinstance(got, MemoryBytes)


def test_file_object_is_read_from_its_position_later(tmp_path: Path) -> None:
    stream = io.BytesIO(b"skip" + PNG)
    stream.seek(4)
    [got] = refs([stream])
    assert isinstance(got, FileObject) and (got.start, got.size) == (4, len(PNG))
    assert stream.tell() == 4  # planning reads nothing


def test_file_object_problems() -> None:
    assert "text mode" in str(invalid([io.StringIO("x")]))
    closed = io.BytesIO(b"x")
    closed.close()
    assert "closed" in str(invalid([closed]))
    at_end = io.BytesIO(b"abc")
    at_end.seek(3)
    assert "no bytes left" in str(invalid([at_end]))


def test_unseekable_stream_is_accepted_with_unknown_size() -> None:
    class Pipe(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            return 0

    [got] = refs([Pipe()])
    assert isinstance(got, FileObject) and got.size is None


def test_unsupported_type_is_named() -> None:
    error = invalid([VECTOR_ID, 42])
    assert error.field == "reference_images[1]" and "unsupported type int" in str(error)


# -- cover ----------------------------------------------------------------------------------------------


def test_cover_rules(tmp_path: Path) -> None:
    (tmp_path / "c.png").write_bytes(PNG)
    assert cover(UNSET) is UNSET
    assert cover(None) is None
    assert cover(FAL_URL) == PassThrough(FAL_URL)
    assert isinstance(cover(tmp_path / "c.png"), LocalFile)
    assert isinstance(cover(PNG), MemoryBytes)
    with pytest.raises(ValidationError, match="neither a URL nor a local file") as info:
        cover(VECTOR_ID)
    assert info.value.field == "cover_image"
    with pytest.raises(ValidationError, match="is a folder"):
        cover(tmp_path)
    with pytest.raises(ValidationError, match="fal-hosted"):
        cover("https://example.com/c.png")


# -- plan helpers ---------------------------------------------------------------------------------------


def test_plan_fill_puts_urls_back_in_order(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    plan = plan_images(
        reference_images=[tmp_path / "a.png", VECTOR_ID, PNG],
        cover_image=PNG,
        fal_hosts=FAL_HOSTS,
        allow_external_urls=False,
    )
    assert len(plan.uploads()) == 3
    assert plan.fill(["u1", "u2", "u3"]) == (["u1", VECTOR_ID, "u2"], "u3")
    assert ImagePlan(references=UNSET, cover=None).fill([]) == (UNSET, None)


def test_plan_uploads_treats_every_string_as_a_path(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="no such file") as info:
        plan_uploads(["photo-id-without-suffix"])
    assert info.value.field == "files[0]"
    with pytest.raises(ValidationError, match="is a URL"):
        plan_uploads([FAL_URL])
    with pytest.raises(ValidationError, match="is a folder"):
        plan_uploads([tmp_path])
    with pytest.raises(ValidationError) as single:
        plan_uploads(["nope.png"], field="file", indexed=False)
    assert single.value.field == "file"
    assert plan_uploads([]) == []


def _capture(fn: Any) -> BaseException | None:
    try:
        fn()
    except BaseException as exc:
        return exc
    return None
