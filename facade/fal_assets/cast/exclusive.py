"""One `apply` at a time per manifest: an exclusive `fcntl.flock` on a sidecar file beside the lock.

Held from planning to the last lock write. A second `apply` (another process, or another thread of this
one) fails at once with `ApplyInProgressError` and touches nothing; the holder's own thread may enter
again (the CLI holds it around `plan` and `apply`, and `apply` takes it itself). The OS drops the lock
when its holder dies, even by kill -9, so a crash never leaves the manifest locked; what such a crash
leaves, temporary lock files, is removed when the lock is next taken.
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from .._core.text import printable
from .lock import LockError, temp_prefix

__all__ = ["ApplyInProgressError", "exclusive", "sidecar_path"]

_held: dict[str, tuple[int, int, int]] = {}  # sidecar -> (thread id, depth, fd)
_registry = threading.Lock()


class ApplyInProgressError(LockError):
    """Another `apply` on the same manifest holds its lock."""


def sidecar_path(lock_path: Path) -> Path:
    return lock_path.parent / f".{lock_path.name}.flock"


@contextlib.contextmanager
def exclusive(lock_path: Path) -> Iterator[None]:
    sidecar = sidecar_path(lock_path)
    key = str(sidecar)
    me = threading.get_ident()
    with _registry:
        held = _held.get(key)
        if held is not None:
            if held[0] != me:
                raise _busy(sidecar)
            _held[key] = (me, held[1] + 1, held[2])
            fd = None
        else:
            fd = _acquire(sidecar)
            _held[key] = (me, 1, fd)
    try:
        if fd is not None:
            _remove_stale(lock_path)
        yield
    finally:
        with _registry:
            owner, depth, held_fd = _held[key]
            if depth > 1:
                _held[key] = (owner, depth - 1, held_fd)
            else:
                del _held[key]
                os.close(held_fd)  # closing the descriptor releases the flock


def _acquire(sidecar: Path) -> int:
    import fcntl

    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(sidecar, flags, 0o644)
    except OSError as exc:
        # A read-only folder is found here, before any request, not after the uploads.
        raise LockError(
            f"{printable(sidecar.parent)}: cannot write beside the manifest ({printable(sidecar.name)}: "
            f"{exc.strerror or exc}); apply writes its lock there"
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise _busy(sidecar) from None
        raise LockError(f"{printable(sidecar)}: cannot lock: {exc.strerror or exc}") from None
    return fd


def _busy(sidecar: Path) -> ApplyInProgressError:
    return ApplyInProgressError(
        f"another apply is running on this manifest (it holds {printable(sidecar)}); nothing was done. "
        "Wait for it to finish, then plan again"
    )


def _remove_stale(lock_path: Path) -> None:
    """Temporary files of an apply that was killed: nobody else writes them while the lock is held."""
    prefix = temp_prefix(lock_path)
    with contextlib.suppress(OSError):
        for name in os.listdir(lock_path.parent):
            if name.startswith(prefix):
                with contextlib.suppress(OSError):
                    os.unlink(lock_path.parent / name)
