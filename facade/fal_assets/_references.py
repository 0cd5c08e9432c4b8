"""STUB — the uploads helper replaces this file. Contract used by characters.py:

plan_images(*, reference_images, cover_image, fal_hosts, allow_external_urls) -> ImagePlan
    Pure local validation and classification (stat()s files, lists folders, never uploads).
    Raises ValidationError naming the input. reference_images / cover_image may be UNSET (not passed);
    cover_image may be None (clear the cover).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

from fal_assets_api.types import UNSET, Unset

ImageInput = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO
ReferenceInput = Sequence[ImageInput] | os.PathLike[str]


@dataclass(frozen=True)
class ImagePlan:
    references: list[str] | Unset = UNSET
    cover: str | None | Unset = UNSET


def plan_images(
    *,
    reference_images: ReferenceInput | Unset,
    cover_image: ImageInput | None | Unset,
    fal_hosts: frozenset[str],
    allow_external_urls: bool,
) -> ImagePlan:
    refs: list[str] | Unset = UNSET
    if not isinstance(reference_images, Unset):
        refs = [str(r) for r in reference_images]  # type: ignore[union-attr]
    cover: str | None | Unset = cover_image if isinstance(cover_image, Unset | None) else str(cover_image)
    return ImagePlan(references=refs, cover=cover)
