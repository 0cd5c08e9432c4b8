"""Helpers for the tests of FakeFal's Assets library and Storage API: plain HTTP to a served fake."""

from __future__ import annotations

import json
import ssl
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from fal_assets.testing import FakeFal

# One TLS context for every client: building one per httpx.Client costs ~0.1 s, even for plain-http use.
TLS = ssl.create_default_context()
JSONDict = dict[str, Any]


@contextmanager
def api_client(fake: FakeFal) -> Iterator[httpx.Client]:
    auth = {"Authorization": f"Key {fake.api_key}"}
    with httpx.Client(base_url=fake.api_base_url, headers=auth, verify=TLS, timeout=10) as client:
        yield client


def png(width: int, height: int) -> bytes:
    """A valid PNG header of the given size (enough for anything that reads dimensions)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + chunk


def upload_file(
    fake: FakeFal,
    content: bytes = b"data",
    *,
    name: str = "photo.png",
    content_type: str = "image/png",
    lifecycle: JSONDict | None = None,
    header: str = "X-Fal-Object-Lifecycle",
) -> str:
    """Upload through fal's storage protocol (token, then a single CDN upload); the file's URL."""
    key = {"Authorization": f"Key {fake.api_key}"}
    with httpx.Client(verify=TLS, timeout=10) as http:
        token = http.post(
            f"{fake.storage_base_url}/storage/auth/token",
            params={"storage_type": "fal-cdn-v3"},
            json={},
            headers=key,
        ).json()
        headers = {
            "Authorization": f"{token['token_type']} {token['token']}",
            "Content-Type": content_type,
            "X-Fal-File-Name": name,
        }
        if lifecycle is not None:
            headers[header] = json.dumps(lifecycle)
        response = http.post(f"{token['base_url']}/files/upload", content=content, headers=headers)
        assert response.status_code == 200, response.text
        url: str = response.json()["access_url"]
        return url


def register(api: httpx.Client, url: str, **fields: Any) -> JSONDict:
    """uploadAsset: the registered asset."""
    response = api.post("/assets/uploads", json={"url": url, "type": "image", **fields})
    assert response.status_code == 201, response.text
    asset: JSONDict = response.json()["asset"]
    return asset


def assert_error(response: httpx.Response, status: int, error_type: str, message_part: str = "") -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["type"] == error_type, error
    assert message_part in error["message"], error
    assert error["request_id"] == response.headers["x-fal-request-id"]


def cdn_status(url: str, *, key: str | None = None) -> int:
    headers = {} if key is None else {"Authorization": f"Key {key}"}
    with httpx.Client(verify=TLS, timeout=10) as http:
        return http.get(url, headers=headers).status_code
