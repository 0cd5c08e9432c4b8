"""Reliability under faults: nothing duplicated, nothing lost, every failure typed.

Runs against a served FakeFal (real HTTP on 127.0.0.1) with the sleep injected, so no test waits for a
backoff. Faults are injected per operation (path regex + method), so seeding never consumes them. Every
fault count is bounded; the only real waits are the slow-server cases (a few hundred ms each).
"""

from __future__ import annotations

import asyncio
import collections
import hashlib
import json
import os
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fal_assets import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncFalAssets,
    FalAssets,
    FalAssetsError,
    InternalServerError,
    RateLimitError,
    UploadError,
    UploadSettings,
)
from fal_assets._core.retry import RetryPolicy
from fal_assets.testing import FakeFal, RecordedRequest

from tests.support import VECTOR_ID, Sleeps, api_requests, async_client, report_tally_line, sync_client

TALLY: collections.Counter[str] = collections.Counter()

ITEM = r"^/v1/assets/characters/[^/]+"
COLLECTION = r"^/v1/assets/characters$"


@dataclass(frozen=True)
class Op:
    """One API operation, how to call it on either client (extra keyword arguments such as `max_retries`
    are passed through), and where its requests go."""

    name: str
    method: str
    path: str
    sync: Callable[..., object]
    aio: Callable[..., Awaitable[object]]
    success: int = 200

    @property
    def is_write(self) -> bool:
        return self.method != "GET"

    def __str__(self) -> str:
        return self.name


def _create(c: Any, cid: str, **kw: Any) -> Any:
    return c.characters.create(name="Made", description="d", reference_images=[VECTOR_ID], **kw)


OPS = [
    Op(
        "listAssetCharacters",
        "GET",
        COLLECTION,
        lambda c, cid, **kw: c.characters.list(**kw),
        lambda c, cid, **kw: c.characters.list(**kw),
    ),
    Op("createAssetCharacter", "POST", COLLECTION, _create, _create, 201),
    Op(
        "getAssetCharacter",
        "GET",
        ITEM + "$",
        lambda c, cid, **kw: c.characters.get(cid, **kw),
        lambda c, cid, **kw: c.characters.get(cid, **kw),
    ),
    Op(
        "updateAssetCharacter",
        "PATCH",
        ITEM + "$",
        lambda c, cid, **kw: c.characters.update(cid, name="Changed", **kw),
        lambda c, cid, **kw: c.characters.update(cid, name="Changed", **kw),
    ),
    Op(
        "deleteAssetCharacter",
        "DELETE",
        ITEM + "$",
        lambda c, cid, **kw: c.characters.delete(cid, **kw),
        lambda c, cid, **kw: c.characters.delete(cid, **kw),
        204,
    ),
    Op(
        "favoriteAssetCharacter",
        "POST",
        ITEM + "/favorite$",
        lambda c, cid, **kw: c.characters.favorite(cid, **kw),
        lambda c, cid, **kw: c.characters.favorite(cid, **kw),
    ),
    Op(
        "unfavoriteAssetCharacter",
        "POST",
        ITEM + "/unfavorite$",
        lambda c, cid, **kw: c.characters.unfavorite(cid, **kw),
        lambda c, cid, **kw: c.characters.unfavorite(cid, **kw),
    ),
]
WRITES = [op for op in OPS if op.is_write]

# One served fake and one client of each kind for the whole module: building an httpx client costs ~70 ms
# (its SSL context), which over ~200 cases would dominate the run. Per-call `max_retries` and `timeout`
# give each case its own policy; the injected sleep records into SLEEPS.
SLEEPS = Sleeps()


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"  # module scope, so that the async client below can live for the whole module


@pytest.fixture(scope="module")
def shared_fake() -> Iterator[FakeFal]:
    with FakeFal.serve() as fake:
        yield fake


@pytest.fixture(scope="module")
def client(shared_fake: FakeFal) -> Iterator[FalAssets]:
    with sync_client(shared_fake, SLEEPS) as c:
        yield c


@pytest.fixture(scope="module")
async def aclient(shared_fake: FakeFal) -> AsyncIterator[AsyncFalAssets]:
    async with async_client(shared_fake, SLEEPS) as c:
        yield c


@pytest.fixture
def fake(shared_fake: FakeFal) -> FakeFal:
    """The module's served fake with faults, latency and statistics cleared (characters stay)."""
    shared_fake.reset()
    SLEEPS.waits.clear()
    return shared_fake


@pytest.fixture(scope="module", autouse=True)
def report_tally(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    report_tally_line(request, "faults", TALLY)


def seed(fake: FakeFal, **fields: Any) -> str:
    cid: str = fake.add_character(name="Seed", reference_images=[], **fields)["id"]
    return cid


def injected(kind: str, count: int) -> None:
    TALLY["faults injected"] += count
    TALLY[f"faults injected ({kind})"] += count


API_WRITES = (
    "createAssetCharacter",
    "updateAssetCharacter",
    "deleteAssetCharacter",
    "favoriteAssetCharacter",
    "unfavoriteAssetCharacter",
)


def applied(fake: FakeFal) -> int:
    """Character writes the server applied (idempotent replays excluded; storage requests not counted)."""
    total = sum(fake.writes_applied[name] for name in API_WRITES)
    TALLY["character writes applied (counted by the fake)"] += total
    return total


def assert_state_after(op: Op, fake: FakeFal, cid: str, before: set[str]) -> None:
    """The server holds exactly the effect of one application of `op`."""
    chars = fake.characters
    if op.name == "createAssetCharacter":
        made = set(chars) - before
        assert len(made) == 1, f"expected exactly one new character, got {len(made)}"
        assert chars[made.pop()]["name"] == "Made"
    elif op.name == "deleteAssetCharacter":
        assert cid not in chars
        assert set(chars) == before - {cid}
    else:
        assert set(chars) == before
        if op.name == "updateAssetCharacter":
            assert chars[cid]["name"] == "Changed"
        elif op.name == "favoriteAssetCharacter":
            assert chars[cid]["is_favorited"] is True
        elif op.name == "unfavoriteAssetCharacter":
            assert chars[cid]["is_favorited"] is False


def one_key(attempts: list[RecordedRequest]) -> str:
    keys = {r.idempotency_key for r in attempts}
    assert len(keys) == 1, f"the retries used {len(keys)} different Idempotency-Keys"
    (key,) = keys
    assert key, "a write was sent without an Idempotency-Key"
    return key


# -- connection dropped after the server applied the write --------------------------------------------


@pytest.mark.parametrize("drops", [1, 2])
@pytest.mark.parametrize("op", WRITES, ids=str)
def test_dropped_write_is_retried_with_its_key_and_applied_once(
    fake: FakeFal, client: FalAssets, op: Op, drops: int
) -> None:
    cid = seed(fake, is_favorited=op.name == "unfavoriteAssetCharacter")
    before = set(fake.characters)
    fake.drop_after_write(drops, path=op.path, method=op.method)
    injected("drop after write", drops)
    op.sync(client, cid, max_retries=2)
    attempts = api_requests(fake, op.name)
    assert [r.fault for r in attempts] == ["drop"] * drops + [None]
    one_key(attempts)
    assert attempts[-1].idempotent_replay, "the last attempt should have been answered from the ledger"
    assert applied(fake) == 1
    assert fake.writes_applied[op.name] == 1
    assert len(SLEEPS.waits) == drops
    assert_state_after(op, fake, cid, before)


@pytest.mark.anyio
@pytest.mark.parametrize("op", WRITES, ids=str)
async def test_async_dropped_write_is_applied_once(fake: FakeFal, aclient: AsyncFalAssets, op: Op) -> None:
    cid = seed(fake, is_favorited=op.name == "unfavoriteAssetCharacter")
    before = set(fake.characters)
    fake.drop_after_write(2, path=op.path, method=op.method)
    injected("drop after write", 2)
    await op.aio(aclient, cid, max_retries=2)
    attempts = api_requests(fake, op.name)
    assert len(attempts) == 3
    one_key(attempts)
    assert attempts[-1].idempotent_replay
    assert applied(fake) == 1
    assert_state_after(op, fake, cid, before)


@pytest.mark.parametrize("op", WRITES, ids=str)
def test_drops_beyond_the_budget_fail_typed_and_still_applied_once(
    fake: FakeFal, client: FalAssets, op: Op
) -> None:
    """Every attempt reached the server and was dropped: the call fails, but the write exists once."""
    cid = seed(fake, is_favorited=op.name == "unfavoriteAssetCharacter")
    before = set(fake.characters)
    fake.drop_after_write(3, path=op.path, method=op.method)
    injected("drop after write", 3)
    with pytest.raises(APIConnectionError) as info:
        op.sync(client, cid, max_retries=2)
    assert info.value.attempts == 3
    attempts = api_requests(fake, op.name)
    assert len(attempts) == 3
    one_key(attempts)
    assert [r.idempotent_replay for r in attempts] == [False, True, True]
    assert applied(fake) == 1
    assert_state_after(op, fake, cid, before)


@pytest.mark.parametrize("op", WRITES, ids=str)
def test_write_that_timed_out_after_being_applied_is_replayed(fal_fake: FakeFal, op: Op) -> None:
    """The first attempt times out while the server is still working; the server applies it anyway.
    The retry (same key) must get the stored answer, not apply the write a second time."""
    cid = seed(fal_fake, is_favorited=op.name == "unfavoriteAssetCharacter")
    before = set(fal_fake.characters)
    fal_fake.latency = 0.3
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        # Between attempts: let the server finish the first attempt, then make it fast again.
        waits.append(seconds)
        fal_fake.latency = 0
        give_up = time.monotonic() + 5
        while fal_fake.writes_applied[op.name] == 0 and time.monotonic() < give_up:
            time.sleep(0.01)

    injected("slow write timed out", 1)
    with sync_client(fal_fake, sleep=sleep, timeout=0.1, max_retries=3) as client:
        op.sync(client, cid)
    attempts = api_requests(fal_fake, op.name)
    # Normally two attempts; on a loaded machine a retry can time out too (0.1 s), which changes nothing:
    # every attempt after the first is answered from the ledger.
    assert len(attempts) >= 2
    assert len(waits) == len(attempts) - 1
    one_key(attempts)
    assert [r.idempotent_replay for r in attempts] == [False] + [True] * (len(attempts) - 1)
    assert applied(fal_fake) == 1
    assert_state_after(op, fal_fake, cid, before)


# -- 5xx bursts against the retry budget ---------------------------------------------------------------

BURST = [500, 502, 503, 504]
BUDGET = 3


def backoff_bounds(retry_number: int) -> tuple[float, float]:
    policy = RetryPolicy()
    base = min(policy.initial_delay * 2.0 ** (retry_number - 1), policy.max_delay)
    return 0.75 * base, base


def inject_burst(fake: FakeFal, op: Op, burst: int) -> list[int]:
    statuses = [BURST[i % len(BURST)] for i in range(burst)]
    for status in statuses:
        fake.fail_next(1, status, path=op.path, method=op.method)
    injected("5xx", burst)
    return statuses


def check_burst(
    fake: FakeFal, op: Op, burst: int, statuses: list[int], error: InternalServerError | None
) -> None:
    attempts = api_requests(fake, op.name)
    retries = min(burst, BUDGET)
    assert len(attempts) == retries + 1
    assert len(SLEEPS.waits) == retries
    for number, wait in enumerate(SLEEPS.waits, start=1):
        low, high = backoff_bounds(number)
        assert low <= wait <= high, f"retry {number} waited {wait}, outside [{low}, {high}]"
    if op.is_write:
        one_key(attempts)
    if error is None:
        assert burst <= BUDGET
        assert attempts[-1].status == op.success
        assert applied(fake) == (1 if op.is_write else 0)
    else:
        assert burst > BUDGET
        assert error.attempts == BUDGET + 1
        assert error.status_code == statuses[BUDGET]
        assert error.request_id == attempts[-1].request_id, "the error must carry the LAST request id"
        assert error.request_id in str(error)
        assert f"after {BUDGET + 1} attempts" in str(error)
        assert applied(fake) == 0


@pytest.mark.parametrize("burst", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("op", OPS, ids=str)
def test_5xx_burst_against_the_budget(fake: FakeFal, client: FalAssets, op: Op, burst: int) -> None:
    """A burst of mixed 5xx no longer than max_retries (3) succeeds; a longer one raises the typed error
    with the attempt count and the request id of the last attempt."""
    cid = seed(fake)
    before = set(fake.characters)
    statuses = inject_burst(fake, op, burst)
    error = None
    if burst <= BUDGET:
        op.sync(client, cid, max_retries=BUDGET)
    else:
        with pytest.raises(InternalServerError) as info:
            op.sync(client, cid, max_retries=BUDGET)
        error = info.value
    check_burst(fake, op, burst, statuses, error)
    if error is None and op.is_write:
        assert_state_after(op, fake, cid, before)
    if error is not None:
        assert set(fake.characters) == before


@pytest.mark.anyio
@pytest.mark.parametrize("burst", [3, 4])
@pytest.mark.parametrize("op", OPS, ids=str)
async def test_async_5xx_burst_against_the_budget(
    fake: FakeFal, aclient: AsyncFalAssets, op: Op, burst: int
) -> None:
    cid = seed(fake)
    statuses = inject_burst(fake, op, burst)
    error = None
    if burst <= BUDGET:
        await op.aio(aclient, cid, max_retries=BUDGET)
    else:
        with pytest.raises(InternalServerError) as info:
            await op.aio(aclient, cid, max_retries=BUDGET)
        error = info.value
    check_burst(fake, op, burst, statuses, error)


# -- 429 and server-requested waits --------------------------------------------------------------------


def test_each_retry_waits_what_that_response_asked_for(fake: FakeFal, client: FalAssets) -> None:
    """A sequence of rate limits, each with its own hint, across one call's retries."""
    cid = seed(fake)
    hints: list[tuple[int, dict[str, str]]] = [
        (429, {"Retry-After": "1.5"}),
        (429, {"x-ratelimit-reset": "4"}),  # seconds from now
        (429, {"x-ratelimit-reset": str(int(time.time()) + 20)}),  # a Unix time
        (503, {"Retry-After": "2", "x-ratelimit-reset": "9"}),  # Retry-After wins
        (429, {"Retry-After": "86400"}),  # capped
        (429, {"Retry-After": "inf"}),  # capped, not forever
    ]
    for status, headers in hints:
        fake.fail_next(1, status, headers=headers, path=ITEM + "$", method="PATCH")
    injected("429/503 with a wait hint", len(hints))
    assert client.characters.update(cid, name="Changed", max_retries=len(hints)).name == "Changed"
    cap = RetryPolicy().max_server_wait
    waits = SLEEPS.waits
    assert waits[:2] == [1.5, 4.0]
    assert 17.0 <= waits[2] <= 20.0
    assert waits[3:] == [2.0, cap, cap]
    assert applied(fake) == 1


@pytest.mark.parametrize(
    "headers",
    [{"Retry-After": "soon"}, {"Retry-After": ""}, {"x-ratelimit-reset": "later"}, {}],
    ids=["garbage", "empty", "garbage-reset", "none"],
)
def test_unusable_hints_fall_back_to_bounded_backoff(
    fake: FakeFal, client: FalAssets, headers: dict[str, str]
) -> None:
    cid = seed(fake)
    fake.fail_next(2, 429, headers=headers, path=ITEM + "$", method="PATCH")
    injected("429 with an unusable hint", 2)
    client.characters.update(cid, name="Changed")
    assert len(SLEEPS.waits) == 2
    for number, wait in enumerate(SLEEPS.waits, start=1):
        low, high = backoff_bounds(number)
        assert low <= wait <= high


@pytest.mark.parametrize(
    "value",
    ["-5", "nan", "Thu, 01 Jan 1970 00:00:00 GMT"],
    ids=["negative", "nan", "date-in-the-past"],
)
def test_past_or_negative_hints_mean_no_wait_never_a_crash(
    fake: FakeFal, client: FalAssets, value: str
) -> None:
    cid = seed(fake)
    fake.fail_next(1, 429, headers={"Retry-After": value}, path=ITEM + "$", method="PATCH")
    injected("429 with an unusable hint", 1)
    client.characters.update(cid, name="Changed")
    (wait,) = SLEEPS.waits
    assert wait == 0.0


@pytest.mark.anyio
async def test_async_rate_limit_hints_and_exhaustion(fake: FakeFal, aclient: AsyncFalAssets) -> None:
    cid = seed(fake)
    fake.fail_next(3, 429, headers={"x-ratelimit-reset": "7"}, path=ITEM + "$", method="GET")
    injected("429/503 with a wait hint", 3)
    with pytest.raises(RateLimitError) as info:
        await aclient.characters.get(cid, max_retries=2)
    assert SLEEPS.waits == [7.0, 7.0]
    assert info.value.attempts == 3
    assert info.value.request_id == api_requests(fake, "getAssetCharacter")[-1].request_id


# -- slow server -----------------------------------------------------------------------------------------

TIMEOUT = 0.15
SLACK = 1.0


@pytest.fixture(scope="module")
def slow_fake() -> Iterator[FakeFal]:
    """A fake that answers after 1 s. Shared, so only one teardown waits for its sleeping handlers."""
    with FakeFal.serve() as fake:
        fake.latency = 1.0
        yield fake


@pytest.fixture(scope="module")
def slow_client(slow_fake: FakeFal) -> Iterator[FalAssets]:
    with sync_client(slow_fake, SLEEPS, timeout=TIMEOUT) as c:
        yield c


@pytest.fixture(scope="module")
async def slow_aclient(slow_fake: FakeFal) -> AsyncIterator[AsyncFalAssets]:
    async with async_client(slow_fake, SLEEPS, timeout=TIMEOUT) as c:
        yield c


@pytest.mark.parametrize("op", OPS, ids=str)
def test_slow_server_times_out_within_the_configured_timeout(
    slow_fake: FakeFal, slow_client: FalAssets, op: Op
) -> None:
    cid = seed(slow_fake)
    SLEEPS.waits.clear()
    injected("slow server", 2)
    started = time.monotonic()
    with pytest.raises(APITimeoutError) as info:
        op.sync(slow_client, cid, max_retries=1)
    elapsed = time.monotonic() - started
    assert info.value.attempts == 2
    assert len(SLEEPS.waits) == 1
    assert elapsed < 2 * TIMEOUT + SLACK


@pytest.mark.anyio
@pytest.mark.parametrize("op", OPS, ids=str)
async def test_async_slow_server_times_out_within_the_configured_timeout(
    slow_fake: FakeFal, slow_aclient: AsyncFalAssets, op: Op
) -> None:
    cid = seed(slow_fake)
    injected("slow server", 1)
    started = time.monotonic()
    with pytest.raises(APITimeoutError) as info:
        await op.aio(slow_aclient, cid, max_retries=0)
    elapsed = time.monotonic() - started
    assert info.value.attempts == 1
    assert elapsed < TIMEOUT + SLACK


def test_deadline_bounds_a_slow_server_across_retries(slow_fake: FakeFal, slow_client: FalAssets) -> None:
    injected("slow server", 1)
    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        slow_client.characters.list(timeout=30, max_retries=5, deadline=0.3)
    assert time.monotonic() - started < 0.3 + SLACK


# -- malformed responses: every kind x every operation -------------------------------------------------

KINDS = ["truncated", "non_json", "html", "wrong_shape"]


def expected_error(kind: str, status: int, op: Op) -> type[FalAssetsError]:
    if kind == "truncated":
        return APIConnectionError  # the body ended early: no complete response was received
    if status >= 500:
        return InternalServerError
    if status != op.success:
        # A 200 for DELETE (documented: 204); what it should be is pinned by the test further below.
        return FalAssetsError
    return APIResponseValidationError


def check_malformed(err: BaseException, kind: str, status: int, op: Op) -> None:
    assert isinstance(err, FalAssetsError), f"{type(err).__name__} escaped: {err!r}"
    assert not isinstance(err, KeyError | json.JSONDecodeError | AttributeError | TypeError)
    assert isinstance(err, expected_error(kind, status, op)), (
        f"{kind}/{status}/{op}: got {type(err).__name__}"
    )
    if isinstance(err, APIStatusError | APIResponseValidationError):
        assert err.status_code == status
        assert err.request_id, "the request id of a malformed answer is what support will ask for"
    assert str(err)


def corrupt(fake: FakeFal, op: Op, kind: str, status: int) -> int:
    """Inject one corrupted answer; the 200 row uses the documented success status (DELETE: 200, since a
    204 carries no body to corrupt)."""
    reply_status = op.success if status == 200 and op.success != 204 else status
    fake.corrupt_next(kind, path=op.path, method=op.method, status=reply_status)  # type: ignore[arg-type]
    injected(f"corrupt {kind}", 1)
    return reply_status


@pytest.mark.parametrize("status", [200, 502])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("op", OPS, ids=str)
def test_malformed_response_is_a_typed_error(
    fake: FakeFal, client: FalAssets, op: Op, kind: str, status: int
) -> None:
    cid = seed(fake)
    reply_status = corrupt(fake, op, kind, status)
    with pytest.raises(Exception) as info:
        op.sync(client, cid, max_retries=0)
    check_malformed(info.value, kind, reply_status, op)
    assert fake.pending_faults == 0


@pytest.mark.anyio
@pytest.mark.parametrize("status", [200, 502])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("op", OPS, ids=str)
async def test_async_malformed_response_is_a_typed_error(
    fake: FakeFal, aclient: AsyncFalAssets, op: Op, kind: str, status: int
) -> None:
    cid = seed(fake)
    reply_status = corrupt(fake, op, kind, status)
    with pytest.raises(Exception) as info:
        await op.aio(aclient, cid, max_retries=0)
    check_malformed(info.value, kind, reply_status, op)
    assert fake.pending_faults == 0


@pytest.mark.parametrize("kind", ["non_json", "html", "wrong_shape"])
def test_delete_answered_200_with_a_body_is_not_reported_as_an_http_error(
    fake: FakeFal, client: FalAssets, kind: str
) -> None:
    """DELETE documents 204. A 2xx with an unexpected body is a malformed success, not `APIStatusError`
    ("fal answered with an error status"): an error status would invite a retry of a delete that happened."""
    cid = seed(fake)
    fake.corrupt_next(kind, path=ITEM + "$", method="DELETE", status=200)  # type: ignore[arg-type]
    injected(f"corrupt {kind}", 1)
    with pytest.raises(FalAssetsError) as info:
        client.characters.delete(cid, max_retries=0)
    assert not isinstance(info.value, APIStatusError), f"a 200 was reported as {info.value!r}"
    assert cid not in fake.characters


@pytest.mark.parametrize("kind", ["truncated", "html"])
@pytest.mark.parametrize("op", WRITES, ids=str)
def test_retryable_corruption_recovers_with_one_write(
    fake: FakeFal, client: FalAssets, op: Op, kind: str
) -> None:
    """A truncated body or an HTML 502 after the server applied the write: the retry is replayed."""
    cid = seed(fake, is_favorited=op.name == "unfavoriteAssetCharacter")
    before = set(fake.characters)
    fake.corrupt_next(kind, path=op.path, method=op.method, status=502)  # type: ignore[arg-type]
    injected(f"corrupt {kind}", 1)
    op.sync(client, cid, max_retries=2)
    attempts = api_requests(fake, op.name)
    assert len(attempts) == 2
    one_key(attempts)
    assert attempts[1].idempotent_replay
    assert applied(fake) == 1
    assert_state_after(op, fake, cid, before)


def test_corruption_midway_through_iteration_is_typed(fake: FakeFal, client: FalAssets) -> None:
    for index in range(5):
        fake.add_character(name=f"page-{index}")
    pages = client.characters.iter(page_size=2, max_retries=0)
    first = [next(pages), next(pages)]
    fake.corrupt_next("wrong_shape", path=COLLECTION, method="GET")
    injected("corrupt wrong_shape", 1)
    with pytest.raises(APIResponseValidationError):
        next(pages)
    assert len({c.id for c in first}) == 2
    assert len(api_requests(fake, "listAssetCharacters")) == 2


# -- many operations at once on one client ---------------------------------------------------------------

CONCURRENT = 100
POOL_LIMIT = 32  # fal_assets._core.transport.POOL_LIMITS.max_connections
# Idle connections httpcore's pool may replace on its own (see check_pool): never more than a few.
POOL_SLACK = 2


def _character_round(client: FalAssets, index: int) -> tuple[int, str]:
    """create -> update -> get, each checked against what this worker asked for."""
    name, description = f"worker-{index:03d}", f"described by worker {index}"
    made = client.characters.create(name=name, description=description, reference_images=[VECTOR_ID])
    assert (made.name, made.description) == (name, description)
    changed = client.characters.update(made.id, description=f"updated by worker {index}")
    assert (changed.id, changed.name, changed.description) == (made.id, name, f"updated by worker {index}")
    read = client.characters.get(made.id)
    assert (read.id, read.name, read.description) == (made.id, name, f"updated by worker {index}")
    return index, made.id


async def _async_character_round(client: AsyncFalAssets, index: int) -> tuple[int, str]:
    name, description = f"task-{index:03d}", f"described by task {index}"
    made = await client.characters.create(name=name, description=description, reference_images=[VECTOR_ID])
    assert (made.name, made.description) == (name, description)
    changed = await client.characters.update(made.id, description=f"updated by task {index}")
    assert (changed.id, changed.name, changed.description) == (made.id, name, f"updated by task {index}")
    read = await client.characters.get(made.id)
    assert (read.id, read.name, read.description) == (made.id, name, f"updated by task {index}")
    return index, made.id


def check_no_cross_talk(fake: FakeFal, prefix: str, results: list[tuple[int, str]]) -> None:
    assert sorted(index for index, _ in results) == list(range(CONCURRENT))
    ids = [cid for _, cid in results]
    assert len(set(ids)) == CONCURRENT
    stored = fake.characters
    assert len(stored) == CONCURRENT
    for index, cid in results:
        assert stored[cid]["name"] == f"{prefix}-{index:03d}"
        assert stored[cid]["description"] == f"updated by {prefix} {index}"
    writes = fake.writes_applied
    assert writes == collections.Counter(
        {"createAssetCharacter": CONCURRENT, "updateAssetCharacter": CONCURRENT}
    )
    applied(fake)
    # One key per call (200 write calls), and every request carrying a key is the same request.
    by_key: dict[str | None, set[tuple[str, str, bytes]]] = collections.defaultdict(set)
    for r in fake.requests:
        if r.method != "GET":
            by_key[r.idempotency_key].add((r.method, r.path, r.body))
    assert None not in by_key
    assert len(by_key) == 2 * CONCURRENT, "two different calls shared an Idempotency-Key"
    assert all(len(sent) == 1 for sent in by_key.values())
    TALLY["concurrent operations"] += len(results) * 3


@pytest.fixture
def busy_fake() -> Iterator[FakeFal]:
    with FakeFal.serve() as fake:
        fake.latency = 0.005  # enough to make requests overlap on the server
        yield fake


class ThreadSafeSleeps(Sleeps):
    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def __call__(self, seconds: float) -> None:
        with self._lock:
            self.waits.append(seconds)


def check_pool(fake: FakeFal, sleeps: Sleeps, planned_faults: int, mode: str) -> None:
    """At most POOL_LIMIT connections at once. The client replaces a connection after a failed attempt
    (each followed by one recorded wait); besides that, httpcore's pool housekeeping may close an idle
    connection it judges expired and open another (seen under load: 33 opened, no wait, the close coming
    from `ConnectionPool._assign_requests_to_connections`). So opened <= POOL_LIMIT + waits + POOL_SLACK
    bounds the churn without assuming the server never resets a connection (the fake's listen backlog can
    reset one when 32 connect at once, a request that never reached it)."""
    unplanned = len(sleeps.waits) - planned_faults
    counts = (
        f"requests={len(fake.requests)} waits={len(sleeps.waits)} planned={planned_faults} "
        f"connections={fake.connections_opened} peak={fake.peak_concurrency}"
    )
    assert unplanned >= 0, counts
    # Every request beyond one per operation is a retry the client decided (and waited) for.
    assert 3 * CONCURRENT + planned_faults <= len(fake.requests) <= 3 * CONCURRENT + len(sleeps.waits), counts
    assert fake.connections_opened <= POOL_LIMIT + len(sleeps.waits) + POOL_SLACK, counts
    assert 1 < fake.peak_concurrency <= POOL_LIMIT, counts
    TALLY[f"peak server concurrency ({mode})"] = fake.peak_concurrency
    TALLY[f"connections opened ({mode})"] = fake.connections_opened
    TALLY["retries after a connection reset by the server"] += unplanned


def test_100_concurrent_rounds_on_one_sync_client(busy_fake: FakeFal) -> None:
    sleeps = ThreadSafeSleeps()
    with sync_client(busy_fake, sleeps) as client, ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
        results = list(pool.map(lambda i: _character_round(client, i), range(CONCURRENT), timeout=60))
    check_no_cross_talk(busy_fake, "worker", results)
    check_pool(busy_fake, sleeps, 0, "sync")


@pytest.mark.anyio
async def test_100_concurrent_rounds_on_one_async_client(busy_fake: FakeFal) -> None:
    sleeps = Sleeps()
    async with async_client(busy_fake, sleeps) as client:
        results = await asyncio.wait_for(
            asyncio.gather(*(_async_character_round(client, i) for i in range(CONCURRENT))), timeout=60
        )
    check_no_cross_talk(busy_fake, "task", list(results))
    check_pool(busy_fake, sleeps, 0, "async")


def test_concurrent_rounds_under_faults_keep_their_own_keys(busy_fake: FakeFal) -> None:
    """Faults land on arbitrary workers' requests (one call may catch several); every retry must carry its
    own call's key: a key borrowed from another thread would be a 422 from the fake, or a replay of someone
    else's character."""
    drops, failures = 15, 15
    busy_fake.drop_after_write(drops, path=COLLECTION, method="POST")
    busy_fake.fail_next(failures, 503, path=ITEM + "$", method="PATCH")
    injected("drop after write", drops)
    injected("5xx", failures)
    sleeps = ThreadSafeSleeps()
    with (
        sync_client(busy_fake, sleeps, max_retries=drops + failures) as client,
        ThreadPoolExecutor(max_workers=CONCURRENT) as pool,
    ):
        results = list(pool.map(lambda i: _character_round(client, i), range(CONCURRENT), timeout=60))
    check_no_cross_talk(busy_fake, "worker", results)
    assert busy_fake.pending_faults == 0
    assert len([r for r in busy_fake.requests if r.idempotent_replay]) == drops
    check_pool(busy_fake, sleeps, drops + failures, "sync, under faults")


# -- storage faults mid-multipart: the upload fails as a whole, the character is not written ---------------

PART_SIZE = 128 * 1024
MULTIPART = UploadSettings(concurrency=4, multipart_threshold=2 * PART_SIZE, part_size=PART_SIZE)
PARTS = 6


@pytest.fixture(scope="module")
def upload_client(shared_fake: FakeFal) -> Iterator[FalAssets]:
    with sync_client(shared_fake, SLEEPS, uploads=MULTIPART) as c:
        yield c


@pytest.fixture(scope="module")
async def upload_aclient(shared_fake: FakeFal) -> AsyncIterator[AsyncFalAssets]:
    async with async_client(shared_fake, SLEEPS, uploads=MULTIPART) as c:
        yield c


def big_file(directory: Path, name: str) -> tuple[Path, bytes]:
    """Fresh random content (never in the client's content cache) that needs PARTS multipart parts."""
    data = b"\x89PNG\r\n\x1a\n" + os.urandom(PARTS * PART_SIZE - 8)
    path = directory / name
    path.write_bytes(data)
    return path, data


def fail_parts(fake: FakeFal) -> int:
    fake.fail_next(100, 503, path=r"/multipart/[^/]+/\d+$", method="PUT")
    return 100


def drop_parts(fake: FakeFal) -> int:
    fake.drop_after_write(100, path=r"/multipart/[^/]+/\d+$", method="PUT")
    return 100


def fail_third_part(fake: FakeFal) -> int:
    fake.fail_next(100, 500, path=r"/multipart/[^/]+/3$", method="PUT")
    return 100


def truncate_part_answers(fake: FakeFal) -> int:
    fake.corrupt_next("truncated", 100, path=r"/multipart/[^/]+/\d+$", method="PUT")
    return 100


def fail_completion(fake: FakeFal) -> int:
    fake.fail_next(100, 502, path=r"/multipart/[^/]+/complete$", method="POST")
    return 100


def reject_multipart_initiate(fake: FakeFal) -> int:
    fake.fail_next(100, 500, path=r"/files/upload/multipart$", method="POST")
    return 100


STORAGE_FAULTS: dict[str, Callable[[FakeFal], int]] = {
    "every part 503": fail_parts,
    "every part dropped after storing": drop_parts,
    "part 3 always 500": fail_third_part,
    "part answers truncated": truncate_part_answers,
    "completion 502": fail_completion,
    "multipart initiate 500": reject_multipart_initiate,
}


def break_fallback(fake: FakeFal) -> None:
    """The initiate + presigned path must fail too, or the upload would (rightly) succeed through it."""
    fake.fail_next(100, 503, path=r"^/storage/upload/initiate$", method="POST")


def check_nothing_written(fake: FakeFal, cid: str, err: UploadError, big: Path, cover: Path) -> None:
    assert [r.input for r in err.results] == [big, cover]
    big_result, cover_result = err.results
    assert big_result.url is None and isinstance(big_result.error, FalAssetsError)
    assert cover_result.error is None and cover_result.url in fake.files  # the small one made it
    assert fake.counts["updateAssetCharacter"] == 0, "the character write must not be sent"
    assert fake.writes_applied["updateAssetCharacter"] == 0
    assert fake.characters[cid]["name"] == "Seed"
    assert fake.counts["multipartComplete"] == 0 or fake.writes_applied["multipartComplete"] == 0
    for r in fake.requests:  # the character was never touched, not even read
        assert r.operation not in ("updateAssetCharacter", "createAssetCharacter")
    injected_faults = [r for r in fake.requests if r.fault is not None]
    injected("storage fault", len(injected_faults))


@pytest.mark.parametrize("fault", sorted(STORAGE_FAULTS))
def test_storage_fault_mid_multipart_fails_the_call_and_writes_nothing(
    fake: FakeFal, upload_client: FalAssets, tmp_path: Path, fault: str
) -> None:
    cid = seed(fake)
    big, _ = big_file(tmp_path, "big.png")
    cover = tmp_path / "cover.png"
    cover.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(1024))
    STORAGE_FAULTS[fault](fake)
    break_fallback(fake)
    with pytest.raises(UploadError) as info:
        upload_client.characters.update(
            cid, name="Changed", reference_images=[VECTOR_ID, big], cover_image=cover
        )
    check_nothing_written(fake, cid, info.value, big, cover)


@pytest.mark.anyio
@pytest.mark.parametrize("fault", ["every part 503", "completion 502"])
async def test_async_storage_fault_mid_multipart_writes_nothing(
    fake: FakeFal, upload_aclient: AsyncFalAssets, tmp_path: Path, fault: str
) -> None:
    cid = seed(fake)
    big, _ = big_file(tmp_path, "big.png")
    cover = tmp_path / "cover.png"
    cover.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(1024))
    STORAGE_FAULTS[fault](fake)
    break_fallback(fake)
    with pytest.raises(UploadError) as info:
        await upload_aclient.characters.update(
            cid, name="Changed", reference_images=[VECTOR_ID, big], cover_image=cover
        )
    check_nothing_written(fake, cid, info.value, big, cover)


def test_multipart_fault_with_a_working_fallback_writes_once(
    fake: FakeFal, upload_client: FalAssets, tmp_path: Path
) -> None:
    cid = seed(fake)
    big, data = big_file(tmp_path, "big.png")
    fail_parts(fake)
    injected("storage fault", 3)
    character = upload_client.characters.update(cid, reference_images=[big])
    (url,) = character.reference_images
    stored = fake.files[url]
    assert (stored.via, stored.size, stored.sha256) == (
        "presigned",
        len(data),
        hashlib.sha256(data).hexdigest(),
    )
    assert applied(fake) == 1
    assert fake.writes_applied["updateAssetCharacter"] == 1


def test_transient_part_faults_are_retried_per_part_and_reassemble_byte_exact(
    fake: FakeFal, upload_client: FalAssets, tmp_path: Path
) -> None:
    cid = seed(fake)
    big, data = big_file(tmp_path, "big.png")
    fake.fail_next(2, 503, path=r"/multipart/[^/]+/2$", method="PUT")
    fake.drop_after_write(1, path=r"/multipart/[^/]+/5$", method="PUT")
    fake.corrupt_next("truncated", 1, path=r"/multipart/[^/]+/6$", method="PUT")
    fake.drop_after_write(1, path=r"/complete$", method="POST")
    injected("storage fault", 5)
    character = upload_client.characters.update(cid, reference_images=[big], max_retries=2)
    (url,) = character.reference_images
    stored = fake.files[url]
    assert (stored.via, stored.size, stored.sha256) == (
        "multipart",
        len(data),
        hashlib.sha256(data).hexdigest(),
    )
    assert stored.parts_sorted is True
    assert fake.counts["multipartPart"] == PARTS + 4
    assert fake.pending_faults == 0
    assert fake.counts["presignedPut"] == 0
    assert applied(fake) == 1
    assert fake.writes_applied["updateAssetCharacter"] == 1
