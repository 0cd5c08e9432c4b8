"""The fake's request handling, independent of how bytes arrive (HTTP server or httpx transport).

A front end opens an `Exchange` with the request line and headers, feeds it the body chunk by chunk, and
asks for the `Reply`. Deciding the body's fate up front (hash it, spool it, or buffer small JSON) is what
keeps huge uploads out of memory.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import unquote

from ._common import JSON, ApiError, Reply, RequestHead, error_reply, json_reply
from ._faults import Faults, Rule
from ._handlers import STORAGE_OPERATIONS, Call, Services, handlers
from ._masking import mask_headers, scrub, scrub_bytes, secrets_to_mask, split_authorization
from ._models import RecordedRequest
from ._request_checks import (
    ReferenceResolver,
    check_create,
    check_update,
    parse_json_object,
    parse_list_query,
)
from ._routes import API_OPERATIONS, LIBRARY_OPERATIONS, route
from ._state import CharacterStore, IdempotencyLedger, fingerprint
from ._storage import HashingSink, SpoolSink, Storage
from ._storage_routes import MAX_JSON_BODY, StorageExchange

logger = logging.getLogger("fal_assets.testing")

ResponseValidator = Callable[[RecordedRequest, Mapping[str, str], bytes], None]

# Where the spec lists 422 for an operation, a reused Idempotency-Key is a 422 (as the IETF
# Idempotency-Key draft says); the other writes do not document 422, so they answer 400.
_MISMATCH_STATUS = {"createAssetCharacter": 422, "updateAssetCharacter": 422}
# fal's document lists 422 for every operation under /assets.
_MISMATCH_DEFAULT = {op: 422 for op in LIBRARY_OPERATIONS}
_HANDLERS = handlers()


class Stats:
    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.counts: Counter[str] = Counter()
        self.writes_applied: Counter[str] = Counter()
        self.in_flight = 0
        self.peak_concurrency = 0
        self.connections_opened = 0

    def clear(self) -> None:
        self.requests.clear()
        self.counts.clear()
        self.writes_applied.clear()
        self.peak_concurrency = self.in_flight
        self.connections_opened = 0


class App:
    def __init__(
        self,
        *,
        api_key: str | None,
        generated_key: str,
        clock: Callable[[], float],
        keep_data: bool,
        response_validator: ResponseValidator | None,
    ) -> None:
        self.lock = threading.RLock()
        self.required_key = api_key
        self.generated_key = generated_key
        self.clock = clock
        self.origin = "http://localhost"
        self.host = "localhost"
        self.latency = 0.0
        self.response_validator = response_validator
        self.faults = Faults()
        self.stats = Stats()
        self.characters = CharacterStore(clock)
        self.ledger = IdempotencyLedger(clock)
        self.storage = Storage(
            clock, cdn_base_url=self.cdn_base_url, storage_base_url=lambda: self.origin, keep_data=keep_data
        )
        self.services = Services(clock, self.characters, self.storage, self.cdn_base_url, self.fal_hosts)
        self.resolver: ReferenceResolver = self.services.resolver

    def cdn_base_url(self) -> str:
        return f"{self.origin}/cdn"

    def fal_hosts(self) -> frozenset[str]:
        return frozenset({self.host})

    def begin(self, head: RequestHead) -> Exchange:
        return Exchange(self, head)


class Exchange(StorageExchange):
    """One request in flight."""

    def __init__(self, app: App, head: RequestHead) -> None:
        self.app = app
        self.head = head
        self.request_id = str(uuid.uuid4())
        self.route = route(head.method, head.raw_path)
        self.operation = self.route.operation
        self.auth_scheme, self._credential = split_authorization(head.headers.get("authorization"))
        self._body = bytearray()
        self.body_size = 0
        self._sink: HashingSink | SpoolSink | None = None
        self._part_number = 0
        self._part_kept = False
        self._multipart_file = ""
        self._closed = False
        with app.lock:
            stats = app.stats
            stats.counts[self.operation] += 1
            stats.in_flight += 1
            stats.peak_concurrency = max(stats.peak_concurrency, stats.in_flight)
        self.latency = app.latency
        self.fault: Rule | None = app.faults.take(head.method, head.raw_path)
        self.error: ApiError | None = None
        if self.fault is None or self.fault.kind != "fail":
            try:
                self._precheck()
            except ApiError as exc:
                self.error = exc

    # -- before the body -------------------------------------------------------------------------

    def _precheck(self) -> None:
        op = self.operation
        if op == "unknown":
            raise ApiError(
                404, f"no such endpoint: {self.head.method} {self.head.raw_path}", error_type="not_found"
            )
        if op == "methodNotAllowed":
            raise ApiError(
                405,
                f"method {self.head.method} is not allowed on {self.head.raw_path}",
                error_type="not_implemented",
            )
        self._storage_precheck(op)

    # -- the body ----------------------------------------------------------------------------------

    def feed(self, chunk: bytes) -> None:
        if not chunk:
            return
        self.body_size += len(chunk)
        if self._sink is not None:
            self._sink.feed(chunk)
        elif len(self._body) <= MAX_JSON_BODY:
            self._body += chunk[: MAX_JSON_BODY + 1 - len(self._body)]

    # -- the reply ---------------------------------------------------------------------------------

    def finish(self) -> Reply:
        fault = self.fault
        replay = False
        if fault is not None and fault.kind == "fail":
            reply = fault.failure_reply(self.request_id)
        else:
            try:
                if self.error is not None:
                    raise self.error
                reply, replay = self._dispatch()
            except ApiError as exc:
                reply = error_reply(exc, self.request_id)
            except Exception as exc:
                logger.exception(
                    "fal fake: internal error handling %s %s", self.head.method, self.head.raw_path
                )
                reply = error_reply(ApiError(500, f"internal error in the fake: {exc!r}"), self.request_id)
        reply.headers.append(("x-fal-request-id", self.request_id))
        if self.operation == "methodNotAllowed":
            reply.headers.append(("Allow", ", ".join(self.route.allowed)))
        if replay:
            reply.headers.append(("x-idempotent-replayed", "true"))
        recorded = self._record(reply, replay)
        validator = self.app.response_validator
        validated = self.operation in API_OPERATIONS or self.operation in LIBRARY_OPERATIONS
        if validator is not None and fault is None and validated:
            validator(recorded, {k.lower(): v for k, v in reply.headers}, reply.body)
        if fault is not None and fault.kind == "drop":
            return Reply(reply.status, reply.headers, reply.body, action="drop")
        if fault is not None and fault.kind == "body" and 200 <= reply.status < 300:
            assert fault.body_fault is not None
            return Reply(
                reply.status, reply.headers, reply.body, action=fault.body_fault, amount=fault.amount
            )
        if fault is not None and fault.kind == "corrupt":
            corrupted = fault.corrupt_reply(reply, self.operation)
            corrupted.headers.append(("x-fal-request-id", self.request_id))
            return corrupted
        return reply

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            if isinstance(self._sink, SpoolSink) and not self._part_kept:
                # The part never made it into an upload (client hung up, fault, error): free its spool now.
                self._sink.close()
            with self.app.lock:
                self.app.stats.in_flight -= 1

    def _dispatch(self) -> tuple[Reply, bool]:
        op = self.operation
        if op in ("multipartComplete", "signedMultipartComplete"):
            return self._complete_multipart(), False
        with self.app.lock:
            if op in API_OPERATIONS or op in LIBRARY_OPERATIONS:
                return self._api(op)
            reply = self._storage(op)
            if self.head.method != "GET" and 200 <= reply.status < 300:
                self.app.stats.writes_applied[op] += 1
            return reply, False

    # -- API -------------------------------------------------------------------------------------

    def _call(self, op: str) -> Call:
        params = {k: unquote(v) for k, v in self.route.params.items()}
        return Call(op, params, self.head.query, self.head.headers, self._raw_json())

    def _api(self, op: str) -> tuple[Reply, bool]:
        handler = _HANDLERS.get(op)
        if handler is not None and (self.head.method == "GET" or op in STORAGE_OPERATIONS):
            reply = handler(self.app.services, self._call(op))
            if self.head.method != "GET":
                self.app.stats.writes_applied[op] += 1
            return reply, False
        store = self.app.characters
        cid = unquote(self.route.params.get("id", ""))
        if op == "listAssetCharacters":
            limit, offset = parse_list_query(self.head.query)
            return json_reply(200, {"characters": store.list(limit, offset)}), False
        if op == "getAssetCharacter":
            return json_reply(200, {"character": store.get(cid)}), False
        key = self.head.headers.get("idempotency-key") or None
        print_ = fingerprint(self.head.method, self.head.raw_path, bytes(self._body))
        if key is not None:
            record = self.app.ledger.lookup(key)
            if record is not None:
                if record.fingerprint == print_:
                    return Reply(record.reply.status, list(record.reply.headers), record.reply.body), True
                raise ApiError(
                    _MISMATCH_STATUS.get(op, _MISMATCH_DEFAULT.get(op, 400)),
                    f"Idempotency-Key {key!r} was already used for a different request; "
                    "a key may only be reused to retry the very same request (method, path and body)",
                    error_type="validation_error",
                )
        try:
            reply = self._apply_write(op, cid)
            self.app.stats.writes_applied[op] += 1
        except ApiError as exc:
            if exc.status != 404:
                # Requests that never ran (invalid input) are not remembered, so a fixed retry may proceed.
                raise
            reply = error_reply(exc, self.request_id)
        if key is not None:
            self.app.ledger.store(key, print_, reply)
        return reply, False

    def _apply_write(self, op: str, cid: str) -> Reply:
        handler = _HANDLERS.get(op)
        if handler is not None:
            return handler(self.app.services, self._call(op))
        store = self.app.characters
        if op == "createAssetCharacter":
            body = parse_json_object(self._raw_json(), self.head.headers.get("content-type"))
            created = store.create(check_create(body, self.app.resolver).fields, unique=True)
            return json_reply(201, {"character": created})
        if op == "updateAssetCharacter":
            body = parse_json_object(self._raw_json(), self.head.headers.get("content-type"))
            fields = check_update(body, self.app.resolver).fields
            return json_reply(200, {"character": store.update(cid, fields)})
        if op == "deleteAssetCharacter":
            store.delete(cid)
            return Reply(204, [], b"")
        favorite = op == "favoriteAssetCharacter"
        return json_reply(200, {"character": store.update(cid, {"is_favorited": favorite})})

    # -- recording -------------------------------------------------------------------------------

    def _record(self, reply: Reply, replay: bool) -> RecordedRequest:
        secrets = secrets_to_mask([self.app.generated_key, self.app.required_key or "", self._credential])
        body = b"" if self._sink is not None else scrub_bytes(bytes(self._body[:MAX_JSON_BODY]), secrets)
        fault = self.fault
        recorded = RecordedRequest(
            method=self.head.method,
            path=scrub(self.head.raw_path, secrets),
            query={k: scrub(v, secrets) for k, v in self.head.query_last().items()},
            headers=mask_headers(self.head.headers, secrets),
            body=body,
            body_size=self.body_size,
            status=reply.status,
            operation=self.operation,
            auth_scheme=self.auth_scheme,
            request_id=self.request_id,
            host=self.head.host,
            idempotency_key=self.head.headers.get("idempotency-key"),
            idempotent_replay=replay,
            fault=None if fault is None else fault.label,
        )
        with self.app.lock:
            self.app.stats.requests.append(recorded)
        return recorded


def character_fields(overrides: Mapping[str, Any]) -> JSON:
    """Fields for seeding a character directly (FakeFal.add_character), with the spec's defaults."""
    fields: JSON = {"name": "Alice", "description": "A test character", "reference_images": []}
    fields.update(overrides)
    return fields
