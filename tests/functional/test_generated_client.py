"""The generated low-level client (fal_assets_api), driven directly over httpx.MockTransport.

MockTransport answers in-process: nothing here opens a socket, let alone reaches fal.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fal_assets_api import AuthenticatedClient, Client
from fal_assets_api.api.assets import (
    delete_asset_character,
    get_asset_character,
    list_asset_characters,
    update_asset_character,
)
from fal_assets_api.models import (
    Character,
    CharacterResponse,
    CharacterType,
    ErrorResponse,
    ErrorType,
    UpdateCharacterRequest,
)

from tests import paths
from tests.conftest import FAL_DOCUMENT_PATH

FIXTURES = paths.FIXTURES
BASE_URL = "https://api.fal.ai/v1"
SEED_ID = "d7tatpsregjaga2cf3d0"
VECTOR_ID = "019e6d0a-e5be-7b82-b329-35ae64296902"
KEY = "key-id:key-secret"
IDEMPOTENCY_KEY = "550e8400-e29b-41d4-a716-446655440000"
SEED_REQUEST: dict[str, Any] = json.loads((FIXTURES / "seed_update_request.json").read_text())
# fal's own example for PATCH 200 (fal's document); the docs page's copy omits parent_collection_id, which
# fal's schema requires.
_FAL = json.loads(FAL_DOCUMENT_PATH.read_text())
_PATCH = _FAL["paths"]["/assets/characters/{character_id}"]["patch"]
SEED_RESPONSE: dict[str, Any] = _PATCH["responses"]["200"]["content"]["application/json"]["example"]

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport handler that records requests and answers with a fixed response."""

    def __init__(self, status: int = 200, body: Any = SEED_RESPONSE) -> None:
        self.status, self.body = status, body
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.body is None:
            return httpx.Response(self.status)
        return httpx.Response(self.status, json=self.body)

    @property
    def only(self) -> httpx.Request:
        assert len(self.requests) == 1
        return self.requests[0]


def authenticated(handler: Handler) -> AuthenticatedClient:
    """The generated AuthenticatedClient builds its own httpx clients and auth header around the mock."""
    transport = httpx.MockTransport(handler)
    return AuthenticatedClient(
        base_url=BASE_URL, token=KEY, prefix="Key", httpx_args={"transport": transport}
    )


def injected(handler: Handler) -> Client:
    """A plain Client with a caller-made httpx.Client, headers and all."""
    client = Client(base_url=BASE_URL)
    return client.set_httpx_client(
        httpx.Client(
            base_url=BASE_URL, transport=httpx.MockTransport(handler), headers={"Authorization": f"Key {KEY}"}
        )
    )


MAKERS = [
    pytest.param(authenticated, id="AuthenticatedClient"),
    pytest.param(injected, id="set_httpx_client"),
]


def seed_body() -> UpdateCharacterRequest:
    return UpdateCharacterRequest(name="Alice", reference_images=[VECTOR_ID])


# ----------------------------------------------------------------------------------------------------
# Requests


@pytest.mark.parametrize("make", MAKERS)
def test_seed_request_goes_out_as_documented(make: Callable[[Handler], Client | AuthenticatedClient]) -> None:
    recorder = Recorder()
    client = make(recorder)
    response = update_asset_character.sync_detailed(
        SEED_ID, client=client, body=seed_body(), idempotency_key=IDEMPOTENCY_KEY
    )
    assert response.status_code == 200
    request = recorder.only
    assert request.method == "PATCH"
    assert str(request.url) == f"https://api.fal.ai/v1/assets/characters/{SEED_ID}"
    assert request.url.raw_path == f"/v1/assets/characters/{SEED_ID}".encode()
    assert request.headers["Authorization"] == f"Key {KEY}"
    assert request.headers["Idempotency-Key"] == IDEMPOTENCY_KEY
    assert request.headers["Content-Type"] == "application/json"
    body = json.loads(request.content)
    assert body == {"name": "Alice", "reference_images": [VECTOR_ID]}
    assert body == SEED_REQUEST
    assert list(body) == ["name", "reference_images"], "unset fields are omitted, not sent as null"


def test_idempotency_key_is_omitted_when_not_given() -> None:
    recorder = Recorder()
    update_asset_character.sync_detailed(SEED_ID, client=authenticated(recorder), body=seed_body())
    assert "Idempotency-Key" not in recorder.only.headers
    assert recorder.only.headers["Authorization"] == f"Key {KEY}"


def test_cover_image_url_none_is_sent_as_json_null() -> None:
    recorder = Recorder()
    update_asset_character.sync_detailed(
        SEED_ID, client=authenticated(recorder), body=UpdateCharacterRequest(cover_image_url=None)
    )
    assert json.loads(recorder.only.content) == {"cover_image_url": None}
    assert b'"cover_image_url":null' in recorder.only.content.replace(b" ", b"")


def test_an_empty_update_sends_an_empty_object() -> None:
    recorder = Recorder()
    update_asset_character.sync_detailed(
        SEED_ID, client=authenticated(recorder), body=UpdateCharacterRequest()
    )
    assert json.loads(recorder.only.content) == {}


def test_character_id_is_percent_encoded_as_one_path_segment() -> None:
    recorder = Recorder()
    get_asset_character.sync_detailed("a/b c", client=authenticated(recorder))
    assert recorder.only.url.raw_path == b"/v1/assets/characters/a%2Fb%20c"


def test_list_sends_limit_and_offset() -> None:
    recorder = Recorder(body={"characters": [SEED_RESPONSE["character"]]})
    response = list_asset_characters.sync_detailed(client=authenticated(recorder), limit=10, offset=20)
    assert recorder.only.method == "GET"
    assert recorder.only.url.path == "/v1/assets/characters"
    assert dict(recorder.only.url.params) == {"limit": "10", "offset": "20"}
    assert response.parsed is not None and not isinstance(response.parsed, ErrorResponse)
    assert [c.id for c in response.parsed.characters] == [SEED_ID]


def test_delete_sends_no_body_and_accepts_204() -> None:
    recorder = Recorder(status=204, body=None)
    response = delete_asset_character.sync_detailed(
        SEED_ID, client=authenticated(recorder), idempotency_key=IDEMPOTENCY_KEY
    )
    assert recorder.only.method == "DELETE"
    assert recorder.only.content == b""
    assert recorder.only.headers["Idempotency-Key"] == IDEMPOTENCY_KEY
    assert response.status_code == 204


# ----------------------------------------------------------------------------------------------------
# Responses


def parse_seed(body: Any = SEED_RESPONSE) -> CharacterResponse:
    recorder = Recorder(body=body)
    parsed = update_asset_character.sync_detailed(
        SEED_ID, client=authenticated(recorder), body=seed_body()
    ).parsed
    assert isinstance(parsed, CharacterResponse)
    return parsed


def test_seed_response_parses_into_the_generated_model() -> None:
    character = parse_seed().character
    assert isinstance(character, Character)
    assert character.id == SEED_ID
    assert character.type_ is CharacterType.CHARACTER
    assert character.name == "Alice"
    assert character.description == "A character with red hair and a blue jacket"
    assert (character.icon, character.color) == ("folder", "blue")
    assert character.cover_image_url == SEED_RESPONSE["character"]["cover_image_url"]
    assert character.character_identifier == "alice"
    assert character.is_favorited is False
    assert character.asset_count is None
    assert character.reference_images == SEED_RESPONSE["character"]["reference_images"]
    assert character.parent_collection_id is None
    assert character.additional_properties == {}


def test_seed_response_datetimes_are_timezone_aware_utc() -> None:
    character = parse_seed().character
    expected = datetime.datetime(2026, 5, 23, 20, 0, tzinfo=datetime.UTC)
    for stamp in (character.created_at, character.updated_at):
        assert stamp.tzinfo is not None
        assert stamp.utcoffset() == datetime.timedelta(0)
        assert stamp == expected


def test_unknown_fields_in_a_response_do_not_break_parsing() -> None:
    body = json.loads(json.dumps(SEED_RESPONSE))
    body["character"]["thumbnail_url"] = "https://v3b.fal.media/files/b/thumb.png"
    body["character"]["stats"] = {"views": 3}
    body["character"]["parent_collection_id"] = "col_123"
    body["request_id"] = "req-1"
    parsed = parse_seed(body)
    assert parsed.additional_properties == {"request_id": "req-1"}
    assert parsed.character.additional_properties == {
        "thumbnail_url": "https://v3b.fal.media/files/b/thumb.png",
        "stats": {"views": 3},
    }
    assert parsed.character.parent_collection_id == "col_123"
    assert parsed.character.name == "Alice"


def test_error_body_parses_into_error_response() -> None:
    body = {"error": {"type": "not_found", "message": "Character not found", "request_id": "req-9"}}
    recorder = Recorder(status=404, body=body)
    parsed = get_asset_character.sync_detailed(SEED_ID, client=authenticated(recorder)).parsed
    assert isinstance(parsed, ErrorResponse)
    assert parsed.error.type_ is ErrorType.NOT_FOUND
    assert parsed.error.message == "Character not found"
    assert parsed.error.request_id == "req-9"


@pytest.mark.anyio
async def test_async_seed_request_and_response() -> None:
    recorder = Recorder()
    client = authenticated(recorder)
    async with client:
        response = await update_asset_character.asyncio_detailed(
            SEED_ID, client=client, body=seed_body(), idempotency_key=IDEMPOTENCY_KEY
        )
    request = recorder.only
    assert (request.method, request.url.raw_path) == ("PATCH", f"/v1/assets/characters/{SEED_ID}".encode())
    assert request.headers["Authorization"] == f"Key {KEY}"
    assert request.headers["Idempotency-Key"] == IDEMPOTENCY_KEY
    assert json.loads(request.content) == SEED_REQUEST
    assert isinstance(response.parsed, CharacterResponse)
    assert response.parsed.character.created_at.utcoffset() == datetime.timedelta(0)
