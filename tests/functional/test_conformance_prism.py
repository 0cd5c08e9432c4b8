"""Stoplight Prism, an independent mock server, serves openapi.yaml with request validation on loopback.

It shows that the requests our client makes are valid by the spec, and that the fake draws the line between
valid and invalid requests where the spec does. Prism comes from npm into .tools/prism
(scripts/install-prism); when node, npm or Prism is unavailable these tests fail: they are never skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fal_assets import FalAssets
from fal_assets.testing import FakeFal

from tests.conftest import SPEC_PATH
from tests.library_support import TLS
from tests.prism_support import running_prism

KEY = "prism-id:prism-secret"
VECTOR_ID = "019e6d0a-e5be-7b82-b329-35ae64296902"
FAL_URL = "https://v3b.fal.media/files/b/0a9b4900/x.png"
VALID = {"name": "Alice", "description": "Red hair, blue jacket", "reference_images": [VECTOR_ID]}


@pytest.fixture(scope="module")
def prism_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log_path = tmp_path_factory.mktemp("prism") / "prism.log"
    with running_prism("mock", str(SPEC_PATH), log_path=log_path, probe="/assets/characters", key=KEY) as url:
        yield url


@pytest.fixture
def prism(prism_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=prism_url, headers={"Authorization": f"Key {KEY}"}, verify=TLS) as client:
        yield client


def test_valid_requests_succeed_on_prism(prism: httpx.Client) -> None:
    created = prism.post(
        "/assets/characters", json={**VALID, "identifier": "alice", "cover_image_url": FAL_URL}
    )
    assert created.status_code == 201, created.text
    cid = created.json()["character"]["id"]
    assert prism.get(f"/assets/characters/{cid}").status_code == 200
    assert prism.get("/assets/characters", params={"limit": 100, "offset": 0}).status_code == 200
    cleared = prism.patch(f"/assets/characters/{cid}", json={"cover_image_url": None})
    assert cleared.status_code == 200, cleared.text
    assert prism.patch(f"/assets/characters/{cid}", json={}).status_code == 200
    assert prism.post(f"/assets/characters/{cid}/favorite").status_code == 200
    assert prism.delete(f"/assets/characters/{cid}").status_code == 204


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**VALID, "name": ""}, "name"),
        ({**VALID, "reference_images": [VECTOR_ID] * 21}, "reference_images"),
        ({**VALID, "reference_images": []}, "reference_images"),
        ({k: v for k, v in VALID.items() if k != "description"}, "description"),
    ],
    ids=["empty-name", "21-references", "no-references", "no-description"],
)
def test_invalid_requests_get_prisms_422(prism: httpx.Client, body: dict[str, Any], field: str) -> None:
    response = prism.post("/assets/characters", json=body)
    assert response.status_code == 422, response.text
    # Prism answers with the spec's 422 example and names what it found in `sl-violations`.
    violations = json.loads(response.headers["sl-violations"])
    assert any(field in v["location"] or field in v["message"] for v in violations), violations


def test_prism_requires_the_authorization_header(prism_url: str) -> None:
    with httpx.Client(verify=TLS) as http:
        assert http.get(f"{prism_url}/assets/characters").status_code == 401


# Requests on which Prism (validating against the spec) and the fake must agree: valid ones succeed,
# invalid ones are 422, whatever the fake's own code says.
AGREEMENT = [
    ("POST", "/assets/characters", None, VALID),
    (
        "POST",
        "/assets/characters",
        None,
        {**VALID, "name": "x" * 255, "identifier": None, "cover_image_url": None},
    ),
    ("POST", "/assets/characters", None, {**VALID, "name": "x" * 256}),
    ("POST", "/assets/characters", None, {**VALID, "description": "d" * 2001}),
    ("POST", "/assets/characters", None, {**VALID, "reference_images": [VECTOR_ID] * 20}),
    ("POST", "/assets/characters", None, {**VALID, "reference_images": [""]}),
    ("POST", "/assets/characters", None, {**VALID, "identifier": "i" * 65}),
    ("POST", "/assets/characters", None, {**VALID, "cover_image_url": "not a uri"}),
    ("POST", "/assets/characters", None, {**VALID, "name": 5}),
    ("GET", "/assets/characters", {"limit": 0}, None),
    ("GET", "/assets/characters", {"limit": 100, "offset": 0}, None),
    ("GET", "/assets/characters", {"limit": 101}, None),
    ("GET", "/assets/characters", {"offset": -1}, None),
    ("GET", "/assets/characters", {"limit": "many"}, None),
    ("PATCH", "/assets/characters/{id}", None, {}),
    ("PATCH", "/assets/characters/{id}", None, {"cover_image_url": None, "name": "Bob"}),
    ("PATCH", "/assets/characters/{id}", None, {"description": ""}),
    ("PATCH", "/assets/characters/{id}", None, {"reference_images": [VECTOR_ID] * 21}),
]


def test_the_fake_and_prism_agree_on_validity(prism: httpx.Client) -> None:
    disagreements = []
    with FakeFal.serve(api_key=KEY) as fake:
        cid = fake.add_character(name="target")["id"]
        auth = {"Authorization": f"Key {KEY}"}
        with httpx.Client(base_url=fake.api_base_url, headers=auth, verify=TLS) as ours:
            for method, path, params, body in AGREEMENT:
                path = path.replace("{id}", cid)
                statuses = [
                    client.request(method, path, params=params, json=body).status_code
                    for client in (prism, ours)
                ]
                if statuses[0] != statuses[1]:
                    disagreements.append(
                        f"{method} {path} {params} {body!r:.80}: prism {statuses[0]}, fake {statuses[1]}"
                    )
    assert not disagreements, "\n".join(disagreements)


def test_the_facade_works_against_prism(prism_url: str) -> None:
    with FalAssets(api_key=KEY, base_url=prism_url, storage_base_url=prism_url, max_retries=0) as client:
        created = client.characters.create(
            name="Alice", description="Red hair", reference_images=[VECTOR_ID], identifier="alice"
        )
        assert created.id and created.type_.value == "character"
        assert client.characters.get(created.id).id == created.id
        assert all(c.type_.value == "character" for c in client.characters.list(limit=10, offset=0))
        updated = client.characters.update(created.id, name="Alicia", cover_image=None)
        assert updated.id == created.id
        client.characters.delete(created.id)
