"""The Assets library and Storage API operations beyond characters: what a handler receives, and which
handler serves which of fal's operationIds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ._common import JSON, ApiError, Reply
from ._library import Library, LibraryResolver
from ._request_checks import parse_json_object
from ._state import CharacterStore
from ._storage import Storage
from ._storage_control import StorageControl


@dataclass
class Call:
    """One request as a handler sees it: path parameters already percent-decoded."""

    operation: str
    params: dict[str, str]
    query: dict[str, list[str]]
    headers: dict[str, str]
    raw_body: bytes

    def body(self) -> JSON:
        return parse_json_object(self.raw_body, self.headers.get("content-type"))

    def storage_body(self) -> JSON:
        """fal's storage operations answer malformed input with 400 (they document no 422)."""
        try:
            return self.body()
        except ApiError as exc:
            raise ApiError(400, exc.message, error_type="validation_error") from None

    def query_value(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None


class Services:
    """The state the handlers work on; the fake's lock is held around every handler."""

    def __init__(
        self,
        clock: Callable[[], float],
        characters: CharacterStore,
        storage: Storage,
        cdn_base_url: Callable[[], str],
        own_hosts: Callable[[], frozenset[str]],
    ) -> None:
        self.clock = clock
        self.own_hosts = own_hosts
        self.library = Library(clock, characters, cdn_base_url)
        self.storage = storage
        self.control = StorageControl(clock, storage)
        self.resolver = LibraryResolver(cdn_base_url, own_hosts, self.library)


Handler = Callable[[Services, Call], Reply]


def handlers() -> dict[str, Handler]:
    from ._assets import HANDLERS as assets
    from ._collections import HANDLERS as collections
    from ._entities import HANDLERS as entities
    from ._storage_api import HANDLERS as storage
    from ._tags import HANDLERS as tags

    return {**assets, **collections, **tags, **storage, **entities}


# fal's storage operations take no Idempotency-Key (PUTs replace, sign mints a fresh URL each time).
STORAGE_OPERATIONS = frozenset(
    {
        "getStorageFileAcl",
        "setStorageFileAcl",
        "signStorageFileUrl",
        "getStorageSettings",
        "updateStorageSettings",
    }
)
