"""`_uploads/protocol.py`: the storage protocol's pure parts (multipart layout, completion, each step's
request, credentials and retries), no server involved."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from fal_assets import APIStatusError
from fal_assets._config import make_config
from fal_assets._core.engine import Attempts, scrub
from fal_assets._core.retry import RetryPolicy
from fal_assets._uploads.protocol import (
    Step,
    StorageProtocolError,
    completion_body,
    part_layout,
    step_spec,
)
from fal_assets._uploads.tokens import cdn_token

CONFIG = make_config(
    api_key="id:secret",
    base_url=None,
    storage_base_url="https://rest.example.test",
    fal_hosts=None,
    timeout=5.0,
    max_retries=None,
    uploads=None,
)
TOKEN = cdn_token("Bearer tok", "https://v3.fal.media", time.monotonic() + 600, CONFIG.fal_hosts)


def _ignore(response: httpx.Response) -> None:
    return None


def response(status: int, body: Any = None, headers: dict[str, str] | None = None) -> httpx.Response:
    request = httpx.Request("POST", "https://rest.example.test/x")
    if body is None:
        return httpx.Response(status, headers=headers, request=request)
    return httpx.Response(status, json=body, headers=headers, request=request)


# -- multipart layout -----------------------------------------------------------------------------------


def test_part_layout_covers_the_file_exactly() -> None:
    layout = part_layout(25, 10)
    assert layout == [(1, 0, 10), (2, 10, 10), (3, 20, 5)]
    assert part_layout(20, 10) == [(1, 0, 10), (2, 10, 10)]
    huge = part_layout(10_000 * 10 + 1, 10)  # would need 10,001 parts of 10
    assert len(huge) <= 10_000 and sum(length for _, _, length in huge) == 100_001


def test_completion_lists_parts_sorted_by_number() -> None:
    assert completion_body({3: "c", 1: "a", 2: "b"}) == {
        "parts": [
            {"partNumber": 1, "etag": "a"},
            {"partNumber": 2, "etag": "b"},
            {"partNumber": 3, "etag": "c"},
        ]
    }


# -- requests -------------------------------------------------------------------------------------------


def _build(step: Step, credential: Any, url: str | None = None) -> httpx.Request:
    attempts = Attempts(step_spec(step, url or step.url, credential, None), CONFIG.budget())
    return attempts.build(attempts.begin(), credential)


def test_credentials_go_only_to_their_origins() -> None:
    key = CONFIG.api_credential
    key_step = Step(
        "uploadInitiate", "POST", "https://rest.example.test/storage/upload/initiate", "key", _ignore
    )
    assert _build(key_step, key).headers["Authorization"] == "Key id:secret"
    for elsewhere in (
        "https://rest.example.test.evil.com/storage",
        "https://rest.example.test:8443/storage",  # same host, another port
        "http://rest.example.test/storage",  # same host, plain http
    ):
        with pytest.raises(StorageProtocolError, match="refusing to send credentials"):
            _build(Step("x", "POST", elsewhere, "key", _ignore), key)

    timed = _build(key_step, key)
    assert timed.extensions["timeout"]["read"] <= 5.0  # the client's timeout, bounded by the attempt's
    cdn = _build(
        Step("cdnUpload", "POST", "/files/upload", "token", _ignore),
        TOKEN.credential,
        TOKEN.base_url + "/files/upload",
    )
    assert (
        str(cdn.url) == "https://v3.fal.media/files/upload" and cdn.headers["Authorization"] == "Bearer tok"
    )
    on_fal_host = Step(
        "multipartPart", "PUT", "https://v3b.fal.media/files/x/multipart/u/1", "token", _ignore
    )
    assert _build(on_fal_host, TOKEN.credential).headers["Authorization"]
    for foreign in ("https://storage.example.com/x/multipart/u/1", "https://v3.fal.media:444/x"):
        with pytest.raises(StorageProtocolError):
            _build(Step("multipartPart", "PUT", foreign, "token", _ignore), TOKEN.credential)

    presigned = Step(
        "presignedPut",
        "PUT",
        "https://storage.example.com/x?X-Sig=abc",
        "none",
        _ignore,
        {"Content-Type": "image/png"},
    )
    put = _build(presigned, None)
    assert "Authorization" not in put.headers and put.headers["Content-Type"] == "image/png"


def test_scrub_redacts_the_credential_after_sending() -> None:
    request = httpx.Request("POST", "https://x.test", headers={"Authorization": "Key secret"})
    scrub(request)
    assert request.headers["Authorization"] == "[redacted]"


def test_attempts_follow_the_retry_policy() -> None:
    step = Step("cdnUpload", "POST", "https://v3.fal.media/files/upload", "token", _ignore)
    spec = step_spec(step, step.url, None, None)
    budget = CONFIG.budget({"max_retries": 2})
    budget = type(budget)(
        budget.timeout, None, RetryPolicy(max_retries=2, jitter=lambda: 0.0), budget.deadline
    )
    attempts = Attempts(spec, budget)
    attempts.begin()
    assert attempts.after_reply(response(503), b"").delay > 0  # type: ignore[union-attr]
    attempts.begin()
    decision = attempts.after_reply(response(429, headers={"Retry-After": "3"}), b"")
    assert decision.delay == 3.0  # type: ignore[union-attr]
    attempts.begin()
    with pytest.raises(APIStatusError) as info:
        attempts.after_reply(response(503), b"")
    assert info.value.attempts == 3

    refresh = Attempts(spec, budget)
    refresh.begin()
    first = refresh.after_reply(response(401), b"")
    assert first.refresh and first.delay == 0  # type: ignore[union-attr]
    refresh.begin()
    with pytest.raises(APIStatusError):
        refresh.after_reply(response(401), b"")  # refreshed once already

    conflict_attempts = Attempts(spec, budget)
    conflict_attempts.begin()
    with pytest.raises(APIStatusError) as conflict:
        conflict_attempts.after_reply(response(409), b"")
    assert conflict.value.attempts == 1

    once = type(budget)(budget.timeout, None, RetryPolicy(max_retries=1, jitter=lambda: 0.0), budget.deadline)
    transport = Attempts(spec, once)
    request = httpx.Request("POST", step.url)
    transport.begin()
    assert transport.after_error(httpx.ConnectError("refused"), request) == 0.375
    transport.begin()
    with pytest.raises(Exception, match="ConnectError"):
        transport.after_error(httpx.ConnectError("refused"), request)
