"""`FalAssets` / `AsyncFalAssets` themselves: `with_options` and per-call `RequestOptions`."""

from __future__ import annotations

import httpx
import pytest
from fal_assets import AsyncFalAssets, FalAssets, ValidationError
from fal_assets.testing import FakeFal

from tests.support import Sleeps, api_requests, async_client, sync_client


def test_with_options_changes_defaults_and_shares_the_pool(fal_fake: FakeFal) -> None:
    sleeps = Sleeps()
    with sync_client(fal_fake, sleeps) as client:
        patient = client.with_options(max_retries=5, timeout=httpx.Timeout(30.0))
        assert (patient.config.retry.max_retries, client.config.retry.max_retries) == (5, 2)
        assert patient.config.timeout.read == 30.0 and client.config.timeout.read == 60.0
        assert patient._shared is client._shared  # one connection pool, token and upload cache
        fal_fake.fail_next(4, 503, path=r"/assets/characters$", method="GET")
        assert patient.characters.list() == []
        assert len(api_requests(fal_fake, "listAssetCharacters")) == 5
        assert patient.files.upload(b"\x89PNG shared").startswith("http")
        assert client._shared.uploader is patient._shared.uploader
    assert client._shared.http.is_closed and patient._shared.http.is_closed


@pytest.mark.anyio
async def test_async_with_options(fal_fake: FakeFal) -> None:
    async with async_client(fal_fake) as client:
        quick = client.with_options(max_retries=0)
        assert isinstance(quick, AsyncFalAssets) and quick.config.retry.max_retries == 0
        fal_fake.fail_next(1, 503, path=r"/assets/characters$", method="GET")
        with pytest.raises(Exception, match="503"):
            await quick.characters.list()


def test_options_are_checked_before_anything_is_sent(fal_fake: FakeFal) -> None:
    with sync_client(fal_fake) as client:
        for options in ({"max_retries": -1}, {"deadline": 0}, {"timeout": -2}, {"timeout": "soon"}):
            with pytest.raises(ValidationError):
                client.characters.list(**options)  # type: ignore[arg-type]
        with pytest.raises(ValidationError):
            client.with_options(max_retries=-1)
    assert fal_fake.requests == []


def test_a_number_timeout_is_per_attempt_an_httpx_timeout_per_operation() -> None:
    client = FalAssets(api_key="k", timeout=5)
    assert client.config.budget().attempt_limit == 5.0
    assert client.config.budget({"timeout": httpx.Timeout(5)}).attempt_limit is None
    assert client.with_options(timeout=httpx.Timeout(1)).config.budget().attempt_limit is None
    assert FalAssets(api_key="k").config.budget().attempt_limit is None  # default: httpx.Timeout(60)
    client.close()
