"""`_core/api.py`: what resources see of a client (`SyncApi`, `AsyncApi`).

- `budget(options)` is the api's own config's reading of a call's options (a fresh budget per call);
- `call(operation, budget, **arguments)` builds the operation's request from the api's own config (its
  base URL and key) and sends it through the api's engine; `send(spec, budget)` sends a request built
  elsewhere as it is (no credential of its own);
- `uploads` is made on first use, once per `_Shared`, so every api over one client (the clients its
  `with_options` makes) shares one uploader, built with the settings the client was made with;
- `operations` (the request builder) loads with the first call, not with the client.

Real objects throughout: a `ClientConfig` from `make_config`, the real engines, over FakeFal's in-process
transports (no server, no network).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fal_assets import AuthenticationError, ClientClosedError, NotFoundError
from fal_assets._config import ClientConfig, make_config
from fal_assets._core.api import AsyncApi, SyncApi, _Shared
from fal_assets._core.body import Reply
from fal_assets._core.engine import AsyncEngine, Spec, SyncEngine
from fal_assets._uploads import AsyncUploader, SyncUploader
from fal_assets.testing import FakeFal
from fal_assets_api import operations as ops

from tests.support import api_requests

KEY = "api-test:s3cr3t"
PNG = b"\x89PNG\r\n\x1a\n api test"


def config_for(fake: FakeFal, api_key: str = KEY, **overrides: Any) -> ClientConfig:
    settings: dict[str, Any] = {
        "api_key": api_key,
        "base_url": fake.api_base_url,
        "storage_base_url": fake.storage_base_url,
        "fal_hosts": fake.fal_hosts,
        "timeout": 5.0,
        "max_retries": 0,
        "uploads": None,
        **overrides,
    }
    return make_config(**settings)


@pytest.fixture
def fake() -> FakeFal:
    return FakeFal(KEY)


@pytest.fixture
def http(fake: FakeFal) -> Iterator[httpx.Client]:
    with httpx.Client(transport=fake.transport()) as client:
        yield client


def sync_api(fake: FakeFal, http: httpx.Client, shared: _Shared[httpx.Client] | None = None) -> SyncApi:
    config = config_for(fake)
    return SyncApi(config, shared or _Shared(http, False, config), SyncEngine(http))


def status_of(reply: Reply) -> int:
    return reply.status_code


# -- budgets -------------------------------------------------------------------------------------------


def test_a_budget_is_the_configs_reading_of_the_calls_options(fake: FakeFal, http: httpx.Client) -> None:
    api = sync_api(fake, http)
    default = api.budget({})
    assert (default.attempt_limit, default.deadline_seconds) == (5.0, None)
    assert default.retry.max_retries == 0
    given = api.budget({"timeout": 2.0, "max_retries": 3, "deadline": 1.5})
    assert (given.attempt_limit, given.retry.max_retries, given.deadline_seconds) == (2.0, 3, 1.5)
    assert api.budget({}).interrupt is not default.interrupt  # each call is stopped on its own
    with pytest.raises(TypeError, match="retries"):
        api.budget({"retries": 3})


def test_each_api_reads_options_over_its_own_defaults(fake: FakeFal, http: httpx.Client) -> None:
    shared = _Shared(http, False, config_for(fake))
    patient = SyncApi(config_for(fake, timeout=30.0, max_retries=4), shared, SyncEngine(http))
    assert (patient.budget({}).attempt_limit, patient.budget({}).retry.max_retries) == (30.0, 4)
    assert sync_api(fake, http, shared).budget({}).attempt_limit == 5.0


# -- calls -----------------------------------------------------------------------------------------------


def test_a_call_sends_the_operation_to_the_api_with_the_key(fake: FakeFal, http: httpx.Client) -> None:
    stored = fake.add_character(name="Alice")
    api = sync_api(fake, http)
    character = api.call(ops.GET_ASSET_CHARACTER, api.budget({}), character_id=stored["id"])
    assert (character.id, character.name) == (stored["id"], "Alice")
    (request,) = api_requests(fake)
    assert (request.method, request.path, request.auth_scheme) == (
        "GET",
        f"/v1/assets/characters/{stored['id']}",
        "Key",
    )


def test_a_call_passes_its_arguments_to_the_operations_request(fake: FakeFal, http: httpx.Client) -> None:
    for name in ("a", "b", "c"):
        fake.add_character(name=name)
    api = sync_api(fake, http)
    page = api.call(ops.LIST_ASSET_CHARACTERS, api.budget({}), limit=2, offset=1)
    assert len(page) == 2
    (request,) = api_requests(fake, "listAssetCharacters")
    assert request.query == {"limit": "2", "offset": "1"}


def test_a_call_uses_the_apis_own_config(fake: FakeFal, http: httpx.Client) -> None:
    """Two apis over one client (as `with_options` makes): each call carries its own api's settings."""
    stored = fake.add_character(name="Alice")
    shared = _Shared(http, False, config_for(fake))
    stranger = SyncApi(config_for(fake, api_key="other:key"), shared, SyncEngine(http))
    with pytest.raises(AuthenticationError):
        stranger.call(ops.GET_ASSET_CHARACTER, stranger.budget({}), character_id=stored["id"])
    elsewhere = SyncApi(
        config_for(fake, base_url=fake.api_base_url.replace("/v1", "/v0")), shared, SyncEngine(http)
    )
    with pytest.raises(NotFoundError):
        elsewhere.call(ops.GET_ASSET_CHARACTER, elsewhere.budget({}), character_id=stored["id"])
    assert [r.path.split("/")[1] for r in fake.requests] == ["v1", "v0"]


def test_a_call_and_a_send_on_a_closed_client_send_nothing(fake: FakeFal, http: httpx.Client) -> None:
    api = sync_api(fake, http)
    http.close()
    with pytest.raises(ClientClosedError):
        api.call(ops.LIST_ASSET_CHARACTERS, api.budget({}))
    with pytest.raises(ClientClosedError):
        api.send(Spec("probe", "GET", f"{fake.api_base_url}/assets/characters", status_of), api.budget({}))
    assert fake.requests == []


def test_send_sends_a_spec_as_built_without_the_key(fake: FakeFal, http: httpx.Client) -> None:
    api = sync_api(fake, http)
    url = f"{fake.api_base_url}/assets/characters"
    with pytest.raises(AuthenticationError):
        api.send(Spec("probe", "GET", url, status_of), api.budget({}))
    keyed = Spec("probe", "GET", url, status_of, credential=api.config.api_credential)
    assert api.send(keyed, api.budget({})) == 200
    assert [r.auth_scheme for r in api_requests(fake)] == [None, "Key"]


def test_the_request_builder_loads_with_the_first_call_not_with_the_client() -> None:
    script = (
        "import sys\n"
        "from fal_assets import FalAssets\n"
        "from fal_assets._core import api\n"
        "FalAssets(api_key='a:b')\n"
        "assert 'fal_assets._core.operations' not in sys.modules and api._loaded == []\n"
        "from fal_assets.testing import FakeFal\n"
        "from fal_assets_api.operations import LIST_ASSET_CHARACTERS\n"
        "fake = FakeFal()\n"
        "config = FalAssets(**fake.client_kwargs()).config\n"
        "api._api_spec(LIST_ASSET_CHARACTERS, config, {})\n"
        "from fal_assets._core.operations import api_spec\n"
        "assert api._loaded == [api_spec], api._loaded\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]


# -- uploads ---------------------------------------------------------------------------------------------


def test_uploads_are_made_on_first_use_once_per_client(fake: FakeFal, http: httpx.Client) -> None:
    api = sync_api(fake, http)
    shared: _Shared[httpx.Client] = api._shared
    assert shared.uploader is None  # nothing made before it is asked for
    uploader = api.uploads
    other = sync_api(fake, http).uploads
    try:
        assert isinstance(uploader, SyncUploader) and shared.uploader is uploader
        assert api.uploads is uploader
        assert sync_api(fake, http, shared).uploads is uploader  # a with_options api shares it
        assert other is not uploader  # another client has its own
        assert fake.requests == []
    finally:
        uploader.close()
        other.close()


def test_uploads_keep_the_settings_the_client_was_made_with(fake: FakeFal, http: httpx.Client) -> None:
    shared = _Shared(http, False, config_for(fake))
    stranger = SyncApi(config_for(fake, api_key="other:key"), shared, SyncEngine(http))
    try:
        url = stranger.uploads.upload_one(PNG, budget=stranger.budget({}))
    finally:
        stranger.uploads.close()
    assert url.startswith(fake.cdn_base_url)
    assert all(r.status < 400 for r in fake.requests)  # the client's key, not the api's


# -- the async twin --------------------------------------------------------------------------------------


def async_api(fake: FakeFal, http: httpx.AsyncClient, **overrides: Any) -> AsyncApi:
    config = config_for(fake, **overrides)
    return AsyncApi(config, _Shared(http, False, config), AsyncEngine(http))


@pytest.mark.anyio
async def test_the_async_api_calls_sends_and_budgets_as_the_sync_one(fake: FakeFal) -> None:
    stored = fake.add_character(name="Alice")
    async with httpx.AsyncClient(transport=fake.async_transport()) as http:
        api = async_api(fake, http, max_retries=2)
        assert api.budget({"timeout": 2.0}).attempt_limit == 2.0 and api.budget({}).retry.max_retries == 2
        character = await api.call(ops.GET_ASSET_CHARACTER, api.budget({}), character_id=stored["id"])
        assert character.id == stored["id"]
        url = f"{fake.api_base_url}/assets/characters"
        with pytest.raises(AuthenticationError):
            await api.send(Spec("probe", "GET", url, status_of), api.budget({}))
        stranger = AsyncApi(config_for(fake, api_key="other:key"), api._shared, AsyncEngine(http))
        with pytest.raises(AuthenticationError):
            await stranger.call(ops.GET_ASSET_CHARACTER, stranger.budget({}), character_id=stored["id"])
    assert [r.auth_scheme for r in api_requests(fake)] == ["Key", None, "Key"]
    with pytest.raises(ClientClosedError):
        await api.call(ops.LIST_ASSET_CHARACTERS, api.budget({}))


@pytest.mark.anyio
async def test_the_async_uploads_are_made_once_per_client(fake: FakeFal) -> None:
    async with httpx.AsyncClient(transport=fake.async_transport()) as http:
        api = async_api(fake, http)
        assert api._shared.uploader is None
        uploader = api.uploads
        assert isinstance(uploader, AsyncUploader) and api.uploads is uploader
        clone = AsyncApi(config_for(fake, timeout=30.0), api._shared, AsyncEngine(http))
        assert clone.uploads is uploader
        try:
            assert (await uploader.upload_one(PNG, budget=api.budget({}))).startswith(fake.cdn_base_url)
        finally:
            await uploader.aclose()
