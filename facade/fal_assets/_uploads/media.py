"""The media type fal's uploadAsset needs (`image`, `video`, `audio`, `3d`), read from the content's first
bytes, else from the file name or URL path. Only the head of a local input is read (and a file object's
position is restored); nothing is sent."""

from __future__ import annotations

import mimetypes
import os
from dataclasses import replace
from urllib.parse import urlsplit

from .._errors import ValidationError
from .inputs import FileObject, LocalFile, MemoryBytes, PassThrough, PlannedImage

__all__ = ["IMAGE_FORMATS", "checked_image", "media_type", "require_image", "sniff"]

# What `sniff` recognises as an image: the formats fal accepts as reference images and covers.
IMAGE_FORMATS = "PNG, JPEG, WebP, GIF, BMP, TIFF, AVIF or HEIC"

_HEAD = 32
_3D_SUFFIXES = frozenset({".glb", ".gltf", ".obj", ".fbx", ".usdz", ".stl", ".ply"})
_IMAGE_BRANDS = frozenset({b"avif", b"avis", b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis"})
_AUDIO_BRANDS = frozenset({b"M4A ", b"M4B ", b"M4P "})


def sniff(head: bytes) -> str | None:
    """The media type from a content's first bytes, when its format is recognised."""
    if head.startswith(
        (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*")
    ):
        return "image"
    if head[:4] == b"RIFF":
        return {b"WEBP": "image", b"WAVE": "audio", b"AVI ": "video"}.get(head[8:12])
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "image" if brand in _IMAGE_BRANDS else "audio" if brand in _AUDIO_BRANDS else "video"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video"  # Matroska / WebM
    if head.startswith((b"ID3", b"OggS", b"fLaC")) or (
        len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0
    ):
        return "audio"
    if head.startswith(b"glTF"):
        return "3d"
    return None


def _from_name(name: str) -> str | None:
    suffix = os.path.splitext(name)[1].lower()
    if suffix in _3D_SUFFIXES:
        return "3d"
    guessed, _ = mimetypes.guess_type(name, strict=False)
    major = (guessed or "").split("/")[0]
    return major if major in ("image", "video", "audio") else None


def media_type(item: PlannedImage) -> str | None:
    """The media type of a classified input; None when neither its content nor its name tells."""
    if isinstance(item, PassThrough):
        return _from_name(urlsplit(item.value).path)
    if isinstance(item, MemoryBytes):
        return sniff(bytes(item.data[:_HEAD]))
    if isinstance(item, LocalFile):
        try:
            with open(item.path, "rb") as file:
                head = file.read(_HEAD)
        except OSError:
            head = b""
        return sniff(head) or _from_name(item.path)
    return _file_object(item)


def _file_object(item: FileObject) -> str | None:
    name = getattr(item.stream, "name", None)
    if item.start is not None:
        try:
            head = item.stream.read(_HEAD)
        finally:
            item.stream.seek(item.start)
        found = sniff(head)
        if found is not None:
            return found
    return _from_name(name) if isinstance(name, str) else None


def require_image(head: bytes, field: str, what: str) -> None:
    """Refuse content whose first bytes are not an image fal accepts (a reference or a cover)."""
    if sniff(head) != "image":
        raise ValidationError(
            f"{field}: {what} is not an image ({IMAGE_FORMATS}), judged by its content, not its name",
            field=field,
        )


def checked_image(item: PlannedImage) -> PlannedImage:
    """A reference or cover, once its content is known to be an image (nothing is sent). A stream that
    cannot seek is marked, and checked when it is spooled, before any upload of its call starts."""
    if isinstance(item, PassThrough):
        return item
    if isinstance(item, MemoryBytes):
        require_image(bytes(item.data[:_HEAD]), item.field, "the bytes")
        return item
    if isinstance(item, LocalFile):
        try:
            with open(item.path, "rb") as file:
                head = file.read(_HEAD)
        except OSError as exc:
            raise ValidationError(
                f"{item.field}: {item.path!r} cannot be read: {exc.strerror or exc}", field=item.field
            ) from None
        require_image(head, item.field, repr(item.path))
        return item
    if item.start is None:
        return replace(item, image_only=True)
    try:
        head = item.stream.read(_HEAD)
        item.stream.seek(item.start)
    except (OSError, ValueError) as exc:
        raise ValidationError(f"{item.field}: file object cannot be read: {exc}", field=item.field) from None
    require_image(head, item.field, "the file object")
    return item
