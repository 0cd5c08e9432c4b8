"""Error mapping: every documented status, fal's error shape, and malformed bodies."""

from __future__ import annotations

import io
import pickle

import httpx
import pytest
from fal_assets import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    MissingApiKeyError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    SourceChangedError,
    StorageProtocolError,
    UnprocessableEntityError,
    UploadError,
    UploadFailure,
    ValidationError,
)
from fal_assets._errors import error_from_response
from fal_assets.testing import FakeFal

from tests.support import SEED_ID, api_requests, async_client, sync_client

DOCUMENTED = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    500: InternalServerError,
    502: InternalServerError,
    503: InternalServerError,
}


@pytest.mark.parametrize(("status", "cls"), DOCUMENTED.items())
def test_documented_statuses_map_to_their_class(fal_fake: FakeFal, status: int, cls: type) -> None:
    body = {
        "error": {
            "type": "server_error",
            "message": f"boom {status}",
            "docs_url": "https://docs.fal.ai/errors",
            "request_id": "req-123",
        }
    }
    fal_fake.fail_next(1, status, body=body)
    with sync_client(fal_fake, max_retries=0) as client, pytest.raises(cls) as info:
        client.characters.get(SEED_ID)
    err = info.value
    assert isinstance(err, APIStatusError)
    assert (err.status_code, err.error_type, err.message, err.request_id, err.docs_url) == (
        status,
        "server_error",
        f"boom {status}",
        "req-123",
        "https://docs.fal.ai/errors",
    )
    assert isinstance(err.response, httpx.Response)
    assert str(err) == f"{status} server_error: boom {status} (request_id=req-123)"


def test_fake_errors_parse_with_type_and_request_id(fal_fake: FakeFal) -> None:
    with sync_client(fal_fake) as client, pytest.raises(NotFoundError) as info:
        client.characters.get("nope")
    assert info.value.error_type == "not_found"
    assert info.value.request_id


def test_wrong_key_is_authentication_error() -> None:
    with FakeFal.serve(api_key="right-key") as fake:
        kwargs = {**fake.client_kwargs(), "api_key": "wrong-key"}
        from fal_assets import FalAssets

        with FalAssets(**kwargs) as client, pytest.raises(AuthenticationError) as info:
            client.characters.list()
        assert info.value.error_type == "authorization_error"
        assert len(api_requests(fake)) == 1


def response(
    status: int, content: bytes, content_type: str = "application/json", **headers: str
) -> httpx.Response:
    request = httpx.Request("GET", "https://api.test/v1/assets/characters")
    return httpx.Response(
        status, content=content, headers={"content-type": content_type, **headers}, request=request
    )


def test_detail_shape_is_understood() -> None:
    err = error_from_response(response(422, b'{"detail": "name too long"}'))
    assert isinstance(err, UnprocessableEntityError)
    assert err.message == "name too long"
    assert err.error_type is None
    structured = error_from_response(response(422, b'{"detail": [{"loc": ["body", "name"], "msg": "x"}]}'))
    assert "name" in structured.message


def test_html_502_page() -> None:
    err = error_from_response(response(502, b"<html><body>Bad gateway</body></html>", "text/html"))
    assert isinstance(err, InternalServerError)
    assert "Bad gateway" in err.message


def test_empty_body_uses_reason_phrase_and_header_request_id() -> None:
    err = error_from_response(response(503, b"", **{"x-fal-request-id": "hdr-1"}))
    assert err.message == "Service Unavailable"
    assert err.request_id == "hdr-1"


def test_unknown_error_type_is_kept_not_fatal() -> None:
    err = error_from_response(response(400, b'{"error": {"type": "brand_new_type", "message": "m"}}'))
    assert (err.error_type, err.message) == ("brand_new_type", "m")


def test_unmapped_4xx_is_plain_status_error() -> None:
    err = error_from_response(response(418, b"teapot", "text/plain"))
    assert type(err) is APIStatusError
    assert err.message == "teapot"


@pytest.mark.parametrize("kind", ["non_json", "html", "wrong_shape"])
def test_malformed_success_bodies_raise_typed_errors(fal_fake: FakeFal, kind: str) -> None:
    fal_fake.corrupt_next(kind, path=r"^/v1/assets/characters/", method="GET")
    with sync_client(fal_fake, max_retries=0) as client, pytest.raises(APIResponseValidationError) as info:
        client.characters.get(SEED_ID)
    assert info.value.status_code == 200


def test_truncated_body_is_a_connection_error_and_retried(fal_fake: FakeFal) -> None:
    from fal_assets import APIConnectionError

    fal_fake.corrupt_next("truncated", count=5, path=r"^/v1/assets/characters$", method="GET")
    with sync_client(fal_fake, max_retries=2) as client, pytest.raises(APIConnectionError) as info:
        client.characters.list()
    assert info.value.attempts == 3


def test_html_502_from_the_server_is_retried_then_raised(fal_fake: FakeFal) -> None:
    fal_fake.fail_next(3, 502, body="<html>upstream asset service error</html>")
    with sync_client(fal_fake, max_retries=2) as client, pytest.raises(InternalServerError) as info:
        client.characters.list()
    assert "upstream asset service error" in info.value.message
    assert info.value.attempts == 3


@pytest.mark.anyio
async def test_async_error_mapping(fal_fake: FakeFal) -> None:
    fal_fake.corrupt_next("non_json", path=r"^/v1/assets/characters$", method="GET")
    async with async_client(fal_fake, max_retries=0) as client:
        with pytest.raises(APIResponseValidationError):
            await client.characters.list()
        with pytest.raises(NotFoundError):
            await client.characters.get("missing")


# -- every error crosses a process boundary -----------------------------------------------------------------


def _pickled_errors(fal_fake: FakeFal) -> list[Exception]:
    request = httpx.Request(
        "GET", "https://api.fal.ai/v1/x", headers={"Authorization": f"Key {fal_fake.api_key}"}
    )
    fal_body = {"error": {"type": "not_found", "message": "no such character", "request_id": "req-1"}}
    response = httpx.Response(404, json=fal_body, request=request)
    bad = httpx.Response(200, content=b"{}", request=request, headers={"x-fal-request-id": "req-2"})
    return [
        error_from_response(response),
        error_from_response(httpx.Response(503, content=b"busy", request=request), attempts=3),
        APIResponseValidationError("bad body", response=bad),
        ResponseTooLargeError("too big", limit=10),
        APIConnectionError("refused", request=request, attempts=2),
        APITimeoutError("slow", request=request),
        ValidationError("bad name", field="name"),
        StorageProtocolError("refused"),
        SourceChangedError("changed"),
        MissingApiKeyError("no key"),
        UploadError(
            [
                UploadFailure(io.BytesIO(b"x"), None, APITimeoutError("slow")),
                UploadFailure("a.png", "u", None),
            ]
        ),
    ]


def test_every_error_survives_a_pickle_round_trip_without_the_key(fal_fake: FakeFal) -> None:
    for error in _pickled_errors(fal_fake):
        data = pickle.dumps(error)
        assert fal_fake.api_key.encode() not in data
        copy = pickle.loads(data)  # noqa: S301 (our own bytes)
        assert type(copy) is type(error) and str(copy) == str(error)
        for attribute in ("status_code", "message", "request_id", "attempts", "field", "limit", "error_type"):
            assert getattr(copy, attribute, None) == getattr(error, attribute, None), attribute
    not_found = pickle.loads(pickle.dumps(_pickled_errors(fal_fake)[0]))  # noqa: S301 (our own bytes)
    assert (not_found.status_code, not_found.request_id) == (404, "req-1")
    upload = pickle.loads(pickle.dumps(_pickled_errors(fal_fake)[-1]))  # noqa: S301 (our own bytes)
    assert [type(e).__name__ for e in upload.errors] == ["APITimeoutError"]
    assert upload.results[1].url == "u"
