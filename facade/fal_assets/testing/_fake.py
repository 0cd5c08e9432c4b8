"""`FakeFal`: the public face of the fake."""

from __future__ import annotations

import collections
import re
import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ClassVar

import httpx

from ._app import App, ResponseValidator, character_fields
from ._clock import TestClock
from ._common import JSON
from ._fake_downloads import DownloadSource
from ._fake_library import LibraryInspection
from ._faults import CORRUPT_KINDS, CorruptKind, Rule, compile_path, normalize_headers
from ._in_process import AsyncFakeTransport, FakeTransport
from ._models import RecordedRequest, StoredFile
from ._server import ServerThread

# Loopback by name, so plain http is accepted; the in-process transport never connects anywhere.
_TRANSPORT_HOST = "localhost"


class FakeFal(LibraryInspection, DownloadSource):
    """An offline, in-memory fal: every operation of fal's Assets and Storage API plus its storage upload
    endpoints.

    Use it in-process (``httpx.Client(transport=fake.transport())``) or as a real HTTP server on loopback
    (``with FakeFal.serve() as fake:``). See the package docstring for the whole tour.

    Search is an approximation of fal's semantic search: ``q`` (and, for ``search_image_url`` /
    ``search_video_url``, the prompt and title of the library asset at that URL, else its file name) is
    matched word by word against each asset's prompt and title; ``similarity`` is the share of the query's
    words found (0 to 1), results come best first, and assets sharing no word are left out.

    Where fal's document is silent, the fake chooses:

    * browsing is newest first; ``limit`` defaults to 50 and pages hold at most 100; a cursor is the
      base64 of the page number, as fal's document says (``Mg==`` is page 2); ``scope_truncated`` is false
      unless `search_scope_limit` is set;
    * unknown request and vector IDs are "materialized" (fal's word) as generated images by favorite,
      tag assignment and collection adds; unfavorite, unassign and remove answer 404 for them instead;
    * a URL registered twice by uploadAsset is the same asset; a URL on the fake's CDN must be a live file;
    * a collection with non-null ``filters`` is smart, read as an object of listAssets parameters;
      smart collections take no assets; a character's assets are those linked to it, its reference
      images, and those whose prompt mentions ``@identifier``; character references given as IDs of
      library assets resolve to those assets' URLs; broken nesting or move rules are 422 on
      ``parent_collection_id``; deleting a collection deletes the collections nested in it, never assets;
      characters can be read, updated, (un)favorited and deleted as collections, but not moved;
    * tag names are unique ignoring case (409); tags list oldest first;
    * a lifecycle header's ``expiration_duration_seconds`` null (or 0) means never, a missing key the
      account setting; expiry counts from the completed upload;
    * the CDN cannot tell users apart: a request with the fake's API key is the owner and always passes,
      others get the ACL default (``forbid`` → 403, ``hide`` → 404); ACL rules may name any user unless
      `storage_users` is set;
    * a signed URL (``?identity=...``) passes any ACL until it expires, then answers 403.

    Args:
        api_key: the only key accepted; ``None`` accepts any well-formed ``Key <credential>``.
        keep_data: keep the bytes of every upload; by default only files up to 1 MiB keep their bytes.
        clock: seconds since the epoch; drives timestamps, token, file and signed-URL expiry, and the
            10-minute idempotency window. `advance` moves it forward.
        response_validator: called as ``validator(request, response_headers, response_body)`` for every
            API response the fake produces (not for injected faults, not for storage endpoints). Defaults to
            ``FakeFal.default_response_validator``, which a test suite may set once for all fakes.
    """

    default_response_validator: ClassVar[ResponseValidator | None] = None

    def __init__(
        self,
        api_key: str | None = None,
        *,
        keep_data: bool = False,
        clock: Callable[[], float] | None = None,
        response_validator: ResponseValidator | None = None,
    ) -> None:
        if api_key is not None and (not api_key or any(ch.isspace() for ch in api_key)):
            raise ValueError("api_key must be a non-empty string without whitespace, or None")
        self._generated_key = f"fake-{secrets.token_hex(4)}:{secrets.token_hex(16)}"
        self._api_key = api_key
        self._clock = TestClock(clock or time.time)
        self._app = App(
            api_key=api_key,
            generated_key=self._generated_key,
            clock=self._clock,
            keep_data=keep_data,
            response_validator=response_validator or FakeFal.default_response_validator,
        )
        self._server: ServerThread | None = None

    def __repr__(self) -> str:
        where = self._app.origin if self._server else "in-process"
        return f"<FakeFal {where} characters={len(self._app.characters.snapshot())}>"

    # -- running ---------------------------------------------------------------------------------

    @property
    def api_key(self) -> str:
        """The key tests should send (a generated one when the fake accepts any key)."""
        return self._api_key if self._api_key is not None else self._generated_key

    def transport(self) -> httpx.BaseTransport:
        return FakeTransport(self._app)

    def async_transport(self) -> httpx.AsyncBaseTransport:
        return AsyncFakeTransport(self._app)

    @classmethod
    @contextmanager
    def serve(cls, api_key: str | None = None, **kwargs: Any) -> Iterator[FakeFal]:
        """A started fake on 127.0.0.1 (random port) for the duration of the block."""
        fake = cls(api_key, **kwargs)
        fake.start()
        try:
            yield fake
        finally:
            fake.stop()

    def start(self, port: int = 0) -> FakeFal:
        """Serve on 127.0.0.1: on `port`, or on a free one the system picks (0, the default)."""
        if self._server is not None:
            raise RuntimeError("this FakeFal is already serving")
        self._server = ServerThread(self._app, port)
        with self._app.lock:
            self._app.host = "127.0.0.1"
            self._app.origin = f"http://127.0.0.1:{self._server.port}"
        return self

    def stop(self) -> None:
        """Stop serving: closes the listening socket and every kept-alive connection, joins all threads.

        Stored data and the URLs handed out stay as they were, for inspection after the fact.
        """
        server, self._server = self._server, None
        if server is not None:
            server.stop()
        with self._app.lock:
            self._app.storage.close()

    @property
    def serving(self) -> bool:
        return self._server is not None

    @property
    def api_base_url(self) -> str:
        return f"{self._app.origin}/v1"

    @property
    def storage_base_url(self) -> str:
        return self._app.origin

    @property
    def cdn_base_url(self) -> str:
        return self._app.cdn_base_url()

    @property
    def fal_hosts(self) -> frozenset[str]:
        return self._app.fal_hosts()

    def client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``FalAssets(**fake.client_kwargs())``."""
        return {
            "api_key": self.api_key,
            "base_url": self.api_base_url,
            "storage_base_url": self.storage_base_url,
            "fal_hosts": self.fal_hosts,
        }

    # -- faults ----------------------------------------------------------------------------------

    def fail_next(
        self,
        count: int = 1,
        status: int = 503,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes | str | Mapping[str, object] | None = None,
        path: str | None = None,
        method: str | None = None,
    ) -> None:
        """Answer the next `count` matching requests with `status` without applying them.

        `body=None` sends a fal-shaped error JSON; a dict is sent as JSON, a str as text, bytes as they are.
        `path` is a regex searched in the request path; `method` must match exactly.
        """
        self._app.faults.add(
            Rule(
                "fail",
                count,
                compile_path(path),
                _method(method),
                status=status,
                headers=normalize_headers(headers),
                body=body,
            )
        )

    def drop_after_write(self, count: int = 1, *, path: str | None = None, method: str | None = None) -> None:
        """Apply the next `count` matching writes, then close the connection without answering.

        Without `method`, only POST/PUT/PATCH/DELETE requests match. In transport mode the client sees
        ``httpx.RemoteProtocolError``, as it would from a real server.
        """
        self._app.faults.add(Rule("drop", count, compile_path(path), _method(method)))

    def corrupt_next(
        self,
        kind: CorruptKind,
        count: int = 1,
        *,
        path: str | None = None,
        method: str | None = None,
        status: int = 200,
    ) -> None:
        """Apply the next `count` matching requests, then answer with a broken body and `status`.

        kinds: ``"truncated"`` (announces the full Content-Length, sends half, closes), ``"non_json"`` (JSON
        content type, invalid JSON), ``"html"`` (an HTML error page), ``"wrong_shape"`` (valid JSON, not the
        documented shape), ``"drifted"`` (the real success reply, with its real status, changed the ways fal's
        replies stray from its document and a client must still read: required null fields left out,
        booleans null, enum values the spec does not list, an unknown field; `status` is not used).
        """
        if kind not in CORRUPT_KINDS:
            raise ValueError(f"kind must be one of {sorted(CORRUPT_KINDS)}, got {kind!r}")
        self._app.faults.add(
            Rule("corrupt", count, compile_path(path), _method(method), status=status, corrupt=kind)
        )

    @property
    def latency(self) -> float:
        """Seconds added to every request while it is in flight."""
        return self._app.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        if not seconds >= 0:
            raise ValueError(f"latency must be >= 0 seconds, got {seconds!r}")
        self._app.latency = float(seconds)

    @property
    def pending_faults(self) -> int:
        """Injected faults not used up yet."""
        return self._app.faults.pending()

    def reset(self) -> None:
        """Forget faults, latency and inspection statistics; stored data (characters, assets, collections,
        tags, files, storage settings) stays."""
        self._app.faults.clear()
        self._app.latency = 0.0
        with self._app.lock:
            self._app.stats.clear()

    # -- inspection ------------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request received, oldest first."""
        with self._app.lock:
            return list(self._app.stats.requests)

    @property
    def characters(self) -> dict[str, JSON]:
        """A snapshot of the stored characters, by id, as the API would return them."""
        with self._app.lock:
            return self._app.characters.snapshot()

    @property
    def entities(self) -> dict[str, JSON]:
        """A snapshot of every entity (characters, props, environments, styles, scenes), by id, as
        getAssetEntity would return each."""
        with self._app.lock:
            return self._app.characters.entities()

    @property
    def files(self) -> dict[str, StoredFile]:
        """A snapshot of the stored files, by their URL."""
        with self._app.lock:
            return dict(self._app.storage.files)

    @property
    def counts(self) -> collections.Counter[str]:
        """Requests received per operation (the spec's operationIds, plus storage operation names)."""
        with self._app.lock:
            return collections.Counter(self._app.stats.counts)

    @property
    def writes_applied(self) -> collections.Counter[str]:
        """Writes that changed state, per operation; idempotent replays are not counted."""
        with self._app.lock:
            return collections.Counter(self._app.stats.writes_applied)

    @property
    def peak_concurrency(self) -> int:
        with self._app.lock:
            return self._app.stats.peak_concurrency

    @property
    def connections_opened(self) -> int:
        """TCP connections accepted (served mode only)."""
        with self._app.lock:
            return self._app.stats.connections_opened

    # -- seeding and clocks ----------------------------------------------------------------------

    def add_character(self, **fields: Any) -> JSON:
        """Store a character directly (no request, no validation) and return it as the API would.

        Any Character field may be given (`name`, `description`, `reference_images`, `is_favorited`,
        `icon`, ...); unspecified ones get defaults.
        """
        with self._app.lock:
            return self._app.characters.create(character_fields(fields))

    def expire_tokens(self) -> None:
        """Invalidate every upload token handed out, as if they had all expired."""
        with self._app.lock:
            self._app.storage.expire_tokens()

    @property
    def token_ttl(self) -> float:
        """Lifetime of upload tokens in seconds (default 3600)."""
        return self._app.storage.token_ttl

    @token_ttl.setter
    def token_ttl(self, seconds: float) -> None:
        self._app.storage.token_ttl = float(seconds)


def _method(method: str | None) -> str | None:
    if method is None:
        return None
    if not re.fullmatch(r"[A-Za-z]+", method):
        raise ValueError(f"method must be an HTTP method name, got {method!r}")
    return method.upper()
