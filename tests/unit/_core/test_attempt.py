"""`_core/attempt.py`: a call's `Budget` (as `_config.py` makes it from the call's options) bounds each
attempt by the attempt limit and the call's deadline, caps httpx's timeouts to what is left, and refuses to
start an attempt once the deadline is spent or the call is interrupted; and, through the public API on the
served FakeFal, a spent deadline is a typed timeout with nothing sent."""

from __future__ import annotations

import time

import httpx
import pytest
from fal_assets import APITimeoutError, ValidationError
from fal_assets._config import make_config
from fal_assets._core.attempt import Budget, DeadlineExceeded, Interrupted
from fal_assets._core.retry import Deadline
from fal_assets.testing import FakeFal

from tests.support import SEED_ID, api_requests, sync_client

CONFIG = make_config(
    api_key="id:secret",
    base_url=None,
    storage_base_url=None,
    fal_hosts=None,
    timeout=5.0,
    max_retries=None,
    uploads=None,
)


def test_a_number_timeout_bounds_each_whole_attempt() -> None:
    budget = CONFIG.budget({"timeout": 2.0})
    assert budget.attempt_limit == 2.0 and budget.deadline_seconds is None
    left = budget.scope().remaining()
    assert left is not None and 1.5 < left <= 2.0


def test_an_httpx_timeout_bounds_each_read_not_the_attempt() -> None:
    per_read = httpx.Timeout(3.0, connect=1.0)
    budget = CONFIG.budget({"timeout": per_read})
    scope = budget.scope()
    assert budget.attempt_limit is None and scope.remaining() is None
    assert budget.timeouts(scope) == per_read


def test_the_deadline_shortens_an_attempt_and_caps_every_timeout() -> None:
    budget = CONFIG.budget({"timeout": 30.0, "deadline": 0.5})
    scope = budget.scope()
    left = scope.remaining()
    assert left is not None and 0 < left <= 0.5
    timeouts = budget.timeouts(scope)
    assert all(
        value is not None and value <= 0.5
        for value in (timeouts.connect, timeouts.read, timeouts.write, timeouts.pool)
    )


def test_no_attempt_starts_once_the_deadline_is_spent() -> None:
    budget = Budget(httpx.Timeout(5.0), None, CONFIG.retry, Deadline(0.01), 0.01)
    time.sleep(0.02)
    assert budget.expired()
    with pytest.raises(DeadlineExceeded):
        budget.scope()
    error = budget.deadline_error("list characters", attempts=2)
    assert isinstance(error, APITimeoutError) and error.attempts == 2
    assert "deadline of 0.01s exceeded" in str(error)


def test_no_attempt_starts_once_the_call_is_interrupted() -> None:
    budget = CONFIG.budget()
    budget.scope()
    budget.interrupt.set("closed")
    with pytest.raises(Interrupted, match="closed"):
        budget.scope()


def test_each_call_gets_its_own_budget_and_interrupt() -> None:
    first, second = CONFIG.budget(), CONFIG.budget()
    first.interrupt.set("closed")
    assert second.scope().remaining() is not None


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"max_retries": -1}, ValidationError),
        ({"max_retries": True}, ValidationError),
        ({"deadline": 0}, ValidationError),
        ({"deadline": "soon"}, ValidationError),
        ({"retries": 3}, TypeError),
    ],
)
def test_bad_options_are_refused_before_any_budget(
    options: dict[str, object], error: type[Exception]
) -> None:
    with pytest.raises(error):
        CONFIG.budget(options)


def test_a_spent_deadline_is_a_typed_timeout_through_the_client(fal_fake: FakeFal) -> None:
    fal_fake.latency = 0.5
    with sync_client(fal_fake) as client, pytest.raises(APITimeoutError, match="deadline"):
        client.characters.get(SEED_ID, deadline=0.1)
    assert len(api_requests(fal_fake)) <= 1, "one attempt at most, no retry past the deadline"
