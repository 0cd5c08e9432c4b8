"""FakeFal's view of the Assets library and Storage API: seeding, inspection, and the knobs for fal's
limits (the clock, the search scope, the known users)."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterable, Sequence

from ._app import App
from ._browse import MEDIA_TYPES, SOURCES
from ._clock import TestClock
from ._common import JSON


class LibraryInspection:
    """Mixed into FakeFal, which sets `_app` and `_clock`."""

    _app: App
    _clock: TestClock

    def advance(self, seconds: float) -> None:
        """Move the fake's clock forward: files, tokens, signed URLs and idempotency records age."""
        self._clock.advance(seconds)

    def add_asset(
        self,
        url: str | None = None,
        *,
        type: str = "image",
        source: str = "response",
        prompt: str | None = None,
        title: str | None = None,
        request_id: str | None = None,
        endpoint: str | None = None,
        is_favorited: bool = False,
        inputs: Sequence[str | tuple[str, str]] = (),
        characters: Sequence[str] = (),
        entities: Sequence[str] = (),
    ) -> JSON:
        """Store an asset directly (no request) and return it as the API would.

        Without `url` the asset is an image the fake serves. `inputs` (URLs, or ``(url, role)`` pairs with
        fal's roles ``source``, ``content_ref``, ``mask``, ``control``) and `characters` (character IDs)
        and `entities` (IDs of props, styles, ... or characters) are what its generation request consumed,
        for getAssetLineage.
        """
        if type not in MEDIA_TYPES or source not in SOURCES:
            raise ValueError(f"type must be one of {MEDIA_TYPES} and source one of {SOURCES}")
        with self._app.lock:
            library = self._app.services.library
            request_id = request_id or str(uuid.uuid4())
            asset = library.add_asset(
                url=url or f"{self._app.cdn_base_url()}/files/ref/{request_id}.png",
                type_=type,
                source=source,
                prompt=prompt,
                title=title,
                request_id=request_id,
                endpoint=endpoint,
                is_favorited=is_favorited,
                content_type=None if url else "image/png",
                inputs=[(i, "source") if isinstance(i, str) else (i[0], i[1]) for i in inputs],
                character_ids=[*characters, *entities],
            )
            return library.asset_json(asset)

    @property
    def assets(self) -> dict[str, JSON]:
        """A snapshot of the Assets library, by asset_id, as getAsset would return each."""
        with self._app.lock:
            library = self._app.services.library
            return {aid: library.asset_json(a) for aid, a in library.assets.items()}

    @property
    def collections(self) -> dict[str, JSON]:
        """A snapshot of every collection (characters included, as type ``character``), by id."""
        with self._app.lock:
            return {c["id"]: c for c in self._app.services.library.all_collections()}

    @property
    def tags(self) -> dict[str, JSON]:
        """A snapshot of the tags, by id."""
        with self._app.lock:
            library = self._app.services.library
            return {tid: library.tag_json(t) for tid, t in library.tags.items()}

    @property
    def search_scope_limit(self) -> int | None:
        """How many assets one search may cover (None, the default: all). When a search's scope (favorites,
        tags or a collection) holds more, only its newest assets are searched and ``scope_truncated`` is
        true, as fal does beyond its own maximum."""
        return self._app.services.library.search_scope_limit

    @search_scope_limit.setter
    def search_scope_limit(self, limit: int | None) -> None:
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
            raise ValueError(f"search_scope_limit must be a positive integer or None, got {limit!r}")
        with self._app.lock:
            self._app.services.library.search_scope_limit = limit

    @property
    def storage_users(self) -> frozenset[str] | None:
        """The fal users ACL rules may name (None, the default: any user exists); rules naming others are
        dropped by setStorageFileAcl and updateStorageSettings, as fal does."""
        return self._app.services.control.known_users

    @storage_users.setter
    def storage_users(self, users: Iterable[str] | None) -> None:
        with self._app.lock:
            self._app.services.control.known_users = None if users is None else frozenset(users)

    def file_expires_at(self, url: str) -> float | None:
        """When the stored file at `url` expires (the fake's clock, seconds since the epoch); None: never.

        Raises KeyError for a URL the fake holds no file for.
        """
        with self._app.lock:
            if self._app.storage.lookup(url) is None:
                raise KeyError(url)
            return self._app.services.control.expires_at(url)

    @property
    def storage_settings(self) -> JSON:
        """The account-level storage settings (what getStorageSettings answers)."""
        with self._app.lock:
            return copy.deepcopy(self._app.services.control.settings)
