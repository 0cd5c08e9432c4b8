"""Stoplight Prism in proxy mode, in front of the served FakeFal: every request of every operation goes
through Prism to the fake, and Prism checks the fake's reply (status, headers, body) against fal's real
published document. Prism reports what breaks the document in an ``sl-violations`` header: no reply may
carry one. Like the other Prism tests, this fails (never skips) when Prism cannot be installed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fal_assets.testing import FakeFal

from tests.conftest import fal_assets_document
from tests.functional.test_conformance_prism_fal import ASSET, COLLECTION, ENTITY, FILE, TAG, VALID, _fill
from tests.library_support import TLS, upload_file
from tests.prism_support import running_prism

KEY = "proxy-id:proxy-secret"
VECTOR_ID = "019e6d0a-e5be-7b82-b329-35ae64296902"


@pytest.fixture
def proxied(tmp_path: Path) -> Iterator[tuple[FakeFal, str]]:
    document = tmp_path / "fal-assets.json"
    document.write_text(json.dumps(fal_assets_document()))
    with (
        FakeFal.serve(api_key=KEY) as fake,
        running_prism(
            "proxy",
            str(document),
            fake.api_base_url,
            log_path=tmp_path / "prism.log",
            probe="/assets/tags",
            key=KEY,
        ) as url,
    ):
        fake.reset()  # forget the start-up probe
        yield fake, url


def test_every_reply_of_the_fake_conforms_to_fals_document_through_a_prism_proxy(
    proxied: tuple[FakeFal, str],
) -> None:
    fake, url = proxied
    headers = {"Authorization": f"Key {KEY}"}
    seen: list[str] = []
    violations: list[str] = []
    with httpx.Client(base_url=url, headers=headers, verify=TLS, trust_env=False, timeout=30) as prism:

        def call(method: str, path: str, params: Any = None, body: Any = None) -> httpx.Response:
            kwargs: dict[str, Any] = {"params": params}
            if body is not None:
                kwargs["json"] = body
            reply = prism.request(method, path, **kwargs)
            seen.append(f"{method} {path}")
            found = reply.headers.get("sl-violations")
            if found or not 200 <= reply.status_code < 300:
                violations.append(f"{method} {path} -> {reply.status_code}: {found or reply.text[:300]}")
            return reply

        names = {
            ASSET: fake.add_asset(prompt="a cat")["asset_id"],
            COLLECTION: call("POST", "/assets/collections", body={"name": "c"}).json()["collection"]["id"],
            TAG: call("POST", "/assets/tags", body={"name": "t"}).json()["tag"]["id"],
            FILE: upload_file(fake),
            ENTITY: call(
                "POST",
                "/assets/entities",
                body={"type": "style", "name": "s", "reference_images": [VECTOR_ID]},
            ).json()["entity"]["id"],
        }
        for method, path, params, body in VALID:
            call(*_fill((method, path, params, body), names))
        created = call(
            "POST",
            "/assets/characters",
            body={"name": "Alice", "description": "Red hair", "reference_images": [VECTOR_ID]},
        ).json()["character"]
        cid = created["id"]
        call("GET", "/assets/characters", {"limit": 10, "offset": 0})
        call("GET", f"/assets/characters/{cid}")
        call("PATCH", f"/assets/characters/{cid}", body={"name": "Alicia", "cover_image_url": None})
        call("POST", f"/assets/characters/{cid}/favorite")
        call("POST", f"/assets/characters/{cid}/unfavorite")
        call("DELETE", f"/assets/characters/{cid}")
        # Errors are fal's too: their bodies and statuses are checked against the document like successes.
        missing = prism.get("/assets/characters/d7tatpsregjaga2cf3d0")
        assert missing.status_code == 404 and not missing.headers.get("sl-violations"), missing.headers
        # The check can fail: a reply of the wrong shape is flagged.
        fake.corrupt_next("wrong_shape")
        flagged = prism.get("/assets/tags")
        assert flagged.headers.get("sl-violations"), flagged.headers
    assert not violations, "\n".join(violations)
    operations = {op for op, count in fake.counts.items() if count}
    document = fal_assets_document()["paths"]
    every = {op["operationId"] for item in document.values() for op in item.values() if isinstance(op, dict)}
    assert every <= operations, sorted(every - operations)  # every operation went through Prism to the fake
