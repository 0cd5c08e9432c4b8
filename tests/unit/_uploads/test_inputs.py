"""`_uploads/inputs.py`: the classified forms of an image argument and `ImagePlan`, the images of one call.

Its contract: an ID or URL (`PassThrough`) is a value, equal to any other of the same text; a source to
upload (`LocalFile`, `MemoryBytes`, `FileObject`) is an identity, so the same file given twice is two
uploads; all are frozen. `ImagePlan.uploads()` lists what to send, references first and in order, then the
cover, never a pass-through; `fill()` puts the URLs of those uploads back where they came from, leaving
UNSET (not given) and None (clear the cover) as they were. Classifying the arguments is `references.py`'s
and `local.py`'s work (`test_references.py`, `test_local.py`).
"""

from __future__ import annotations

import dataclasses
import io
import os
import typing
from collections.abc import Sequence
from typing import BinaryIO

import pytest
from fal_assets import UNSET
from fal_assets._uploads import inputs, references
from fal_assets._uploads.inputs import (
    FileObject,
    ImageInput,
    ImagePlan,
    LocalFile,
    MemoryBytes,
    PassThrough,
    PlannedImage,
    ReferenceInput,
    UploadSource,
)

VECTOR_ID = "019e6d0a-e5be-7b82-b329-35ae64296902"
REQUEST_ID = "d7tatpsregjaga2cf3d0"
FAL_URL = "https://v3b.fal.media/files/b/0a9b4900/x.png"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def local(name: str = "/photos/a.png", size: int = 40) -> LocalFile:
    return LocalFile(input=name, field="reference_images[0]", path=name, size=size)


def memory(data: bytes = PNG) -> MemoryBytes:
    return MemoryBytes(input=data, field="reference_images[1]", data=memoryview(data))


def stream(data: bytes = PNG) -> FileObject:
    return FileObject(input=None, field="cover_image", stream=io.BytesIO(data), start=0, size=len(data))


def sources() -> list[UploadSource]:
    return [local(), memory(), stream()]


# -- the classified inputs ------------------------------------------------------------------------------


def test_pass_through_is_a_value_equal_and_hashed_by_its_text() -> None:
    assert PassThrough(VECTOR_ID) == PassThrough(VECTOR_ID)
    assert PassThrough(VECTOR_ID) != PassThrough(REQUEST_ID)
    wrapped: object = PassThrough(FAL_URL)
    assert wrapped != FAL_URL  # the wrapper, not the bare string
    assert {PassThrough(FAL_URL), PassThrough(FAL_URL), PassThrough(REQUEST_ID)} == {
        PassThrough(FAL_URL),
        PassThrough(REQUEST_ID),
    }


def test_upload_sources_are_identities_not_values() -> None:
    buffer, view = io.BytesIO(PNG), memoryview(PNG)
    twins: list[tuple[UploadSource, UploadSource]] = [
        (LocalFile("a.png", "f", "/a.png", 40), LocalFile("a.png", "f", "/a.png", 40)),
        (MemoryBytes(PNG, "f", view), MemoryBytes(PNG, "f", view)),
        (FileObject(buffer, "f", buffer, 0, 40), FileObject(buffer, "f", buffer, 0, 40)),
    ]
    for first, second in twins:
        assert first == first
        assert first != second  # two arguments naming the same content, field for field, are two uploads
        assert len({first: 1, second: 2}) == 2  # usable as keys, each its own


@pytest.mark.parametrize("item", [PassThrough(VECTOR_ID), *sources()], ids=lambda i: type(i).__name__)
def test_every_classified_input_is_frozen_and_slotted(item: PlannedImage) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(item, dataclasses.fields(item)[0].name, "elsewhere")
    assert not hasattr(item, "__dict__")


def test_checks_planned_later_default_to_off() -> None:
    file = local()
    assert file.sha256 is None  # no content pinned: whatever the file holds when it is sent
    assert stream().image_only is False
    pinned = dataclasses.replace(file, sha256="ab" * 32)
    assert (pinned.sha256, pinned.path, pinned.size) == ("ab" * 32, file.path, file.size)
    assert file.sha256 is None and pinned is not file


def test_memory_bytes_keeps_the_callers_buffer_as_given() -> None:
    buffer = bytearray(PNG)
    item = MemoryBytes(input=buffer, field="f", data=memoryview(buffer))
    assert item.input is buffer and item.data.obj is buffer


def test_the_aliases_name_every_kind_of_input_a_caller_may_pass() -> None:
    kinds = set(typing.get_args(ImageInput))
    assert {str, bytes, bytearray, memoryview, BinaryIO, os.PathLike[str]} == kinds
    assert set(typing.get_args(ReferenceInput)) == {Sequence[ImageInput], os.PathLike[str], str}
    assert set(typing.get_args(UploadSource)) == {LocalFile, MemoryBytes, FileObject}
    assert set(typing.get_args(PlannedImage)) == {PassThrough, LocalFile, MemoryBytes, FileObject}


def test_references_re_exports_these_very_classes() -> None:
    # Callers and tests import them from either module; isinstance must agree whichever they used.
    for name in inputs.__all__:
        assert getattr(references, name) is getattr(inputs, name), name
    assert set(inputs.__all__) <= set(references.__all__)


# -- ImagePlan.uploads ----------------------------------------------------------------------------------


def test_an_empty_plan_uploads_nothing_and_fills_nothing() -> None:
    plan = ImagePlan()
    assert plan.references is UNSET and plan.cover is UNSET
    assert plan.uploads() == []
    assert plan.fill([]) == (UNSET, UNSET)


def test_uploads_are_the_references_in_order_then_the_cover() -> None:
    a, b, c = local("/a.png"), memory(), local("/c.png")
    cover = stream()
    plan = ImagePlan(references=[a, PassThrough(VECTOR_ID), b, PassThrough(FAL_URL), c], cover=cover)
    got = plan.uploads()
    assert len(got) == 4
    assert all(g is w for g, w in zip(got, [a, b, c, cover], strict=True))


def test_pass_throughs_are_never_uploaded() -> None:
    plan = ImagePlan(references=[PassThrough(VECTOR_ID), PassThrough(REQUEST_ID)], cover=PassThrough(FAL_URL))
    assert plan.uploads() == []
    assert plan.fill([]) == ([VECTOR_ID, REQUEST_ID], FAL_URL)


@pytest.mark.parametrize("cover", [None, UNSET], ids=["cleared", "not given"])
def test_a_cleared_or_absent_cover_adds_no_upload(cover: None) -> None:
    source = memory()
    plan = ImagePlan(references=[source], cover=cover)
    [only] = plan.uploads()
    assert only is source
    assert plan.fill(["u1"]) == (["u1"], cover)


def test_a_cover_alone_is_the_only_upload() -> None:
    cover = local()
    plan = ImagePlan(cover=cover)
    [only] = plan.uploads()
    assert only is cover
    assert plan.fill(["u1"]) == (UNSET, "u1")


def test_the_same_source_twice_is_two_uploads() -> None:
    source = local()
    plan = ImagePlan(references=[source, source], cover=source)
    assert [item is source for item in plan.uploads()] == [True, True, True]
    assert plan.fill(["u1", "u2", "u3"]) == (["u1", "u2"], "u3")


def test_uploads_is_a_fresh_list_that_leaves_the_plan_alone() -> None:
    refs: list[PlannedImage] = [local(), PassThrough(VECTOR_ID)]
    plan = ImagePlan(references=refs, cover=memory())
    got = plan.uploads()
    got.clear()
    assert len(plan.uploads()) == 2
    assert plan.references is refs and len(refs) == 2  # the cover was not appended to the references


# -- ImagePlan.fill -------------------------------------------------------------------------------------


def test_fill_puts_each_url_where_its_upload_was() -> None:
    plan = ImagePlan(
        references=[local(), PassThrough(VECTOR_ID), memory(), PassThrough(FAL_URL)], cover=stream()
    )
    assert plan.fill(["u1", "u2", "u3"]) == (["u1", VECTOR_ID, "u2", FAL_URL], "u3")


def test_fill_is_repeatable_and_takes_any_sequence() -> None:
    plan = ImagePlan(references=[memory(), PassThrough(REQUEST_ID)], cover=local())
    first = plan.fill(("u1", "u2"))
    assert first == plan.fill(["u1", "u2"]) == (["u1", REQUEST_ID], "u2")
    assert plan.uploads()[0].field == "reference_images[1]"  # filling changed nothing in the plan


def test_the_plan_itself_is_frozen() -> None:
    plan = ImagePlan(references=[PassThrough(VECTOR_ID)], cover=None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.cover = PassThrough(FAL_URL)  # type: ignore[misc]
    assert plan == ImagePlan(references=[PassThrough(VECTOR_ID)], cover=None)
