"""`_config.py`: base URL rules (https only, plain http on loopback, from the environment, fal's defaults)
and which clients honour the environment's proxies."""

from __future__ import annotations

import pytest
from fal_assets import FalAssets, ValidationError
from fal_assets.testing import FakeFal

from tests.support import sync_client


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FAL_KEY", "FAL_KEY_ID", "FAL_KEY_SECRET", "FAL_ASSETS_BASE_URL", "FAL_ASSETS_STORAGE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    "url",
    ["http://api.example.com/v1", "ftp://127.0.0.1/v1", "https://user:pw@api.fal.ai/v1", "not a url"],
)
def test_unsafe_base_urls_are_refused(url: str) -> None:
    with pytest.raises(ValidationError):
        FalAssets(api_key="k", base_url=url)
    with pytest.raises(ValidationError):
        FalAssets(api_key="k", storage_base_url=url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/v1", "http://localhost/v1", "http://[::1]:9/v1"])
def test_plain_http_is_allowed_on_loopback(url: str) -> None:
    assert FalAssets(api_key="k", base_url=url).config.base_url == url


def test_base_urls_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAL_ASSETS_BASE_URL", "http://127.0.0.1:1234/v1/")
    monkeypatch.setenv("FAL_ASSETS_STORAGE_URL", "http://127.0.0.1:1235")
    config = FalAssets(api_key="k").config
    assert (config.base_url, config.storage_base_url) == ("http://127.0.0.1:1234/v1", "http://127.0.0.1:1235")


def test_defaults_point_at_fal() -> None:
    config = FalAssets(api_key="k").config
    assert config.base_url == "https://api.fal.ai/v1"
    assert config.storage_base_url == "https://rest.fal.ai"
    assert config.retry.max_retries == 2
    assert (config.timeout.connect, config.timeout.read) == (10.0, 60.0)


def test_loopback_client_ignores_environment_proxies(
    monkeypatch: pytest.MonkeyPatch, fal_fake: FakeFal
) -> None:
    # A dead proxy: if the client used it, the call would fail with a connection error.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with sync_client(fal_fake, max_retries=0) as client:
        assert client.characters.list() == []


def test_remote_client_honours_environment_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    with FalAssets(api_key="k") as client:
        # https goes through the proxy; plain http (loopback only) never does.
        assert any(pattern.pattern == "https://" for pattern in client._shared.http._mounts)


_PIECES = ["https://", "http://", "HTTPS://", "api.fal.ai", "API.fal.ai", "127.0.0.1", "[::1]", "evil.com"]
_PIECES += [":443", ":8080", ":80", ":0", "@", ".", "/", "/v1", "?", "#", "\\", "%2F", " ", "\t", "x"]


@pytest.mark.parametrize("url", ["ftp://user:hunter2@example.com/v1", "http://user:hunter2@example.com/v1"])
def test_a_refused_base_urls_credentials_are_not_in_the_error(url: str) -> None:
    with pytest.raises(ValidationError) as info:
        FalAssets(api_key="k", base_url=url)
    assert "hunter2" not in str(info.value) and "***@example.com" in str(info.value)
