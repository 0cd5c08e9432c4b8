"""Downloads under faults: a download stopped at any byte (or its process killed) and rerun converges on
the exact bytes with nothing partial under the final name; a hostile CDN (trickle, endless body, wrong
length, redirect, a range not asked for) fails typed and within its deadline; hostile names stay inside
the destination folder. Every server here is on 127.0.0.1, every wait bounded."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fal_assets import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ContentMismatchError,
    DownloadProgress,
    FalAssets,
    ResponseTooLargeError,
)
from fal_assets.testing import FakeFal

from tests.hostile import endless, head, redirect, serving, trickle
from tests.support import Sleeps, sync_client

DATA = os.urandom(400_000)
STOPS = [0, 1, 16_384, 65_536, len(DATA) // 2, len(DATA) - 1, len(DATA)]


def leftovers(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


class Killed(BaseException):
    """Stands in for the process dying: raised from the progress callback, it unwinds everything."""


@pytest.mark.parametrize("stop_at", STOPS)
def test_stopped_at_any_byte_then_rerun_converges(fal_fake: FakeFal, tmp_path: Path, stop_at: int) -> None:
    url = fal_fake.add_file(DATA, "a.bin")
    final = tmp_path / "a.bin"
    stopped: list[int] = []

    def die(progress: DownloadProgress) -> None:
        if progress.received >= stop_at and not stopped:
            stopped.append(progress.received)
            raise Killed

    with sync_client(fal_fake) as client:
        if stop_at == 0:  # the connection dies before the first byte, and no retry is allowed
            fal_fake.body_fault_next("cut", amount=0)
            with pytest.raises(APIConnectionError):
                client.files.download(url, final, max_retries=0)
        else:
            with pytest.raises(Killed):
                client.files.download(url, final, on_progress=die)
        assert not final.exists()  # nothing partial under the final name
        assert client.files.download(url, final).read_bytes() == DATA
    assert leftovers(tmp_path) == ["a.bin"]
    gets = [r for r in fal_fake.requests if r.operation == "fileGet"]
    if stop_at and stopped[0] < len(DATA):
        assert gets[-1].headers.get("range") == f"bytes={stopped[0]}-" and gets[-1].status == 206


def test_resumes_where_the_file_system_has_no_extended_attributes(
    fal_fake: FakeFal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The validator then goes to a .meta file beside the partial one, and is removed with it."""

    def unsupported(*args: object) -> None:
        raise OSError(95, "Operation not supported")

    monkeypatch.setattr(os, "setxattr", unsupported, raising=False)
    monkeypatch.setattr(os, "getxattr", unsupported, raising=False)
    url = fal_fake.add_file(DATA, "a.bin")
    final = tmp_path / "a.bin"

    def die(progress: DownloadProgress) -> None:
        if progress.received >= 100_000:
            raise Killed

    with sync_client(fal_fake) as client:
        with pytest.raises(Killed):
            client.files.download(url, final, on_progress=die)
        assert [p.name.endswith(".meta") for p in sorted(tmp_path.iterdir())] == [False, True]
        assert client.files.download(url, final).read_bytes() == DATA
    assert leftovers(tmp_path) == ["a.bin"]
    last = [r for r in fal_fake.requests if r.operation == "fileGet"][-1]
    assert last.status == 206 and (last.headers.get("range") or "").startswith("bytes=")


def test_cut_bodies_are_resumed_within_one_call(fal_fake: FakeFal, tmp_path: Path) -> None:
    url = fal_fake.add_file(DATA, "a.bin")
    fal_fake.body_fault_next("cut", 3, amount=50_000)
    sleeps = Sleeps()
    with sync_client(fal_fake, sleeps) as client:
        assert client.files.download(url, tmp_path / "a.bin").read_bytes() == DATA
    sizes = [r.headers.get("range") for r in fal_fake.requests if r.operation == "fileGet"]
    assert sizes == [None, "bytes=50000-", "bytes=100000-", "bytes=150000-"] and len(sleeps.waits) == 3


def test_a_changed_file_restarts_instead_of_mixing(fal_fake: FakeFal, tmp_path: Path) -> None:
    url = fal_fake.add_file(DATA, "a.bin")
    final = tmp_path / "a.bin"

    def die(progress: DownloadProgress) -> None:
        raise Killed

    with sync_client(fal_fake) as client:
        with pytest.raises(Killed):
            client.files.download(url, final, on_progress=die)
        [partial] = tmp_path.glob("*.part")
        # As if the file had changed on the CDN since: the stored validator names another version (kept as
        # an extended attribute where the file system has them, else in a .meta file beside it).
        try:
            os.setxattr(partial, "user.fal-assets.validator", b'"another-version"')
        except (AttributeError, OSError):
            partial.with_name(partial.name + ".meta").write_text('"another-version"')
        assert client.files.download(url, final).read_bytes() == DATA
    [get] = [r for r in fal_fake.requests if r.operation == "fileGet"][-1:]
    assert get.status == 200  # If-Range did not match: the whole file, not a range of another version


def test_a_killed_process_leaves_a_partial_file_a_rerun_completes(fal_fake: FakeFal, tmp_path: Path) -> None:
    url = fal_fake.add_file(DATA, "a.bin")
    fal_fake.body_fault_next("slow", amount=0.002)
    final = tmp_path / "a.bin"
    kwargs = fal_fake.client_kwargs()
    code = (
        "import sys; from fal_assets import FalAssets\n"
        f"c = FalAssets(api_key={kwargs['api_key']!r}, base_url={kwargs['base_url']!r},"
        f" storage_base_url={kwargs['storage_base_url']!r}, fal_hosts={sorted(kwargs['fal_hosts'])!r})\n"
        f"c.files.download({url!r}, {str(final)!r})\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code])
    try:
        stop = time.monotonic() + 20
        while time.monotonic() < stop and not any(p.stat().st_size > 1000 for p in tmp_path.glob(".*.part")):
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(10)
    assert not final.exists()
    [partial] = tmp_path.glob(".*.part")
    done = partial.stat().st_size
    assert 0 < done < len(DATA)
    with sync_client(fal_fake) as client:
        assert client.files.download(url, final).read_bytes() == DATA
    assert leftovers(tmp_path) == ["a.bin"]
    assert (
        [r for r in fal_fake.requests if r.operation == "fileGet"][-1].headers["range"].startswith("bytes=")
    )


def hostile_client(origin: str) -> FalAssets:
    return FalAssets(
        api_key="k", base_url=origin, storage_base_url=origin, fal_hosts=["127.0.0.1"], max_retries=0
    )


def test_a_trickling_cdn_fails_typed_within_the_deadline(tmp_path: Path) -> None:
    with serving(trickle(b"x" * 1000, interval=0.05)) as server, hostile_client(server.origin) as client:
        start = time.monotonic()
        with pytest.raises(APITimeoutError):
            client.files.download(f"{server.origin}/f.bin", tmp_path / "f.bin", deadline=1.0)
        assert time.monotonic() - start < 2.5
    assert not (tmp_path / "f.bin").exists()


def test_an_endless_body_stops_at_the_cap_or_the_deadline(tmp_path: Path) -> None:
    with (
        serving(endless()) as server,
        hostile_client(server.origin) as client,
        pytest.raises(ResponseTooLargeError),
    ):
        client.files.download(f"{server.origin}/f.bin", tmp_path / "f.bin", max_bytes=2_000_000)
    with serving(endless(interval=0.01)) as server, hostile_client(server.origin) as client:
        start = time.monotonic()
        with pytest.raises(APITimeoutError):
            client.files.download(f"{server.origin}/g.bin", tmp_path / "g.bin", deadline=1.0)
        assert time.monotonic() - start < 2.5
    assert not (tmp_path / "f.bin").exists() and not (tmp_path / "g.bin").exists()


def test_a_short_body_is_never_taken_for_the_file(tmp_path: Path) -> None:
    def short(conn: socket.socket, request: object) -> None:
        conn.sendall(head(200, {"Content-Length": "100"}) + b"x" * 40)
        raise OSError("hang up")  # the hostile server closes the connection

    with serving(short) as server, hostile_client(server.origin) as client:
        start = time.monotonic()
        with pytest.raises(APIConnectionError):
            client.files.download(f"{server.origin}/f.bin", tmp_path / "f.bin", max_retries=3, deadline=5)
        # The first attempt got bytes (no retry used up), each later one restarted at 0 and got no further.
        assert time.monotonic() - start < 5 and len(server.requests) == 1 + 1 + 3
    assert not (tmp_path / "f.bin").exists()


def test_a_range_not_asked_for_is_refused(fal_fake: FakeFal, tmp_path: Path) -> None:
    def wrong_range(conn: socket.socket, request: object) -> None:
        headers = {"Content-Length": "10", "Content-Range": "bytes 5-14/100"}
        conn.sendall(head(206, headers) + b"y" * 10)

    with (
        serving(wrong_range) as server,
        hostile_client(server.origin) as client,
        pytest.raises(ContentMismatchError),
    ):
        client.files.download(f"{server.origin}/f.bin", tmp_path / "f.bin")
    assert not (tmp_path / "f.bin").exists()


def test_a_redirect_is_not_followed(tmp_path: Path) -> None:
    with (
        serving(redirect("https://example.com/elsewhere")) as server,
        hostile_client(server.origin) as client,
    ):
        with pytest.raises(APIStatusError) as caught:
            client.files.download(f"{server.origin}/f.bin", tmp_path / "f.bin")
        assert caught.value.status_code == 302 and len(server.requests) == 1
    assert leftovers(tmp_path) == []


HOSTILE_NAMES = [
    "../../escape.bin",
    "...",
    "/etc/passwd",
    "..\\..\\win.bin",
    "CON.png",
    "nul",
    "a\x00b\x1fc\x7f.bin",
    ".hidden",
    "x" * 300 + ".png",
    " . ",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_never_leave_the_folder(fal_fake: FakeFal, tmp_path: Path, name: str) -> None:
    folder = tmp_path / "dest"
    folder.mkdir()
    url = fal_fake.add_file(DATA[:100], name)
    fal_fake.add_asset(url)
    with sync_client(fal_fake) as client:
        path = client.files.download(url, folder)
        [asset] = client.assets.list().assets
        by_asset = client.assets.download(asset, tmp_path / "assets")
    for written in (path, by_asset):
        assert written.read_bytes() == DATA[:100]
        assert written.parent.name in ("dest", "assets") and written.parent.parent == tmp_path
        assert not written.name.startswith(".") and len(written.name.encode()) <= 200
        assert written.name.split(".")[0].upper() not in ("CON", "NUL")
        assert all(ord(ch) >= 32 and ch not in "/\\" for ch in written.name)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["assets", "dest"]
