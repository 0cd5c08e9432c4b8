"""Source files for the upload cases, with the sha256 the fake must end up holding."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

MiB = 1024 * 1024
# A PNG signature up front, so that anything sniffing the content type sees the image the name promises.
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_MARK_BYTES = 4096


@dataclass(frozen=True)
class SourceFile:
    path: Path
    size: int
    sha256: str


def make_files(directory: Path, count: int, size: int, *, tag: str) -> list[SourceFile]:
    """`count` files of random content: every run gets fresh bytes, so no dedupe cache can serve them."""
    directory.mkdir(parents=True, exist_ok=True)
    files: list[SourceFile] = []
    for index in range(count):
        data = (_PNG_SIGNATURE + os.urandom(size))[:size]
        path = directory / f"{tag}-{index:03d}.png"
        path.write_bytes(data)
        files.append(SourceFile(path, size, hashlib.sha256(data).hexdigest()))
    return files


def make_sparse_file(path: Path, size: int) -> SourceFile:
    """A big file that costs seconds, not a gigabyte of writes, to create.

    A random block opens every MiB so that every part of any part size ≥ 1 MiB is distinct: a part sent
    twice, dropped or reassembled out of order changes the sha256. The holes read back as real zero bytes,
    so uploaders do read every byte.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        out.truncate(size)
        for offset in range(0, size, MiB):
            out.seek(offset)
            out.write(os.urandom(min(_MARK_BYTES, size - offset)))
    return SourceFile(path, size, sha256_of(path))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(MiB):
            digest.update(chunk)
    return digest.hexdigest()
