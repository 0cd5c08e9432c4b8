"""`_core/auth.py`: API key sources, the key kept out of reprs, logs and exceptions, and bound to its
origins."""

from __future__ import annotations

import logging
import pickle

import pytest
from fal_assets import (
    AsyncFalAssets,
    AuthenticationError,
    FalAssets,
    MissingApiKeyError,
    StorageProtocolError,
)
from fal_assets._core.auth import ApiKey, Credential, origin
from fal_assets.testing import FakeFal
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support import SEED_ID, api_requests, sync_client

SECRET = "key-id-123:very-secret-value"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FAL_KEY", "FAL_KEY_ID", "FAL_KEY_SECRET", "FAL_ASSETS_BASE_URL", "FAL_ASSETS_STORAGE_URL"):
        monkeypatch.delenv(name, raising=False)


def test_key_from_fal_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAL_KEY", SECRET)
    assert FalAssets().config.api_key.reveal() == SECRET


def test_key_from_id_and_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAL_KEY_ID", "key-id-123")
    monkeypatch.setenv("FAL_KEY_SECRET", "very-secret-value")
    assert FalAssets().config.api_key.reveal() == SECRET


def test_explicit_key_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAL_KEY", "env-key")
    assert FalAssets(api_key="explicit").config.api_key.reveal() == "explicit"


@pytest.mark.parametrize("cls", [FalAssets, AsyncFalAssets])
def test_missing_key_names_fal_key(cls: type) -> None:
    with pytest.raises(MissingApiKeyError, match="FAL_KEY"):
        cls()


def test_only_half_of_id_secret_is_missing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAL_KEY_ID", "only-id")
    with pytest.raises(MissingApiKeyError):
        FalAssets()


def test_key_is_sent_with_key_prefix(fal_fake: FakeFal) -> None:
    with sync_client(fal_fake) as client:
        client.characters.list()
    (request,) = api_requests(fal_fake)
    assert request.headers["authorization"].startswith("Key ")


def test_key_never_in_reprs_logs_or_errors(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with FakeFal.serve(api_key="the-right-key") as fake:
        kwargs = {**fake.client_kwargs(), "api_key": SECRET}
        with FalAssets(**kwargs) as client:
            with pytest.raises(AuthenticationError) as info:
                client.characters.get(SEED_ID)
            texts = [
                repr(client),
                str(client),
                repr(client.config),
                repr(client.config.api_key),
                str(info.value),
            ]
            texts += [repr(info.value), repr(info.value.response.request.headers), caplog.text]
    for text in texts:
        assert SECRET not in text
        assert "very-secret-value" not in text
    assert "getAssetCharacter" in caplog.text  # the DEBUG line was written


def test_api_key_cannot_be_pickled() -> None:
    with pytest.raises(TypeError):
        pickle.dumps(ApiKey(SECRET))


# -- a credential goes to its origins only (scheme, host, port) --------------------------------------------

BOUND = Credential(
    "Key k",
    frozenset({origin("https://api.fal.ai/v1"), origin("http://127.0.0.1:8080"), origin("https://[::1]")}),
)


def _sent(credential: Credential, url: str) -> bool:
    headers: dict[str, str] = {}
    try:
        credential.attach(headers, url)
    except StorageProtocolError:
        assert headers == {}
        return False
    assert headers == {"Authorization": "Key k"}
    return True


@pytest.mark.parametrize(
    "url",
    [
        "https://api.fal.ai/v1/assets/characters/c1",
        "https://api.fal.ai:443/v1/x",
        "HTTPS://API.FAL.AI/v1/x",  # parsed, not matched as text
        "http://127.0.0.1:8080/v1/x?q=1",
        "https://[::1]/x",
        "https://[::1]:443/x",
    ],
)
def test_the_credential_goes_to_its_origins(url: str) -> None:
    assert _sent(BOUND, url)


@pytest.mark.parametrize(
    "url",
    [
        "https://api.fal.ai.evil.com/v1/x",
        "https://api.fal.ai@evil.com/v1/x",
        "https://api.fal.ai:443@evil.com/x",
        "https://evil.com/https://api.fal.ai/",
        "https://api.fal.ai:8443/v1/x",
        "http://api.fal.ai/v1/x",
        "http://127.0.0.1/v1/x",
        "https://127.0.0.1:8080/x",
        "https://[::2]/x",
    ],
)
def test_the_credential_goes_nowhere_else(url: str) -> None:
    assert not _sent(BOUND, url)


_PIECES = ["https://", "http://", "HTTPS://", "api.fal.ai", "API.fal.ai", "127.0.0.1", "[::1]", "evil.com"]
_PIECES += [":443", ":8080", ":80", ":0", "@", ".", "/", "/v1", "?", "#", "\\", "%2F", " ", "\t", "x"]


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=7))
def test_sending_is_decided_by_the_parsed_origin(pieces: list[str]) -> None:
    """Whatever shortcut `attach` takes, it sends exactly where parsing the URL finds one of its origins."""
    url = "".join(pieces)
    try:
        expected = origin(url) in BOUND.origins
    except ValueError:  # not a URL at all (a bad port): refused either way
        expected = False
        with pytest.raises((ValueError, StorageProtocolError)):
            BOUND.attach({}, url)
        return
    assert _sent(BOUND, url) == expected
