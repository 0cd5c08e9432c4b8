"""FakeFal's Storage API over real HTTP (raw httpx): file ACLs, signed URLs the CDN honours until they
expire, account settings applied to later uploads, lifecycle headers on every upload path, the test clock."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from fal_assets.testing import FakeFal

from tests.library_support import TLS, JSONDict, api_client, assert_error, cdn_status, upload_file

FORBID = {"default": "forbid", "rules": [{"user": "my-teammate", "decision": "allow"}]}


@pytest.fixture
def api(fal_fake: FakeFal) -> Iterator[httpx.Client]:
    with api_client(fal_fake) as client:
        yield client


def settings(api: httpx.Client, body: JSONDict) -> httpx.Response:
    return api.put("/storage/settings", json=body)


# -- settings ------------------------------------------------------------------------------------------------


def test_settings_start_empty_and_are_replaced_whole(fal_fake: FakeFal, api: httpx.Client) -> None:
    assert api.get("/storage/settings").json() == {"expiration_duration_seconds": None, "initial_acl": None}
    saved = settings(api, {"expiration_duration_seconds": 86400, "initial_acl": {"default": "hide"}})
    assert saved.json() == {
        "expiration_duration_seconds": 86400,
        "initial_acl": {"default": "hide", "rules": []},
    }
    assert api.get("/storage/settings").json() == saved.json() == fal_fake.storage_settings
    # "Omitted or null fields are cleared".
    assert settings(api, {"initial_acl": FORBID}).json() == {
        "expiration_duration_seconds": None,
        "initial_acl": FORBID,
    }
    assert settings(api, {}).json() == {"expiration_duration_seconds": None, "initial_acl": None}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"expiration_duration_seconds": 0}, "expiration_duration_seconds"),
        ({"expiration_duration_seconds": "1d"}, "expiration_duration_seconds"),
        ({"expiration_duration_seconds": True}, "expiration_duration_seconds"),
        ({"retention": 5}, "retention: Extra inputs are not permitted"),
        ({"initial_acl": {"rules": []}}, "initial_acl.default"),
        ({"initial_acl": {"default": "allow", "owner": "me"}}, "initial_acl.owner"),
        ({"initial_acl": {"default": "allow", "rules": [{"user": "", "decision": "allow"}]}}, "user"),
        ({"initial_acl": {"default": "allow", "rules": [{"user": "u", "decision": "maybe"}]}}, "decision"),
    ],
)
def test_invalid_settings_are_400_and_change_nothing(api: httpx.Client, body: JSONDict, message: str) -> None:
    # fal's storage operations document 400 (not 422) for invalid input.
    assert_error(settings(api, body), 400, "validation_error", message)
    assert api.get("/storage/settings").json() == {"expiration_duration_seconds": None, "initial_acl": None}


def test_settings_apply_to_later_uploads_only(fal_fake: FakeFal, api: httpx.Client) -> None:
    before = upload_file(fal_fake)
    settings(api, {"expiration_duration_seconds": 60, "initial_acl": {"default": "forbid"}})
    after = upload_file(fal_fake)
    assert cdn_status(before) == 200 and cdn_status(after) == 403
    assert cdn_status(after, key=fal_fake.api_key) == 200  # the owner always passes
    assert api.get("/storage/files/acl", params={"url": after}).json() == {"default": "forbid", "rules": []}
    fal_fake.advance(59)
    assert cdn_status(after, key=fal_fake.api_key) == 200
    fal_fake.advance(1)
    assert cdn_status(after, key=fal_fake.api_key) == 404 and cdn_status(before) == 200
    assert_error(api.get("/storage/files/acl", params={"url": after}), 404, "not_found")


# -- lifecycle headers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["X-Fal-Object-Lifecycle", "X-Fal-Object-Lifecycle-Preference"])
def test_lifecycle_header_expires_a_file(fal_fake: FakeFal, header: str) -> None:
    url = upload_file(fal_fake, lifecycle={"expiration_duration_seconds": 30}, header=header)
    fal_fake.advance(29.9)
    assert cdn_status(url) == 200
    fal_fake.advance(0.1)
    assert cdn_status(url) == 404


def test_null_expiration_overrides_the_account_default(fal_fake: FakeFal, api: httpx.Client) -> None:
    settings(api, {"expiration_duration_seconds": 10})
    never = upload_file(fal_fake, lifecycle={"expiration_duration_seconds": None})
    default = upload_file(fal_fake, lifecycle={"initial_acl": {"default": "hide"}})
    fal_fake.advance(3600)
    assert cdn_status(never) == 200
    assert cdn_status(default, key=fal_fake.api_key) == 404  # no expiration key: the account's 10 s


def test_lifecycle_initial_acl(fal_fake: FakeFal, api: httpx.Client) -> None:
    hidden = upload_file(fal_fake, lifecycle={"initial_acl": {"default": "hide"}})
    assert cdn_status(hidden) == 404 and cdn_status(hidden, key=fal_fake.api_key) == 200
    assert api.get("/storage/files/acl", params={"url": hidden}).json() == {"default": "hide", "rules": []}


@pytest.mark.parametrize("value", ["not json", "[1]", '{"expiration_duration_seconds": -5}'])
def test_malformed_lifecycle_header_is_400(fal_fake: FakeFal, value: str) -> None:
    key = {"Authorization": f"Key {fal_fake.api_key}"}
    with httpx.Client(verify=TLS) as http:
        token = http.post(
            f"{fal_fake.storage_base_url}/storage/auth/token",
            params={"storage_type": "fal-cdn-v3"},
            json={},
            headers=key,
        ).json()
        headers = {"Authorization": f"Bearer {token['token']}", "X-Fal-Object-Lifecycle": value}
        response = http.post(f"{token['base_url']}/files/upload", content=b"x", headers=headers)
    assert_error(response, 400, "validation_error", "x-fal-object-lifecycle")
    assert fal_fake.files == {}


def test_multipart_and_presigned_uploads_take_the_lifecycle_of_their_start(fal_fake: FakeFal) -> None:
    lifecycle = json.dumps({"expiration_duration_seconds": 5})
    key = {"Authorization": f"Key {fal_fake.api_key}"}
    with httpx.Client(verify=TLS) as http:
        token = http.post(
            f"{fal_fake.storage_base_url}/storage/auth/token",
            params={"storage_type": "fal-cdn-v3"},
            json={},
            headers=key,
        ).json()
        bearer = {"Authorization": f"Bearer {token['token']}", "X-Fal-File-Name": "big.bin"}
        started = http.post(
            f"{token['base_url']}/files/upload/multipart",
            headers={**bearer, "X-Fal-Object-Lifecycle": lifecycle},
        ).json()
        part = http.put(
            f"{started['access_url']}/multipart/{started['uploadId']}/1", content=b"abc", headers=bearer
        )
        done = http.post(
            f"{started['access_url']}/multipart/{started['uploadId']}/complete",
            json={"parts": [{"partNumber": 1, "etag": part.headers["etag"]}]},
            headers=bearer,
        )
        assert done.status_code == 200
        initiated = http.post(
            f"{fal_fake.storage_base_url}/storage/upload/initiate",
            params={"storage_type": "gcs"},
            json={"file_name": "a.txt", "content_type": "text/plain"},
            headers={**key, "X-Fal-Object-Lifecycle-Preference": lifecycle},
        ).json()
        assert http.put(initiated["upload_url"], content=b"hello").status_code == 200
    urls = [started["access_url"], initiated["file_url"]]
    assert [cdn_status(u) for u in urls] == [200, 200]
    fal_fake.advance(5)
    assert [cdn_status(u) for u in urls] == [404, 404]


# -- ACLs ----------------------------------------------------------------------------------------------------


def test_acl_get_and_set(fal_fake: FakeFal, api: httpx.Client) -> None:
    url = upload_file(fal_fake)
    assert api.get("/storage/files/acl", params={"url": url}).json() == {"default": "allow", "rules": []}
    response = api.put("/storage/files/acl", params={"url": url}, json=FORBID)
    assert response.status_code == 200 and response.json() == FORBID
    assert api.get("/storage/files/acl", params={"url": url}).json() == FORBID
    assert cdn_status(url) == 403 and cdn_status(url, key=fal_fake.api_key) == 200
    api.put("/storage/files/acl", params={"url": url}, json={"default": "allow"})
    assert cdn_status(url) == 200


@pytest.mark.parametrize(
    ("params", "body", "status"),
    [
        ({}, FORBID, 400),
        ({"url": "QUERY"}, FORBID, 400),
        ({"url": "https://v3.fal.media/files/b/x/unknown.png"}, FORBID, 404),
        ({"url": "URL"}, {"default": "maybe"}, 400),
        ({"url": "URL"}, {**FORBID, "extra": 1}, 400),
        ({"url": "URL"}, {"rules": []}, 400),
    ],
)
def test_acl_errors(
    fal_fake: FakeFal, api: httpx.Client, params: JSONDict, body: JSONDict, status: int
) -> None:
    url = upload_file(fal_fake)
    params = {k: {"URL": url, "QUERY": f"{url}?x=1"}.get(v, v) for k, v in params.items()}
    response = api.put("/storage/files/acl", params=params, json=body)
    assert_error(response, status, "validation_error" if status == 400 else "not_found")
    assert api.get("/storage/files/acl", params={"url": url}).json()["default"] == "allow"


# -- signed URLs ---------------------------------------------------------------------------------------------


def test_signed_urls_pass_any_acl_until_they_expire(fal_fake: FakeFal, api: httpx.Client) -> None:
    url = upload_file(fal_fake, b"secret bytes")
    api.put("/storage/files/acl", params={"url": url}, json={"default": "hide"})
    response = api.post("/storage/files/sign", params={"url": url}, json={"expiration_seconds": 60})
    assert response.status_code == 200 and set(response.json()) == {"signed_url"}
    signed = response.json()["signed_url"]
    assert signed.startswith(url + "?")
    with httpx.Client(verify=TLS) as http:
        assert http.get(signed).content == b"secret bytes"
        assert cdn_status(url) == 404
        fal_fake.advance(60)
        assert http.get(signed).status_code == 403
        other = upload_file(fal_fake)
        assert http.get(other + "?" + signed.split("?", 1)[1]).status_code == 403  # bound to its file


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "expiration_seconds: Field required"),
        ({"expiration_seconds": 0}, "greater than or equal to 1"),
        ({"expiration_seconds": 604801}, "less than or equal to 604800"),
        ({"expiration_seconds": "60"}, "valid integer"),
        ({"expiration_seconds": 60, "extra": True}, "extra: Extra inputs are not permitted"),
    ],
)
def test_sign_validates_its_body(fal_fake: FakeFal, api: httpx.Client, body: JSONDict, message: str) -> None:
    url = upload_file(fal_fake)
    assert_error(
        api.post("/storage/files/sign", params={"url": url}, json=body), 400, "validation_error", message
    )


def test_sign_needs_a_live_file(fal_fake: FakeFal, api: httpx.Client) -> None:
    url = upload_file(fal_fake, lifecycle={"expiration_duration_seconds": 1})
    assert (
        api.post("/storage/files/sign", params={"url": url}, json={"expiration_seconds": 604800}).status_code
        == 200
    )
    fal_fake.advance(1)
    assert_error(
        api.post("/storage/files/sign", params={"url": url}, json={"expiration_seconds": 9}), 404, "not_found"
    )


# -- the clock, faults and inspection ------------------------------------------------------------------------


def test_advance_moves_every_clock_of_the_fake(fal_fake: FakeFal) -> None:
    with pytest.raises(ValueError, match=">= 0"):
        fal_fake.advance(-1)
    key = {"Authorization": f"Key {fal_fake.api_key}"}
    with httpx.Client(verify=TLS) as http:
        token = http.post(
            f"{fal_fake.storage_base_url}/storage/auth/token",
            params={"storage_type": "fal-cdn-v3"},
            json={},
            headers=key,
        ).json()
        fal_fake.advance(fal_fake.token_ttl)
        expired = http.post(
            f"{token['base_url']}/files/upload",
            content=b"x",
            headers={"Authorization": f"Bearer {token['token']}"},
        )
    assert expired.status_code == 401


def test_storage_operations_take_faults_and_are_recorded(fal_fake: FakeFal, api: httpx.Client) -> None:
    fal_fake.fail_next(status=429, path="/storage/settings", method="PUT")
    assert settings(api, {"expiration_duration_seconds": 5}).status_code == 429
    assert fal_fake.storage_settings["expiration_duration_seconds"] is None
    assert settings(api, {"expiration_duration_seconds": 5}).status_code == 200
    recorded = [(r.operation, r.status, r.fault) for r in fal_fake.requests]
    assert recorded == [("updateStorageSettings", 429, "fail"), ("updateStorageSettings", 200, None)]
    assert fal_fake.writes_applied["updateStorageSettings"] == 1
    with httpx.Client(base_url=fal_fake.api_base_url, verify=TLS) as anonymous:
        assert_error(anonymous.get("/storage/settings"), 401, "authorization_error")


def test_rules_naming_unknown_users_are_dropped(fal_fake: FakeFal, api: httpx.Client) -> None:
    url = upload_file(fal_fake)
    rules = [{"user": "teammate", "decision": "allow"}, {"user": "ghost", "decision": "forbid"}]
    assert api.put(
        "/storage/files/acl", params={"url": url}, json={"default": "forbid", "rules": rules}
    ).json() == {
        "default": "forbid",
        "rules": rules,
    }
    fal_fake.storage_users = {"teammate"}
    applied = api.put("/storage/files/acl", params={"url": url}, json={"default": "forbid", "rules": rules})
    assert applied.json() == {"default": "forbid", "rules": rules[:1]}
    saved = settings(api, {"initial_acl": {"default": "allow", "rules": rules}})
    assert saved.json()["initial_acl"] == {"default": "allow", "rules": rules[:1]}


def test_file_expiry_is_inspectable() -> None:
    with FakeFal.serve(clock=lambda: 1_800_000_000.0) as fake:
        never = upload_file(fake)
        timed = upload_file(fake, lifecycle={"expiration_duration_seconds": 90})
        assert fake.file_expires_at(never) is None
        assert fake.file_expires_at(timed) == 1_800_000_090.0
        fake.advance(10)
        later = upload_file(fake, lifecycle={"expiration_duration_seconds": 90})
        assert fake.file_expires_at(later) == 1_800_000_100.0
        with pytest.raises(KeyError):
            fake.file_expires_at(f"{fake.cdn_base_url}/files/none/x.png")
