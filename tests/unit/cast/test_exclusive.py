"""The lock's exclusive access during apply: one holder at a time (another process or thread is refused at
once, nothing waits), re-entrant in its own thread, released on exit, and a killed apply's temporary files
removed when the lock is taken."""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

import pytest
from fal_assets.cast.exclusive import ApplyInProgressError, exclusive, sidecar_path
from fal_assets.cast.lock import LockError, temp_prefix


def test_the_sidecar_is_hidden_beside_the_lock(tmp_path: Path) -> None:
    assert sidecar_path(tmp_path / "cast.lock") == tmp_path / ".cast.lock.flock"


def test_another_holder_is_refused_and_nothing_waits(tmp_path: Path) -> None:
    lock = tmp_path / "cast.lock"
    other = os.open(tmp_path / ".cast.lock.flock", os.O_RDWR | os.O_CREAT)  # another process's apply
    try:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(ApplyInProgressError, match="another apply is running") as caught, exclusive(lock):
            pass
        assert isinstance(caught.value, LockError)
    finally:
        os.close(other)
    with exclusive(lock):  # free again
        pass


def test_reentrant_in_its_thread_refused_in_another(tmp_path: Path) -> None:
    lock = tmp_path / "cast.lock"
    seen: list[BaseException] = []

    def other_thread() -> None:
        try:
            with exclusive(lock):
                pass
        except ApplyInProgressError as exc:
            seen.append(exc)

    with exclusive(lock):
        with exclusive(lock):
            pass
        worker = threading.Thread(target=other_thread)
        worker.start()
        worker.join()
    assert len(seen) == 1
    worker = threading.Thread(target=other_thread)  # released: the next apply gets it
    worker.start()
    worker.join()
    assert len(seen) == 1


def test_a_killed_apply_s_temporary_files_are_removed(tmp_path: Path) -> None:
    lock = tmp_path / "cast.lock"
    stale = tmp_path / f"{temp_prefix(lock)}abc"
    stale.write_text("{}")
    keep = tmp_path / "cast.toml"
    keep.write_text("")
    with exclusive(lock):
        assert not stale.exists() and keep.exists()


def test_a_folder_it_cannot_write_is_a_lock_error(tmp_path: Path) -> None:
    with (
        pytest.raises(LockError, match="cannot write beside the manifest"),
        exclusive(tmp_path / "no" / "a.lock"),
    ):
        pass
