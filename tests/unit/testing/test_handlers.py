"""Every Assets-library and Storage operation of fal's document, one by one: the fake routes it under fal's
operationId, records it, takes injected faults, and serves it in-process (transport) as well as over HTTP."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fal_assets.testing import FakeFal

from tests.conftest import fal_assets_document
from tests.functional.test_conformance_prism_fal import (
    ASSET,
    COLLECTION,
    ENTITY,
    FILE,
    TAG,
    VALID,
    _entity,
    _fill,
)
from tests.library_support import TLS, upload_file

KEY = "ops-id:ops-secret"


def _operation_ids() -> dict[tuple[str, str], str]:
    """(METHOD, path pattern) -> fal's operationId, for the operations beyond characters."""
    found = {}
    for path, item in fal_assets_document()["paths"].items():
        if "characters" in path:
            continue
        pattern = "/v1" + re.sub(r"\{[^}]+\}", "[^/]+", path)
        for method, operation in item.items():
            found[(method.upper(), pattern)] = operation["operationId"]
    return found


OPERATION_IDS = _operation_ids()


def operation_id(method: str, path: str) -> str:
    matches = [
        op for (m, pattern), op in OPERATION_IDS.items() if m == method and re.fullmatch(pattern, path)
    ]
    # /v1/assets/tags also matches /v1/assets/{asset_id}'s pattern for GET; the fixed path wins, as in fal.
    fixed = [op for (m, pattern), op in OPERATION_IDS.items() if m == method and pattern == path]
    return (fixed or matches)[0]


def setup(fake: FakeFal, http: httpx.Client) -> dict[str, str]:
    return {
        ASSET: fake.add_asset(prompt="a cat")["asset_id"],
        COLLECTION: http.post("/assets/collections", json={"name": "c"}).json()["collection"]["id"],
        TAG: http.post("/assets/tags", json={"name": "t"}).json()["tag"]["id"],
        FILE: upload_file(fake),
        ENTITY: _entity(http),
    }


def send(http: httpx.Client, case: Any) -> httpx.Response:
    method, path, params, body = case
    return http.request(method, path, params=params, **({} if body is None else {"json": body}))


def test_every_operation_is_routed_under_fals_operation_id_and_recorded() -> None:
    with (
        FakeFal.serve(api_key=KEY) as fake,
        httpx.Client(base_url=fake.api_base_url, headers={"Authorization": f"Key {KEY}"}, verify=TLS) as http,
    ):
        names = setup(fake, http)
        fake.reset()
        for case in VALID:
            method, path, _, _ = filled = _fill(case, names)
            response = send(http, filled)
            assert 200 <= response.status_code < 300, (case, response.text)
            recorded = fake.requests[-1]
            assert recorded.operation == operation_id(method, "/v1" + path), case
            assert recorded.status == response.status_code and recorded.auth_scheme == "Key"
    assert {r.operation for r in fake.requests} == set(OPERATION_IDS.values())


@pytest.mark.parametrize("case", VALID, ids=[f"{c[0]} {c[1]}" for c in VALID])
def test_every_operation_takes_an_injected_fault_without_applying_it(case: Any) -> None:
    with (
        FakeFal.serve(api_key=KEY) as fake,
        httpx.Client(base_url=fake.api_base_url, headers={"Authorization": f"Key {KEY}"}, verify=TLS) as http,
    ):
        names = setup(fake, http)
        method, path, _, _ = filled = _fill(case, names)
        before = (fake.assets, fake.collections, fake.tags, fake.storage_settings)
        fake.fail_next(status=502, path=re.escape(f"/v1{path}") + "$", method=method)
        failed = send(http, filled)
        assert failed.status_code == 502 and failed.json()["error"]["type"] == "server_error"
        assert (fake.assets, fake.collections, fake.tags, fake.storage_settings) == before
        assert fake.requests[-1].fault == "fail" and fake.pending_faults == 0
        assert 200 <= send(http, filled).status_code < 300  # and the next one is served


def test_the_library_works_in_process_too() -> None:
    fake = FakeFal(api_key=KEY)
    base = fake.api_base_url
    with httpx.Client(transport=fake.transport(), headers={"Authorization": f"Key {KEY}"}) as http:
        tag = http.post(f"{base}/assets/tags", json={"name": "hero"}).json()["tag"]
        asset = fake.add_asset(prompt="hero shot")
        assert (
            http.post(
                f"{base}/assets/tags/{tag['id']}/assign", json={"asset_id": asset["asset_id"]}
            ).status_code
            == 200
        )
        found = http.get(f"{base}/assets", params={"q": "hero", "tag_id": tag["id"]}).json()
        assert [a["asset_id"] for a in found["assets"]] == [asset["asset_id"]]
        assert http.get(f"{base}/storage/settings").status_code == 200


@pytest.mark.anyio
async def test_the_library_works_in_process_async() -> None:
    fake = FakeFal(api_key=KEY)
    base = fake.api_base_url
    async with httpx.AsyncClient(
        transport=fake.async_transport(), headers={"Authorization": f"Key {KEY}"}
    ) as http:
        created = await http.post(f"{base}/assets/collections", json={"name": "Async"})
        assert created.status_code == 201
        listed = (await http.get(f"{base}/assets/collections")).json()["collections"]
        assert [c["name"] for c in listed] == ["Async"]
