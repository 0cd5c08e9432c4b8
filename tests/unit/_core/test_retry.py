"""The retry matrix, backoff honouring server hints, idempotency across attempts, deadlines and timeouts."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest
from fal_assets import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ConflictError,
    FalAssets,
    InternalServerError,
    RateLimitError,
)
from fal_assets._core.retry import RetryPolicy, server_wait
from fal_assets.testing import FakeFal

from tests.support import VECTOR_ID, Sleeps, api_requests, async_client, sync_client

UPDATE_PATH = r"^/v1/assets/characters/[^/]+$"


def seeded(client: FalAssets) -> str:
    return client.characters.create(name="A", description="d", reference_images=[VECTOR_ID]).id


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retryable_statuses_are_retried_with_the_same_key(fal_fake: FakeFal, status: int) -> None:
    sleeps = Sleeps()
    with sync_client(fal_fake, sleeps) as client:
        cid = seeded(client)
        fal_fake.fail_next(2, status, path=UPDATE_PATH, method="PATCH")
        assert client.characters.update(cid, name="B").name == "B"
    attempts = api_requests(fal_fake, "updateAssetCharacter")
    assert [r.status for r in attempts] == [status, status, 200]
    assert len({r.headers["idempotency-key"] for r in attempts}) == 1
    assert len(sleeps.waits) == 2
    assert fal_fake.writes_applied["updateAssetCharacter"] == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_client_errors_are_not_retried(fal_fake: FakeFal, status: int) -> None:
    sleeps = Sleeps()
    with sync_client(fal_fake, sleeps) as client:
        cid = seeded(client)
        fal_fake.fail_next(1, status, path=UPDATE_PATH, method="PATCH")
        with pytest.raises(APIStatusError) as info:
            client.characters.update(cid, name="B")
    assert info.value.status_code == status
    assert info.value.attempts == 1
    assert len(api_requests(fal_fake, "updateAssetCharacter")) == 1
    assert sleeps.waits == []


def test_conflict_is_its_own_type_and_never_retried(fal_fake: FakeFal) -> None:
    with sync_client(fal_fake) as client:
        cid = seeded(client)
        fal_fake.fail_next(3, 409, path=UPDATE_PATH)
        with pytest.raises(ConflictError):
            client.characters.update(cid, name="B")
    assert len(api_requests(fal_fake, "updateAssetCharacter")) == 1


def test_exhausted_retries_raise_with_attempt_count_and_request_id(fal_fake: FakeFal) -> None:
    with sync_client(fal_fake, max_retries=2) as client:
        cid = seeded(client)
        fal_fake.fail_next(5, 502, path=UPDATE_PATH)
        with pytest.raises(InternalServerError) as info:
            client.characters.update(cid, name="B")
    err = info.value
    assert err.attempts == 3
    assert err.status_code == 502
    assert err.request_id
    assert "after 3 attempts" in str(err)
    assert len(api_requests(fal_fake, "updateAssetCharacter")) == 3


def test_per_call_max_retries_overrides_the_client(fal_fake: FakeFal) -> None:
    with sync_client(fal_fake, max_retries=5) as client:
        cid = seeded(client)
        fal_fake.fail_next(5, 503, path=UPDATE_PATH)
        with pytest.raises(InternalServerError):
            client.characters.update(cid, name="B", max_retries=0)
    assert len(api_requests(fal_fake, "updateAssetCharacter")) == 1


def test_retry_after_seconds_is_honoured(fal_fake: FakeFal) -> None:
    sleeps = Sleeps()
    with sync_client(fal_fake, sleeps) as client:
        cid = seeded(client)
        fal_fake.fail_next(1, 429, headers={"Retry-After": "7"}, path=UPDATE_PATH)
        client.characters.update(cid, name="B")
    assert sleeps.waits == [7.0]


def test_retry_after_http_date_is_honoured(fal_fake: FakeFal) -> None:
    sleeps = Sleeps()
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    with sync_client(fal_fake, sleeps) as client:
        cid = seeded(client)
        fal_fake.fail_next(1, 503, headers={"Retry-After": when}, path=UPDATE_PATH)
        client.characters.update(cid, name="B")
    (wait,) = sleeps.waits
    assert 27 <= wait <= 30


def test_x_ratelimit_reset_is_honoured(fal_fake: FakeFal) -> None:
    sleeps = Sleeps()
    with sync_client(fal_fake, sleeps) as client:
        cid = seeded(client)
        fal_fake.fail_next(1, 429, headers={"x-ratelimit-reset": "4"}, path=UPDATE_PATH)
        client.characters.update(cid, name="B")
    assert sleeps.waits == [4.0]


def test_server_wait_is_capped(fal_fake: FakeFal) -> None:
    sleeps = Sleeps()
    with sync_client(fal_fake, sleeps) as client:
        cid = seeded(client)
        fal_fake.fail_next(1, 429, headers={"Retry-After": "86400"}, path=UPDATE_PATH)
        client.characters.update(cid, name="B")
    assert sleeps.waits == [RetryPolicy().max_server_wait]


def test_rate_limit_error_after_budget(fal_fake: FakeFal) -> None:
    with sync_client(fal_fake, max_retries=1) as client:
        cid = seeded(client)
        fal_fake.fail_next(2, 429, path=UPDATE_PATH)
        with pytest.raises(RateLimitError) as info:
            client.characters.update(cid, name="B")
    assert info.value.attempts == 2


def test_backoff_is_exponential_with_bounded_jitter() -> None:
    policy = RetryPolicy(initial_delay=0.5, max_delay=8.0, jitter=lambda: 1.0)
    assert [policy.backoff(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    low = RetryPolicy(initial_delay=0.5, jitter=lambda: 0.0)
    assert low.backoff(1) == 0.375


def test_server_wait_parsing() -> None:
    now = 1_800_000_000.0
    assert server_wait({"retry-after": "2.5"}, now) == 2.5
    assert server_wait({"retry-after": email.utils.formatdate(now + 10, usegmt=True)}, now) == 10
    assert server_wait({"x-ratelimit-reset": str(now + 12)}, now) == 12
    assert server_wait({"x-ratelimit-reset": "3"}, now) == 3
    assert server_wait({"retry-after": "soon"}, now) is None
    assert server_wait({}, now) is None


def test_dropped_connection_after_write_is_retried_and_applied_once(fal_fake: FakeFal) -> None:
    with sync_client(fal_fake) as client:
        cid = seeded(client)
        fal_fake.drop_after_write(1, path=UPDATE_PATH, method="PATCH")
        assert client.characters.update(cid, name="Once").name == "Once"
    attempts = api_requests(fal_fake, "updateAssetCharacter")
    assert len(attempts) == 2
    assert attempts[0].headers["idempotency-key"] == attempts[1].headers["idempotency-key"]
    assert fal_fake.writes_applied["updateAssetCharacter"] == 1


def test_dropped_create_is_not_duplicated(fal_fake: FakeFal) -> None:
    with sync_client(fal_fake) as client:
        fal_fake.drop_after_write(1, method="POST", path=r"^/v1/assets/characters$")
        client.characters.create(name="A", description="d", reference_images=[VECTOR_ID])
    assert len(fal_fake.characters) == 1
    assert fal_fake.writes_applied["createAssetCharacter"] == 1


def test_connection_refused_raises_connection_error_after_retries() -> None:
    sleeps = Sleeps()
    client = FalAssets(api_key="k", base_url="http://127.0.0.1:9/v1", sleep=sleeps, max_retries=2)
    with client, pytest.raises(APIConnectionError) as info:
        client.characters.get("abc")
    assert info.value.attempts == 3
    assert len(sleeps.waits) == 2


def test_slow_server_times_out(fal_fake: FakeFal) -> None:
    fal_fake.latency = 0.5
    with sync_client(fal_fake, max_retries=0, timeout=0.1) as client:
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            client.characters.list()
        assert time.monotonic() - started < 0.45


def test_per_call_timeout_overrides_the_client(fal_fake: FakeFal) -> None:
    fal_fake.latency = 0.3
    with sync_client(fal_fake, max_retries=0, timeout=30) as client:
        with pytest.raises(APITimeoutError):
            client.characters.list(timeout=0.05)
        fal_fake.latency = 0
        assert client.characters.list(timeout=httpx.Timeout(5.0)) == []


def test_deadline_bounds_attempts_and_waits(fal_fake: FakeFal) -> None:
    sleeps = Sleeps()
    with sync_client(fal_fake, sleeps, max_retries=10) as client:
        cid = seeded(client)
        fal_fake.fail_next(10, 503, headers={"Retry-After": "5"}, path=UPDATE_PATH)
        with pytest.raises(InternalServerError) as info:
            client.characters.update(cid, name="B", deadline=2.0)
    # A 5 s wait does not fit in a 2 s deadline: no retry is attempted.
    assert info.value.attempts == 1
    assert sleeps.waits == []


def test_deadline_shortens_the_attempt_timeout(fal_fake: FakeFal) -> None:
    fal_fake.latency = 0.5
    with sync_client(fal_fake, max_retries=3, timeout=30) as client:
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            client.characters.list(deadline=0.2)
        assert time.monotonic() - started < 0.45


@pytest.mark.anyio
async def test_async_retries_share_the_policy(fal_fake: FakeFal) -> None:
    sleeps = Sleeps()
    async with async_client(fal_fake, sleeps) as client:
        cid = (await client.characters.create(name="A", description="d", reference_images=[VECTOR_ID])).id
        fal_fake.fail_next(1, 429, headers={"Retry-After": "3"}, path=UPDATE_PATH)
        fal_fake.drop_after_write(1, path=UPDATE_PATH)
        assert (await client.characters.update(cid, name="B")).name == "B"
        fal_fake.fail_next(1, 409, path=UPDATE_PATH)
        with pytest.raises(ConflictError):
            await client.characters.update(cid, name="C")
    assert sleeps.waits[0] == 3.0
    assert fal_fake.writes_applied["updateAssetCharacter"] == 1
    keys = {r.headers["idempotency-key"] for r in api_requests(fal_fake, "updateAssetCharacter")[:3]}
    assert len(keys) == 1


@pytest.mark.anyio
async def test_async_timeout(fal_fake: FakeFal) -> None:
    fal_fake.latency = 0.5
    async with async_client(fal_fake, max_retries=0, timeout=0.1) as client:
        with pytest.raises(APITimeoutError):
            await client.characters.list()
