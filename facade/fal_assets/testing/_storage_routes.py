"""The storage half of an `Exchange`: auth of upload requests, the body's sink, and each upload route's
reply. UPLOAD_ROUTES.md (beside this file) shows every route as fal's two official clients drive it."""

from __future__ import annotations

import hmac
import re
from typing import TYPE_CHECKING
from urllib.parse import unquote

from ._common import ApiError, Reply, RequestHead, format_offset, json_reply
from ._png import TINY_PNG
from ._ranges import ranged
from ._request_checks import parse_json_object
from ._routes import BEARER_AUTH, KEY_AUTH, Route
from ._storage import Completion, HashingSink, SpoolSink

if TYPE_CHECKING:
    from ._app import App

MAX_JSON_BODY = 1024 * 1024
# The storage_type values each initiate route accepts: fal-client's fallback sends gcs, @fal-ai/client
# sends fal-cdn-v3 (and only that to initiate-multipart).
_INITIATE_TYPES = {"uploadInitiate": ("gcs", "fal-cdn-v3"), "uploadInitiateMultipart": ("fal-cdn-v3",)}
_PART_OPERATIONS = ("multipartPart", "signedMultipartPart")
_COMPLETE_OPERATIONS = ("multipartComplete", "signedMultipartComplete")


class StorageExchange:
    """Mixed into `Exchange`; the attributes below are set by its constructor."""

    app: App
    head: RequestHead
    route: Route
    auth_scheme: str | None
    _credential: str
    _body: bytearray
    body_size: int
    _sink: HashingSink | SpoolSink | None
    _part_number: int
    _part_kept: bool
    _multipart_file: str

    def _storage_precheck(self, op: str) -> None:
        if op in KEY_AUTH:
            self._check_key()
        elif op in BEARER_AUTH:
            self._check_bearer()
        params = self.route.params
        with self.app.lock:
            if op in _PART_OPERATIONS or op in _COMPLETE_OPERATIONS:
                self._multipart_file = self._multipart_target()
            if op in _PART_OPERATIONS:
                self._part_number = self.app.storage.check_part_target(
                    self._multipart_file, unquote(params["upload"]), params["part"]
                )
            elif op == "presignedPut":
                self.app.storage.check_presigned(unquote(params["token"]))
        if op in ("cdnUpload", "presignedPut"):
            self._sink = HashingSink(self.app.storage.keep_limit)
        elif op in _PART_OPERATIONS:
            self._sink = SpoolSink()

    def _multipart_target(self) -> str:
        """The file a multipart part or completion belongs to: in its path (fal-client's CDN route, which
        the token authorises) or named by the signed upload URL (@fal-ai/client's route)."""
        params = self.route.params
        if self.route.operation in ("signedMultipartPart", "signedMultipartComplete"):
            signature = self.head.query.get("signature")
            return self.app.storage.signed_multipart_file(
                unquote(params["upload"]), signature[-1] if signature else None
            )
        return "/cdn/files/" + params["file"]

    def _check_key(self) -> None:
        scheme, credential = self.auth_scheme, self._credential
        if scheme is None:
            raise ApiError(401, "Missing Authorization header; send 'Authorization: Key <your fal key>'")
        if scheme != "Key" or not credential or any(ch.isspace() for ch in credential):
            raise ApiError(401, "Authorization must be 'Key <your fal key>'")
        required = self.app.required_key
        if required is not None and not hmac.compare_digest(credential.encode(), required.encode()):
            raise ApiError(401, "Invalid API key")

    def _check_bearer(self) -> None:
        if self.auth_scheme is None or self.auth_scheme.lower() != "bearer" or not self._credential:
            raise ApiError(401, "uploads need 'Authorization: Bearer <token>' from /storage/auth/token")
        with self.app.lock:
            if not self.app.storage.check_token(self._credential):
                raise ApiError(401, "upload token is unknown or expired")

    def _is_owner(self) -> bool:
        try:
            self._check_key()
        except ApiError:
            return False
        return True

    # -- bodies ------------------------------------------------------------------------------------

    def _raw_json(self) -> bytes:
        if self.body_size > MAX_JSON_BODY:
            raise ApiError(400, f"body: larger than the {MAX_JSON_BODY} bytes a JSON request may have")
        return bytes(self._body)

    def _json_body(self) -> object:
        return parse_json_object(self._raw_json(), None)

    # -- replies -----------------------------------------------------------------------------------

    def _storage(self, op: str) -> Reply:
        storage = self.app.storage
        control = self.app.services.control
        headers = self.head.headers
        params = self.route.params
        if op == "storageToken":
            self._require_query("storage_type", ("fal-cdn-v3",))
            token, expires_at = storage.issue_token()
            return json_reply(
                200,
                {
                    "token": token,
                    "token_type": "Bearer",
                    "base_url": self.app.cdn_base_url(),
                    # With an offset, not "Z": fal-client reads it with datetime.fromisoformat, which
                    # refuses "Z" before Python 3.11.
                    "expires_at": format_offset(expires_at),
                },
            )
        if op in _INITIATE_TYPES:
            self._require_query("storage_type", _INITIATE_TYPES[op])
            policy = control.policy_from_headers(headers)
            upload_url, file_url = storage.initiate(
                self._json_body(), multipart=op == "uploadInitiateMultipart"
            )
            control.remember(file_url, policy)
            return json_reply(200, {"upload_url": upload_url, "file_url": file_url})
        if op == "cdnUpload":
            assert isinstance(self._sink, HashingSink)
            policy = control.policy_from_headers(headers)
            stored = storage.store_single(
                self._sink, headers.get("x-fal-file-name"), headers.get("content-type")
            )
            control.uploaded(stored.url, policy)
            return json_reply(200, {"access_url": stored.url})
        if op == "multipartInitiate":
            policy = control.policy_from_headers(headers)
            upload = storage.start_multipart(headers.get("x-fal-file-name"), headers.get("content-type"))
            control.remember(upload.access_url, policy)
            return json_reply(200, {"access_url": upload.access_url, "uploadId": upload.upload_id})
        if op in _PART_OPERATIONS:
            assert isinstance(self._sink, SpoolSink)
            self._part_kept = True  # from here on the upload owns the spool (and closes it on failure)
            number = self._part_number
            etag = storage.store_part(self._multipart_file, unquote(params["upload"]), number, self._sink)
            if op == "signedMultipartPart":
                # @fal-ai/client reads each part's reply as JSON; fal-client reads the ETag header.
                return json_reply(200, {"partNumber": number, "etag": etag}, headers=[("ETag", etag)])
            return Reply(200, [("ETag", etag)], b"")
        if op == "presignedPut":
            assert isinstance(self._sink, HashingSink)
            token = unquote(params["token"])
            stored = storage.store_presigned(token, self._sink, headers.get("content-type"))
            control.uploaded(stored.url)
            return Reply(200, [], b"")
        return self._file_get()

    def _complete_multipart(self) -> Reply:
        storage, params = self.app.storage, self.route.params
        body = self._json_body()
        with self.app.lock:
            plan = storage.plan_completion(self._multipart_file, unquote(params["upload"]), body)
        if isinstance(plan, Completion):
            sink = None
            try:
                sink = storage.assemble(plan)
            finally:
                with self.app.lock:
                    stored = storage.finish_completion(plan, sink)
            assert stored is not None
            with self.app.lock:
                self.app.services.control.uploaded(stored.url)
                self.app.stats.writes_applied[self.route.operation] += 1
        else:
            stored = plan  # a repeated completion: answered again, not applied again
        return json_reply(200, {"access_url": stored.url})

    def _require_query(self, name: str, allowed: tuple[str, ...]) -> None:
        values = self.head.query.get(name)
        if values and values[-1] not in allowed:
            expected = " or ".join(repr(value) for value in allowed)
            raise ApiError(422, f"{name}: Input should be {expected}")

    def _file_get(self) -> Reply:
        path = self.head.raw_path
        if re.fullmatch(r"/cdn/files/ref/[^/]+\.png", path):
            return Reply(200, [("Content-Type", "image/png")], TINY_PNG)
        stored = self.app.storage.lookup(path)
        if stored is None:
            raise ApiError(404, "file not found", error_type="not_found")
        self.app.services.control.check_cdn(path, self.head.query, owner=self._is_owner())
        if stored.data is None:
            raise ApiError(
                404,
                "the fake kept no bytes of this file (over 1 MiB); use FakeFal(keep_data=True)",
            )
        return ranged(self.head.headers, stored.content_type, stored.data, f'"{stored.sha256}"')
