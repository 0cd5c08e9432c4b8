"""`cast/fetch.py`, checking what a lock claims, on the served FakeFal: every (source, url) pair whose url is
on a fal host and whose source has a size is fetched once, without a credential, and kept only when the body
hashes to the source's sha256. Whatever goes wrong with a fetch (absent, refused, cut short, too long, wrong
content) means "not verified", never an error: that content is uploaded again. The sync and async clients
agree, and neither has more than 8 fetches in flight."""

from __future__ import annotations

import hashlib
import signal
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from fal_assets import ClientClosedError, FalAssets
from fal_assets.cast.fetch import verified_async, verified_sync
from fal_assets.cast.manifest import Source
from fal_assets.testing import FakeFal

from tests.support import async_client, sync_client

CONCURRENCY = 8  # fetch.py's documented bound on fetches in flight


def content(seed: int, size: int = 256) -> bytes:
    body = hashlib.sha256(str(seed).encode()).digest() * (size // 32 + 1)
    return (b"\x89PNG\r\n\x1a\n" + body)[:size]


def source_of(data: bytes, label: str = "img.png") -> Source:
    digest = hashlib.sha256(data).hexdigest()
    return Source(key=f"sha256:{digest}", label=label, path=f"/cast/{label}", size=len(data), sha256=digest)


def seeded(fake: FakeFal, data: bytes, name: str = "img.png") -> tuple[Source, str]:
    """A local source and the fake CDN URL holding exactly its content."""
    return source_of(data, name), fake.add_file(data, name, content_type="image/png")


def fetches(fake: FakeFal) -> list[str]:
    return [r.path for r in fake.requests if r.operation == "fileGet"]


@pytest.fixture
def client(fal_fake: FakeFal) -> Iterator[FalAssets]:
    with sync_client(fal_fake) as made:
        yield made


def test_a_url_holding_the_content_is_verified_and_fetched_without_a_credential(
    client: FalAssets, fal_fake: FakeFal
) -> None:
    source, url = seeded(fal_fake, content(1))
    assert verified_sync(client, [(source, url)]) == {(source.key, url)}
    [request] = fal_fake.requests
    assert (request.method, request.operation, request.status) == ("GET", "fileGet", 200)
    assert request.auth_scheme is None and "authorization" not in request.headers


def test_every_pair_is_checked_once_when_there_are_more_than_the_concurrency(
    client: FalAssets, fal_fake: FakeFal
) -> None:
    pairs = [seeded(fal_fake, content(i), f"{i:02d}.png") for i in range(3 * CONCURRENCY + 1)]
    assert verified_sync(client, pairs) == {(s.key, url) for s, url in pairs}
    assert sorted(fetches(fal_fake)) == sorted(urlsplit(url).path for _, url in pairs)


def test_absent_wrong_or_longer_content_is_not_verified_and_does_not_raise(
    client: FalAssets, fal_fake: FakeFal
) -> None:
    good, good_url = seeded(fal_fake, content(1), "good.png")
    absent_url = good_url.rsplit("/", 1)[0] + "/absent.png"
    wrong_url = fal_fake.add_file(content(2), "wrong.png")  # same size, other bytes
    longer_url = fal_fake.add_file(content(1) + b"tail", "longer.png")  # more than the local file
    shorter_url = fal_fake.add_file(content(1)[:-1], "shorter.png")
    pairs = [(good, good_url), (good, absent_url), (good, wrong_url), (good, longer_url), (good, shorter_url)]
    assert verified_sync(client, pairs) == {(good.key, good_url)}
    statuses = {r.path.rsplit("/", 1)[1]: r.status for r in fal_fake.requests}
    assert statuses["absent.png"] == 404 and len(fetches(fal_fake)) == 5  # a 404 is not retried


def test_only_sized_sources_on_fal_hosts_are_fetched(client: FalAssets, fal_fake: FakeFal) -> None:
    source, url = seeded(fal_fake, content(1))
    assert fal_fake.fal_hosts == frozenset({"127.0.0.1"})
    # The same file through a host that is not a fal host: it would match, but must not be requested.
    other_host = url.replace("127.0.0.1", "localhost")
    unsized = Source(key="019e6d0a-e5be-7b82-b329-35ae64296902", label="an id")  # no local content
    pairs = [(source, other_host), (source, "file:///etc/passwd"), (source, "not a url"), (unsized, url)]
    assert verified_sync(client, pairs) == set()
    assert fal_fake.requests == []


def test_nothing_to_check_sends_nothing(client: FalAssets, fal_fake: FakeFal) -> None:
    assert verified_sync(client, []) == set()
    assert fal_fake.requests == []


def test_a_failed_fetch_is_retried_once_then_given_up(client: FalAssets, fal_fake: FakeFal) -> None:
    first, first_url = seeded(fal_fake, content(1), "first.png")
    fal_fake.fail_next(1, 503, path=r"/first\.png$")
    assert verified_sync(client, [(first, first_url)]) == {(first.key, first_url)}
    assert [r.status for r in fal_fake.requests] == [503, 200]

    fal_fake.reset()
    second, second_url = seeded(fal_fake, content(2), "second.png")
    fal_fake.fail_next(5, 503, path=r"/second\.png$")
    assert verified_sync(client, [(second, second_url)]) == set()
    assert [r.status for r in fal_fake.requests] == [503, 503]  # max_retries=1: two attempts, no more
    assert fal_fake.pending_faults == 3


def test_a_body_cut_short_is_not_verified(client: FalAssets, fal_fake: FakeFal) -> None:
    source, url = seeded(fal_fake, content(1, size=4096))
    fal_fake.body_fault_next("cut", 2, amount=100)
    assert verified_sync(client, [(source, url)]) == set()
    assert len(fetches(fal_fake)) == 2 and fal_fake.pending_faults == 0


def test_an_unreachable_host_is_not_verified(client: FalAssets, fal_fake: FakeFal) -> None:
    source, _ = seeded(fal_fake, content(1))
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    # Nothing listens there now: the connection is refused, which is a reason to upload, not to fail.
    assert verified_sync(client, [(source, f"http://127.0.0.1:{port}/cdn/files/x/img.png")]) == set()


def test_sync_fetches_are_bounded_by_the_concurrency(client: FalAssets, fal_fake: FakeFal) -> None:
    pairs = [seeded(fal_fake, content(i), f"{i:02d}.png") for i in range(2 * CONCURRENCY)]
    fal_fake.latency = 0.1
    assert len(verified_sync(client, pairs)) == len(pairs)
    assert 1 < fal_fake.peak_concurrency <= CONCURRENCY


@pytest.mark.anyio
async def test_async_checks_agree_with_sync_and_are_bounded_by_the_concurrency(fal_fake: FakeFal) -> None:
    good = [seeded(fal_fake, content(i), f"{i:02d}.png") for i in range(2 * CONCURRENCY)]
    wrong_url = fal_fake.add_file(content(99), "wrong.png")
    absent_url = good[0][1].rsplit("/", 1)[0] + "/absent.png"
    pairs = [
        *good,
        (good[0][0], wrong_url),
        (good[1][0], absent_url),
        (good[2][0], "https://example.com/x.png"),
    ]
    with sync_client(fal_fake) as sync:
        expected = verified_sync(sync, pairs)
    assert expected == {(s.key, url) for s, url in good}
    fal_fake.reset()
    fal_fake.latency = 0.1
    async with async_client(fal_fake) as client:
        assert await verified_async(client, pairs) == expected
        assert await verified_async(client, []) == set()
    assert len(fetches(fal_fake)) == len(pairs) - 1  # example.com is not a fal host
    assert 1 < fal_fake.peak_concurrency <= CONCURRENCY


def test_a_closed_client_is_an_error_not_an_unverified_lock(fal_fake: FakeFal) -> None:
    pairs = [seeded(fal_fake, content(1))]
    with sync_client(fal_fake) as closed:
        pass
    with pytest.raises(ClientClosedError):
        verified_sync(closed, pairs)
    assert fal_fake.requests == []


@pytest.mark.anyio
async def test_a_closed_async_client_is_an_error_not_an_unverified_lock(fal_fake: FakeFal) -> None:
    pairs = [seeded(fal_fake, content(1))]
    async with async_client(fal_fake) as closed:
        pass
    with pytest.raises(ClientClosedError):
        await verified_async(closed, pairs)


def test_ctrl_c_during_the_check_leaves_at_once_with_no_fetch_left_running(
    client: FalAssets, fal_fake: FakeFal
) -> None:
    # Every reply takes 1.5 s: leaving must not wait for the fetches in flight (nor the queued ones).
    pairs = [seeded(fal_fake, content(i), f"{i:02d}.png") for i in range(2 * CONCURRENCY)]
    fal_fake.latency = 1.5
    before = set(threading.enumerate())
    # A real SIGINT, as Ctrl-C sends: it wakes the main thread from waiting on the pool's results.
    main = threading.main_thread().ident
    assert main is not None and threading.get_ident() == main
    timer = threading.Timer(0.3, signal.pthread_kill, (main, signal.SIGINT))
    started = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        verified_sync(client, pairs)
    left = time.monotonic() - started
    timer.join()
    assert left < 1.0, f"Ctrl-C took {left:.1f} s to leave the check"
    assert not [t for t in set(threading.enumerate()) - before if t.name.startswith("fal-assets-verify")]
