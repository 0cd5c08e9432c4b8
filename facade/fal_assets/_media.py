"""The media type fal's uploadAsset needs (`image`, `video`, `audio`, `3d`), read from the content's first
bytes, else from the file name or URL path. Only the head of a local input is read (and a file object's
position is restored); nothing is sent."""

from __future__ import annotations

import mimetypes
import os
from urllib.parse import urlsplit

from ._uploads.inputs import FileObject, LocalFile, MemoryBytes, PassThrough, PlannedImage

__all__ = ["media_type", "sniff"]

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
