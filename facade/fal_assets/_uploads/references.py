"""What each image argument is: classification and local validation, shared by the sync and async clients.

Nothing here uploads or reads file contents. Files are `stat()`ed and opened once (non-blocking) to prove
they are readable, folders are listed, and every problem raises `ValidationError` naming the argument, so
that an invalid input stops a call before the first byte leaves the machine.

| input                                                  | becomes                                      |
|--------------------------------------------------------|----------------------------------------------|
| `os.PathLike`, `file://` URL, path-looking string      | a local file to upload (a folder: its images)|
| `bytes` / `bytearray` / `memoryview`                   | uploaded as is                               |
| binary file object (`open(..., "rb")`, `BytesIO`)      | uploaded from its current position to its end|
| `http(s)` URL on a fal host (`ClientConfig.fal_hosts`) | passed through unchanged                     |
| other `http(s)` URL                                    | error, unless `allow_external_urls=True`     |
| any other string                                       | an ID (vector / request id), passed through  |

A string looks like a path when it contains a `/` (or the OS separator), starts with `.` or `~`, or ends in
a file suffix such as `.png`.
"""

from __future__ import annotations

import errno
import io
import os
import re
import stat
from collections.abc import Iterable
from typing import BinaryIO
from urllib.parse import urlsplit
from urllib.request import url2pathname

from fal_assets_api.types import UNSET, Unset

from .._errors import ValidationError
from .._validation import REFERENCE_COUNT
from .inputs import (
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

__all__ = [
    "IMAGE_SUFFIXES",
    "MAX_REFERENCE_IMAGES",
    "FileObject",
    "ImageInput",
    "ImagePlan",
    "LocalFile",
    "MemoryBytes",
    "PassThrough",
    "PlannedImage",
    "ReferenceInput",
    "UploadSource",
    "plan_images",
    "plan_media",
    "plan_uploads",
]

# The spec's maxItems, kept in one place (_validation.py, checked against openapi.yaml by a test).
MAX_REFERENCE_IMAGES: int = REFERENCE_COUNT.max or 20
# What a folder expands to. Matched case-insensitively; names starting with "." (".DS_Store", macOS "._x.png"
# resource forks) are skipped.
IMAGE_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".avif", ".heic", ".heif"}
)

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:/")
_FILE_SUFFIX = re.compile(r".\.[A-Za-z][A-Za-z0-9]{0,4}$")


def plan_images(
    *,
    reference_images: ReferenceInput | Unset,
    cover_image: ImageInput | None | Unset,
    fal_hosts: frozenset[str],
    allow_external_urls: bool,
) -> ImagePlan:
    rules = _Rules(fal_hosts, allow_external_urls)
    refs: list[PlannedImage] | Unset = UNSET
    if not isinstance(reference_images, Unset):
        refs = []
        for index, item in enumerate(_as_items(reference_images)):
            refs.extend(rules.reference(item, f"reference_images[{index}]"))
        if not refs:
            raise ValidationError("reference_images needs at least one image", field="reference_images")
        if len(refs) > MAX_REFERENCE_IMAGES:
            raise ValidationError(
                f"reference_images has {len(refs)} images after expanding folders; fal accepts at most "
                f"{MAX_REFERENCE_IMAGES}",
                field="reference_images",
            )
    cover: PlannedImage | None | Unset = cover_image  # type: ignore[assignment]
    if not isinstance(cover_image, Unset | None):
        cover = rules.cover(cover_image, "cover_image")
    return ImagePlan(references=refs, cover=cover)


def plan_uploads(
    files: Iterable[ImageInput] | ImageInput, *, field: str = "files", indexed: bool = True
) -> list[UploadSource]:
    """Classify the arguments of `client.files.upload/upload_many`: every string is a path, folders are
    refused (one URL per input, in order). Errors name `files[i]`, or `field` itself when not `indexed`."""
    sources: list[UploadSource] = []
    for index, item in enumerate(_as_items(files)):
        name = f"{field}[{index}]" if indexed else field
        text = item if isinstance(item, str) else os.fspath(item) if isinstance(item, os.PathLike) else None
        # Path("https://x/y") collapses to "https:/x/y": still a URL, not a file to look for.
        if isinstance(text, str) and _URL_LIKE.match(text) and not text.lower().startswith("file:"):
            raise ValidationError(f"{name}: {_short(item)} is a URL, not a local file", field=name)
        source = _local_or_data(item, name, folders=False)
        assert not isinstance(source, list)
        sources.append(source)
    return sources


def plan_media(item: object, *, field: str, fal_hosts: frozenset[str]) -> PlannedImage:
    """One media argument (`assets.upload`'s source, `assets.search`'s image or video): a fal-hosted URL
    passed through, or a local input to upload; IDs, folders and other URLs are refused."""
    if isinstance(item, str):
        passed = _Rules(fal_hosts, False)._string(item, field)
        if passed is not None:
            if not _SCHEME.match(passed.value):
                raise ValidationError(
                    f"{field}: {_short(item)} is neither a fal-hosted URL nor a local file", field=field
                )
            return passed
    found = _local_or_data(item, field, folders=False)
    assert not isinstance(found, list)
    return found


def _as_items(value: object) -> list[object]:
    """A single image (or a folder) given where a list is expected becomes a one-item list, so that a str
    or bytes is never iterated character by character."""
    if isinstance(value, str | bytes | bytearray | memoryview | os.PathLike) or _is_file_object(value):
        return [value]
    if isinstance(value, Iterable):
        return list(value)
    return [value]


class _Rules:
    def __init__(self, fal_hosts: frozenset[str], allow_external_urls: bool) -> None:
        self.fal_hosts = fal_hosts
        self.allow_external_urls = allow_external_urls

    def reference(self, item: object, field: str) -> list[PlannedImage]:
        if isinstance(item, str):
            passed = self._string(item, field)
            if passed is not None:
                return [passed]
        found = _local_or_data(item, field)
        return list(found) if isinstance(found, list) else [found]

    def cover(self, item: object, field: str) -> PlannedImage:
        if isinstance(item, str):
            passed = self._string(item, field)
            if passed is not None:
                if not _SCHEME.match(passed.value):
                    # The API's cover_image_url is a URI; an asset ID is not accepted there.
                    raise ValidationError(
                        f"{field}: {_short(item)} is neither a URL nor a local file; the cover must be a "
                        "fal-hosted image URL or a local image",
                        field=field,
                    )
                return passed
        found = _local_or_data(item, field, folders=False)
        assert not isinstance(found, list)
        return found

    def _string(self, text: str, field: str) -> PassThrough | None:
        """A URL or ID to pass through, or None when the string names a local file."""
        if not text.strip():
            raise ValidationError(f"{field}: empty string", field=field)
        scheme = _SCHEME.match(text)
        if scheme is not None and not _looks_like_windows_drive(text):
            kind = scheme.group(1).lower()
            if kind == "file":
                return None
            if kind in ("http", "https"):
                return self._url(text, field)
            if kind == "data":
                raise ValidationError(
                    f"{field}: data: URLs are not accepted; pass the decoded bytes instead", field=field
                )
            if text[scheme.end() : scheme.end() + 2] == "//":
                raise ValidationError(f"{field}: unsupported URL scheme {kind!r}", field=field)
        if _looks_like_path(text):
            return None
        return PassThrough(text)

    def _url(self, url: str, field: str) -> PassThrough:
        if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
            # Not a URI (the API's cover_image_url is format: uri; fal answers 422): say so before sending.
            raise ValidationError(
                f"{field}: {_short(url)} is not a valid URL: it contains whitespace or control characters "
                "(percent-encode them, e.g. %20 for a space)",
                field=field,
            )
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
            port = parts.port
        except ValueError as exc:
            raise ValidationError(f"{field}: malformed URL {_short(url)}: {exc}", field=field) from None
        if not host:
            raise ValidationError(f"{field}: URL without a host: {_short(url)}", field=field)
        if host in self.fal_hosts or (port is not None and f"{host}:{port}" in self.fal_hosts):
            return PassThrough(url)
        if self.allow_external_urls:
            return PassThrough(url)
        raise ValidationError(
            f"{field}: {host} is not a fal-hosted domain ({', '.join(sorted(self.fal_hosts))}); fal expects "
            "fal-hosted images. Pass the image as a local file or bytes to upload it, or "
            "allow_external_urls=True to send the URL anyway",
            field=field,
        )


def _looks_like_windows_drive(text: str) -> bool:
    return os.name == "nt" and len(text) > 2 and text[1] == ":" and text[2] in "\\/"


def _looks_like_path(text: str) -> bool:
    separators = {"/", os.sep} | ({os.altsep} if os.altsep else set())
    return (
        any(sep in text for sep in separators)
        or text.startswith((".", "~"))
        or _FILE_SUFFIX.search(text) is not None
    )


def _is_file_object(value: object) -> bool:
    return callable(getattr(value, "read", None)) and not isinstance(value, str | bytes | os.PathLike)


def _local_or_data(item: object, field: str, *, folders: bool = True) -> UploadSource | list[PlannedImage]:
    """Bytes, a file object, or a path (a folder gives a list, unless `folders` is False: then it is an
    error); any str reaching here is a path."""
    if isinstance(item, bytes | bytearray | memoryview):
        return _memory(item, field)
    if isinstance(item, str):
        return _path(_string_path(item, field), item, field, folders=folders)
    if isinstance(item, os.PathLike):
        return _path(_fspath(item, field), item, field, folders=folders)
    if _is_file_object(item):
        return _file_object(item, field)
    raise ValidationError(
        f"{field}: unsupported type {type(item).__name__}; pass a path, bytes, a binary file object, an ID "
        "or a fal-hosted URL",
        field=field,
    )


def _string_path(text: str, field: str) -> str:
    if not text:
        raise ValidationError(f"{field}: empty path", field=field)
    if text.lower().startswith("file:"):
        parts = urlsplit(text)
        if parts.netloc not in ("", "localhost"):
            raise ValidationError(f"{field}: file URL on another host: {_short(text)}", field=field)
        return url2pathname(parts.path)
    return os.path.expanduser(text)


def _fspath(item: os.PathLike[str], field: str) -> str:
    path = os.fspath(item)
    return os.fsdecode(path) if isinstance(path, bytes) else path


def _memory(data: bytes | bytearray | memoryview, field: str) -> MemoryBytes:
    view = memoryview(data)
    try:
        view = view.cast("B")
    except TypeError:
        # Non-contiguous or multi-dimensional buffers cannot be sliced as flat bytes without a copy.
        view = memoryview(view.tobytes())
    if view.nbytes == 0:
        raise ValidationError(f"{field}: empty bytes", field=field)
    return MemoryBytes(input=data, field=field, data=view)


def _file_object(stream: object, field: str) -> FileObject:
    if isinstance(stream, io.TextIOBase):
        raise ValidationError(f"{field}: file object is in text mode; open it with 'rb'", field=field)
    if getattr(stream, "closed", False):
        raise ValidationError(f"{field}: file object is closed", field=field)
    binary: BinaryIO = stream  # type: ignore[assignment]
    start: int | None = None
    size: int | None = None
    try:
        if binary.seekable():
            start = binary.tell()
            end = binary.seek(0, os.SEEK_END)
            binary.seek(start)
            size = end - start
    except (OSError, ValueError, AttributeError):
        start = size = None
    if size == 0:
        raise ValidationError(f"{field}: file object has no bytes left to read", field=field)
    return FileObject(input=stream, field=field, stream=binary, start=start, size=size)


def _path(path: str, original: object, field: str, *, folders: bool) -> LocalFile | list[PlannedImage]:
    path = os.path.abspath(path)
    info = _stat(path, original, field)
    if stat.S_ISDIR(info.st_mode):
        if not folders:
            raise ValidationError(f"{field}: {_short(original)} is a folder; pass its files", field=field)
        return _folder(path, original, field)
    return _regular_file(path, info, original, field)


def _regular_file(path: str, info: os.stat_result, original: object, field: str) -> LocalFile:
    what = _short(original)
    if not stat.S_ISREG(info.st_mode):
        # FIFOs and devices are refused from stat() alone: opening a FIFO blocks until a writer appears.
        raise ValidationError(f"{field}: {what} is not a regular file ({_kind(info.st_mode)})", field=field)
    try:
        # O_NONBLOCK: should the path become a FIFO between stat() and open(), open() must not hang.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ValidationError(f"{field}: {what} cannot be opened: {_reason(exc)}", field=field) from None
    try:
        info = os.fstat(fd)
    finally:
        os.close(fd)
    if not stat.S_ISREG(info.st_mode):
        raise ValidationError(f"{field}: {what} is not a regular file ({_kind(info.st_mode)})", field=field)
    if info.st_size == 0:
        raise ValidationError(f"{field}: {what} is empty (0 bytes)", field=field)
    return LocalFile(input=original, field=field, path=path, size=info.st_size)


def _folder(path: str, original: object, field: str) -> list[PlannedImage]:
    try:
        names = sorted(os.listdir(path))
    except OSError as exc:
        raise ValidationError(
            f"{field}: folder {_short(original)} cannot be listed: {_reason(exc)}", field=field
        ) from None
    images: list[PlannedImage] = []
    for name in names:
        if name.startswith(".") or os.path.splitext(name)[1].lower() not in IMAGE_SUFFIXES:
            continue
        entry = os.path.join(path, name)
        info = _stat(entry, entry, field)
        if stat.S_ISDIR(info.st_mode):
            continue  # not recursive; a folder named "x.png" is not an image
        images.append(_regular_file(entry, info, entry, field))
    if not images:
        raise ValidationError(
            f"{field}: folder {_short(original)} contains no image files "
            f"({', '.join(sorted(s.lstrip('.') for s in IMAGE_SUFFIXES))})",
            field=field,
        )
    return images


def _stat(path: str, original: object, field: str) -> os.stat_result:
    if "\x00" in path:
        raise ValidationError(
            f"{field}: a path cannot contain a NUL character: {_short(original)}", field=field
        )
    try:
        return os.stat(path)
    except (UnicodeEncodeError, ValueError) as exc:
        raise ValidationError(f"{field}: unusable path {_short(original)}: {exc}", field=field) from None
    except OSError as exc:
        raise ValidationError(f"{field}: {_short(original)}: {_reason(exc)}", field=field) from None


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file or folder"
    if exc.errno == errno.ELOOP:
        return "too many levels of symbolic links (a symlink loop?)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or str(exc)


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _short(value: object) -> str:
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."
