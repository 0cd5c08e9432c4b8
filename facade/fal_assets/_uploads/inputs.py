"""What an image argument becomes once classified: an ID or URL passed through, or a source to upload
(a local file, bytes, a file object); and `ImagePlan`, the classified images of one call."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO, TypeAlias

from fal_assets_api.types import UNSET, Unset

__all__ = [
    "FileObject",
    "ImageInput",
    "ImagePlan",
    "LocalFile",
    "MemoryBytes",
    "PassThrough",
    "PlannedImage",
    "ReferenceInput",
    "UploadSource",
]

ImageInput: TypeAlias = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO
ReferenceInput: TypeAlias = Sequence[ImageInput] | os.PathLike[str] | str


@dataclass(frozen=True, slots=True)
class PassThrough:
    """An ID or URL sent to fal as given."""

    value: str


@dataclass(frozen=True, slots=True, eq=False)
class LocalFile:
    """A regular file, by absolute path (so a later `chdir` cannot redirect it)."""

    input: object
    field: str
    path: str
    size: int
    # The content planned for upload (`apply`): hashed before sending, and a mismatch is SourceChangedError.
    sha256: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class MemoryBytes:
    input: object
    field: str
    data: memoryview


@dataclass(frozen=True, slots=True, eq=False)
class FileObject:
    """A binary file object. `start`/`size` are None when it cannot seek: it is then spooled to a temporary
    file (not memory) when the upload starts, since its size and hash are needed before sending."""

    input: object
    field: str
    stream: BinaryIO
    start: int | None
    size: int | None
    # Its first bytes must be an image (a reference): checked once it is spooled, before anything is sent.
    image_only: bool = False


UploadSource: TypeAlias = LocalFile | MemoryBytes | FileObject
PlannedImage: TypeAlias = PassThrough | UploadSource


@dataclass(frozen=True)
class ImagePlan:
    """The classified image arguments of one call. UNSET: not given; cover None: clear the cover."""

    references: list[PlannedImage] | Unset = UNSET
    cover: PlannedImage | None | Unset = UNSET

    def uploads(self) -> list[UploadSource]:
        """The inputs to upload, references first, in order."""
        items: list[PlannedImage] = [] if isinstance(self.references, Unset) else list(self.references)
        if not isinstance(self.cover, Unset | None):
            items.append(self.cover)
        return [item for item in items if not isinstance(item, PassThrough)]

    def fill(self, urls: Sequence[str]) -> tuple[list[str] | Unset, str | None | Unset]:
        """References and cover as strings, given the URLs of `uploads()` in the same order."""
        pending = iter(urls)

        def value(item: PlannedImage) -> str:
            return item.value if isinstance(item, PassThrough) else next(pending)

        refs = UNSET if isinstance(self.references, Unset) else [value(i) for i in self.references]
        cover = self.cover if isinstance(self.cover, Unset | None) else value(self.cover)
        return refs, cover
