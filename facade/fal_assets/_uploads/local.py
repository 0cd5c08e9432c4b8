"""Local inputs (paths, folders, bytes, binary file objects) checked and turned into upload sources.

Nothing is read here: files are `stat()`ed and opened once (non-blocking) to prove they are readable, and
folders are listed. Every problem is a `ValidationError` naming the argument.
"""

from __future__ import annotations

import errno
import io
import os
import stat
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit
from urllib.request import url2pathname

from .._core.text import without_credentials
from .._errors import ValidationError
from .inputs import FileObject, LocalFile, MemoryBytes, PlannedImage, UploadSource

__all__ = ["IMAGE_SUFFIXES", "is_file_object", "local_or_data", "short"]

# What a folder expands to. Matched case-insensitively; names starting with "." (".DS_Store", macOS "._x.png"
# resource forks) are skipped.
IMAGE_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".avif", ".heic", ".heif"}
)


def is_file_object(value: object) -> bool:
    return callable(getattr(value, "read", None)) and not isinstance(value, str | bytes | os.PathLike)


def local_or_data(item: object, field: str, *, folders: bool = True) -> UploadSource | list[PlannedImage]:
    """Bytes, a file object, or a path (a folder gives a list, unless `folders` is False: then it is an
    error); any str reaching here is a path."""
    if isinstance(item, bytes | bytearray | memoryview):
        return _memory(item, field)
    if isinstance(item, str):
        return _path(_string_path(item, field), item, field, folders=folders)
    if isinstance(item, os.PathLike):
        return _path(_fspath(item, field), item, field, folders=folders)
    if is_file_object(item):
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
        if parts.netloc.lower() not in ("", "localhost"):
            raise ValidationError(f"{field}: file URL on another host: {short(text)}", field=field)
        path = url2pathname(parts.path)
        if not path:
            # "file://" is no file, and must not become "" (the working directory, expanded as a folder).
            raise ValidationError(f"{field}: file URL without a path: {short(text)}", field=field)
        return path
    return os.path.expanduser(text)


def _fspath(item: os.PathLike[str], field: str) -> str:
    try:
        path = os.fspath(item)
    except TypeError as exc:  # its __fspath__ returned neither str nor bytes
        raise ValidationError(f"{field}: unusable path object: {exc}", field=field) from None
    path = os.fsdecode(path) if isinstance(path, bytes) else path
    if not path:
        raise ValidationError(f"{field}: empty path", field=field)
    return path


def _memory(data: bytes | bytearray | memoryview, field: str) -> MemoryBytes:
    try:
        view = memoryview(data)
    except ValueError as exc:  # a released memoryview
        raise ValidationError(f"{field}: unusable buffer: {exc}", field=field) from None
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
    if size is not None and size <= 0:  # below 0: positioned past its end
        raise ValidationError(f"{field}: file object has no bytes left to read", field=field)
    return FileObject(input=stream, field=field, stream=binary, start=start, size=size)


def _path(path: str, original: object, field: str, *, folders: bool) -> LocalFile | list[PlannedImage]:
    # Absolute, so that a later chdir cannot change what is read. pathlib collapses "//" and "." but keeps
    # "..": os.path.abspath would drop "link/.." as text, naming another file than the one the OS opens
    # when "link" is a symlink.
    path = str(Path(path).absolute())
    info = _stat(path, original, field)
    if stat.S_ISDIR(info.st_mode):
        if not folders:
            raise ValidationError(f"{field}: {short(original)} is a folder; pass its files", field=field)
        return _folder(path, original, field)
    return _regular_file(path, info, original, field)


def _regular_file(path: str, info: os.stat_result, original: object, field: str) -> LocalFile:
    # The input's repr is only worked out for an error: this runs for every file, before anything is sent.
    if not stat.S_ISREG(info.st_mode):
        # FIFOs and devices are refused from stat() alone: opening a FIFO blocks until a writer appears.
        raise ValidationError(
            f"{field}: {short(original)} is not a regular file ({_kind(info.st_mode)})", field=field
        )
    try:
        # O_NONBLOCK: should the path become a FIFO between stat() and open(), open() must not hang.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ValidationError(
            f"{field}: {short(original)} cannot be opened: {_reason(exc)}", field=field
        ) from None
    try:
        info = os.fstat(fd)
    finally:
        os.close(fd)
    if not stat.S_ISREG(info.st_mode):
        raise ValidationError(
            f"{field}: {short(original)} is not a regular file ({_kind(info.st_mode)})", field=field
        )
    if info.st_size == 0:
        raise ValidationError(f"{field}: {short(original)} is empty (0 bytes)", field=field)
    return LocalFile(input=original, field=field, path=path, size=info.st_size)


def _folder(path: str, original: object, field: str) -> list[PlannedImage]:
    try:
        names = sorted(os.listdir(path))
    except OSError as exc:
        raise ValidationError(
            f"{field}: folder {short(original)} cannot be listed: {_reason(exc)}", field=field
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
            f"{field}: folder {short(original)} contains no image files "
            f"({', '.join(sorted(s.lstrip('.') for s in IMAGE_SUFFIXES))})",
            field=field,
        )
    return images


def _stat(path: str, original: object, field: str) -> os.stat_result:
    if "\x00" in path:
        raise ValidationError(
            f"{field}: a path cannot contain a NUL character: {short(original)}", field=field
        )
    try:
        return os.stat(path)
    except (UnicodeEncodeError, ValueError) as exc:
        raise ValidationError(f"{field}: unusable path {short(original)}: {exc}", field=field) from None
    except OSError as exc:
        raise ValidationError(f"{field}: {short(original)}: {_reason(exc)}", field=field) from None


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


def short(value: object) -> str:
    """An input as an error message quotes it: its repr, without a URL's credentials, at most 120 chars."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    text = without_credentials(repr(value))
    return text if len(text) <= 120 else text[:117] + "..."
