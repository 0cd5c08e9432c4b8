"""`_uploads/tokens.py`: the CDN upload token, parsed, cached and refreshed; no server involved."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fal_assets import APIResponseValidationError
from fal_assets._config import DEFAULT_CDN_BASE_URL
from fal_assets._core.body import Reply
from fal_assets._uploads.tokens import TokenCache, cdn_token, parse_token


def reply(status: int, body: Any = None, headers: dict[str, str] | None = None) -> Reply:
    raw = response(status, body, headers)
    return Reply(raw, raw.content)


def response(status: int, body: Any = None, headers: dict[str, str] | None = None) -> httpx.Response:
    request = httpx.Request("POST", "https://rest.example.test/x")
    if body is None:
        return httpx.Response(status, headers=headers, request=request)
    return httpx.Response(status, json=body, headers=headers, request=request)


# -- tokens ---------------------------------------------------------------------------------------------


def test_token_is_refreshed_shortly_before_it_expires() -> None:
    in_an_hour = (datetime.now(UTC) + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    token = parse_token(
        response(
            200,
            {
                "token": "t",
                "token_type": "Bearer",
                "base_url": "https://v3b.fal.media",
                "expires_at": in_an_hour,
            },
        )
    )
    assert token.credential.authorization == "Bearer t" and token.base_url == "https://v3b.fal.media"
    assert 3290 < token.refresh_at - time.monotonic() <= 3300  # five minutes early
    short = parse_token(reply(200, {"token": "t", "token_type": "Bearer", "expires_at": time.time() + 60}))
    assert 53 < short.refresh_at - time.monotonic() <= 54  # 10% of a short lifetime
    assert short.base_url == DEFAULT_CDN_BASE_URL
    secret = parse_token(reply(200, {"token": "s3cr3t-token", "token_type": "Bearer"}))
    assert "s3cr3t" not in repr(secret)


@pytest.mark.parametrize(
    "body",
    [
        {"token_type": "Bearer"},
        {"token": "t", "base_url": "http://cdn.example.com"},  # plain http off loopback
        ["not", "an", "object"],
    ],
)
def test_bad_token_responses(body: Any) -> None:
    with pytest.raises(APIResponseValidationError):
        parse_token(reply(200, body))


def test_token_cache_expiry_and_staleness() -> None:
    now = [100.0]
    cache = TokenCache(clock=lambda: now[0])
    token = cdn_token("Bearer a", "https://v3.fal.media", 200.0, ())
    assert cache.usable() is None
    cache.store(token)
    assert cache.usable() is token
    assert cache.usable(stale=token.credential) is None  # a 401 marked it stale
    now[0] = 200.0
    assert cache.usable() is None
