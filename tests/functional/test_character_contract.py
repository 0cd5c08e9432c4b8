"""The Character as fal's document defines it, parsed by the facade on every operation that returns one.

A loopback server answers with bodies built from fal's real document (tests/fixtures, the newest version):
only the fields fal's schema requires, with fal's example values, or those plus fields fal may add later.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from fal_assets import AsyncFalAssets, Character, FalAssets, Unset

from tests.conftest import FAL_DOCUMENT_PATH

FAL = json.loads(FAL_DOCUMENT_PATH.read_text())
ITEM = FAL["paths"]["/assets/characters/{character_id}"]
SCHEMA = ITEM["get"]["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["character"]
EXAMPLE = ITEM["patch"]["responses"]["200"]["content"]["application/json"]["example"]["character"]
REQUIRED_ONLY = {name: EXAMPLE[name] for name in SCHEMA["required"]}
EXTRAS = {"thumbnail_url": "https://v3b.fal.media/files/b/thumb.png", "stats": {"views": 3}}
VECTOR_ID = "019e6d0a-e5be-7b82-b329-35ae64296902"


class _Handler(BaseHTTPRequestHandler):
    disable_nagle_algorithm = True
    character: ClassVar[dict[str, Any]] = {}

    def _reply(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if self.command == "GET" and self.path.split("?")[0].endswith("/characters"):
            status, body = 200, {"characters": [self.character]}
        else:
            status, body = (
                (201 if self.command == "POST" and self.path.endswith("/characters") else 200),
                {"character": self.character},
            )
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = _reply

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(params=["required-only", "with-unknown-fields"])
def server(request: pytest.FixtureRequest) -> Iterator[tuple[str, dict[str, Any]]]:
    character = dict(REQUIRED_ONLY) if request.param == "required-only" else {**REQUIRED_ONLY, **EXTRAS}
    handler = type("Handler", (_Handler,), {"character": character})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", character
    finally:
        httpd.shutdown()
        httpd.server_close()


OPERATIONS: dict[str, Callable[[Any], Any]] = {
    "listAssetCharacters": lambda c: c.characters.list(),
    "createAssetCharacter": lambda c: c.characters.create(
        name="A", description="d", reference_images=[VECTOR_ID]
    ),
    "getAssetCharacter": lambda c: c.characters.get("c1"),
    "updateAssetCharacter": lambda c: c.characters.update("c1", name="B"),
    "favoriteAssetCharacter": lambda c: c.characters.favorite("c1"),
    "unfavoriteAssetCharacter": lambda c: c.characters.unfavorite("c1"),
}


def check(result: Any, sent: dict[str, Any]) -> None:
    character = result[0] if isinstance(result, list) else result
    assert isinstance(character, Character)
    assert character.id == EXAMPLE["id"]
    assert character.parent_collection_id is None
    assert isinstance(character.asset_count, Unset), "asset_count is optional at fal"
    assert character.reference_images == EXAMPLE["reference_images"]
    assert character.additional_properties == {k: v for k, v in sent.items() if k in EXTRAS}


def test_the_fixture_is_fals_contract() -> None:
    assert "asset_count" not in SCHEMA["required"]
    assert "parent_collection_id" in SCHEMA["required"]
    assert "null" in SCHEMA["properties"]["parent_collection_id"]["type"]


@pytest.mark.parametrize("operation", OPERATIONS)
def test_sync_operations_parse_fals_character(operation: str, server: tuple[str, dict[str, Any]]) -> None:
    base_url, sent = server
    with FalAssets(api_key="id:secret", base_url=base_url, max_retries=0) as client:
        check(OPERATIONS[operation](client), sent)


@pytest.mark.anyio
@pytest.mark.parametrize("operation", OPERATIONS)
async def test_async_operations_parse_fals_character(
    operation: str, server: tuple[str, dict[str, Any]]
) -> None:
    base_url, sent = server
    async with AsyncFalAssets(api_key="id:secret", base_url=base_url, max_retries=0) as client:
        check(await OPERATIONS[operation](client), sent)
