"""fal's storage protocol: upload tokens, single and multipart CDN uploads, initiate + presigned PUT.

Uploads are hashed while they stream in, so a gigabyte upload costs no memory. Multipart parts may arrive
in any order, so each part is spooled to a temporary file until completion assembles them in order; that is
the only way the assembled sha256 can be byte-exact without holding parts in memory.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO
from urllib.parse import quote, unquote, urlsplit

from ._common import ApiError
from ._models import StoredFile

SMALL_FILE_BYTES = 1024 * 1024
TOKEN_TTL_SECONDS = 3600.0
PRESIGNED_TTL_SECONDS = 3600.0
MAX_PART_NUMBER = 10_000
_SPOOL_BYTES = 1024 * 1024
_READ_CHUNK = 1024 * 1024


class HashingSink:
    """Counts and hashes a body; keeps the bytes only up to `keep_limit` (None: keep everything)."""

    def __init__(self, keep_limit: int | None) -> None:
        self._sha = hashlib.sha256()
        self.size = 0
        self._keep_limit = keep_limit
        self._chunks: list[bytes] | None = []

    def feed(self, chunk: bytes) -> None:
        self._sha.update(chunk)
        self.size += len(chunk)
        if self._chunks is not None:
            if self._keep_limit is not None and self.size > self._keep_limit:
                self._chunks = None
            else:
                self._chunks.append(chunk)

    @property
    def sha256(self) -> str:
        return self._sha.hexdigest()

    @property
    def data(self) -> bytes | None:
        return None if self._chunks is None else b"".join(self._chunks)


class SpoolSink:
    """Keeps a multipart part (in memory up to 1 MiB, then in an unlinked temporary file)."""

    def __init__(self) -> None:
        self.file: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115
        self._sha = hashlib.sha256()
        self.size = 0

    def feed(self, chunk: bytes) -> None:
        self.file.write(chunk)
        self._sha.update(chunk)
        self.size += len(chunk)

    @property
    def sha256(self) -> str:
        return self._sha.hexdigest()

    def close(self) -> None:
        self.file.close()


@dataclass
class _Part:
    sink: SpoolSink
    etag: str


@dataclass
class _Multipart:
    upload_id: str
    access_url: str
    name: str
    content_type: str
    parts: dict[int, _Part] = field(default_factory=dict)
    completing: bool = False
    completed_with: list[tuple[int, str]] | None = None
    # @fal-ai/client's route: the upload URL's query carries this instead of a CDN token.
    signature: str | None = None


@dataclass
class Completion:
    upload: _Multipart
    listed: list[tuple[int, str]]
    files: list[IO[bytes]]
    parts_sorted: bool


@dataclass
class _Presigned:
    file_url: str
    name: str
    content_type: str
    expires_at: float


def _file_name(raw: str | None) -> str:
    name = unquote(raw or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name or "file"


def path_key(url_or_path: str) -> str:
    """Files are looked up by their decoded path, so any percent-encoding of a name finds the same file."""
    path = urlsplit(url_or_path).path if "://" in url_or_path else url_or_path
    return unquote(path)


class Storage:
    def __init__(
        self,
        clock: Callable[[], float],
        *,
        cdn_base_url: Callable[[], str],
        storage_base_url: Callable[[], str],
        keep_data: bool,
    ) -> None:
        self._clock = clock
        self._cdn = cdn_base_url
        self._rest = storage_base_url
        self.keep_limit: int | None = None if keep_data else SMALL_FILE_BYTES
        self.token_ttl = TOKEN_TTL_SECONDS
        self._tokens: dict[str, float] = {}
        self.files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._multipart: dict[str, _Multipart] = {}
        self._presigned: dict[str, _Presigned] = {}

    # -- tokens ------------------------------------------------------------------------------------

    def issue_token(self) -> tuple[str, float]:
        token = secrets.token_urlsafe(24)
        expires_at = self._clock() + self.token_ttl
        self._tokens[token] = expires_at
        return token, expires_at

    def check_token(self, token: str) -> bool:
        expires_at = self._tokens.get(token)
        return expires_at is not None and self._clock() < expires_at

    def expire_tokens(self) -> None:
        self._tokens.clear()

    # -- files -------------------------------------------------------------------------------------

    def new_file_url(self, name: str) -> str:
        return f"{self._cdn()}/files/{secrets.token_hex(8)}/{quote(name, safe='')}"

    def _store(self, stored: StoredFile) -> StoredFile:
        self.files[stored.url] = stored
        self._files_by_path[path_key(stored.url)] = stored
        return stored

    def seed(self, stored: StoredFile) -> StoredFile:
        """Hold a file that arrived by no request (FakeFal.add_file)."""
        return self._store(stored)

    def lookup(self, path: str) -> StoredFile | None:
        return self._files_by_path.get(path_key(path))

    def store_single(self, sink: HashingSink, raw_name: str | None, content_type: str | None) -> StoredFile:
        name = _file_name(raw_name)
        return self._store(
            StoredFile(
                url=self.new_file_url(name),
                name=name,
                content_type=content_type or "application/octet-stream",
                size=sink.size,
                sha256=sink.sha256,
                via="single",
                data=sink.data,
            )
        )

    # -- multipart ---------------------------------------------------------------------------------

    def start_multipart(self, raw_name: str | None, content_type: str | None) -> _Multipart:
        name = _file_name(raw_name)
        upload = _Multipart(
            upload_id=secrets.token_hex(12),
            access_url=self.new_file_url(name),
            name=name,
            content_type=content_type or "application/octet-stream",
        )
        self._multipart[upload.upload_id] = upload
        return upload

    def _upload_for(self, file_path: str, upload_id: str) -> _Multipart:
        upload = self._multipart.get(upload_id)
        if upload is None or path_key(upload.access_url) != path_key(file_path):
            raise ApiError(404, f"multipart upload {upload_id!r} not found", error_type="not_found")
        return upload

    def check_part_target(self, file_path: str, upload_id: str, part: str) -> int:
        upload = self._upload_for(file_path, upload_id)
        if upload.completed_with is not None or upload.completing:
            raise ApiError(422, f"multipart upload {upload_id!r} is already completed")
        if not part.isdigit() or not 1 <= int(part) <= MAX_PART_NUMBER:
            raise ApiError(422, f"partNumber: must be an integer from 1 to {MAX_PART_NUMBER}, got {part!r}")
        return int(part)

    def store_part(self, file_path: str, upload_id: str, number: int, sink: SpoolSink) -> str:
        upload = self._upload_for(file_path, upload_id)
        if upload.completed_with is not None or upload.completing:
            sink.close()
            raise ApiError(422, f"multipart upload {upload_id!r} is already completed")
        previous = upload.parts.get(number)
        if previous is not None:
            previous.sink.close()
        etag = f'"{sink.sha256[:32]}"'
        upload.parts[number] = _Part(sink, etag)
        return etag

    def plan_completion(self, file_path: str, upload_id: str, body: object) -> Completion | StoredFile:
        """Check a completion request; the stored file when it repeats a finished one (its first answer was
        lost), else a plan whose parts `assemble` may read without the fake's lock."""
        upload = self._upload_for(file_path, upload_id)
        listed = _parse_parts(body)
        if upload.completed_with is not None:
            if listed == upload.completed_with:
                return self.files[upload.access_url]
            raise ApiError(422, f"multipart upload {upload_id!r} was already completed with other parts")
        if upload.completing:
            raise ApiError(409, f"multipart upload {upload_id!r} is being completed by another request")
        numbers = [n for n, _ in listed]
        problems: list[str] = []
        if len(set(numbers)) != len(numbers):
            problems.append("parts: duplicate partNumber")
        for number, etag in listed:
            part = upload.parts.get(number)
            if part is None:
                problems.append(f"parts: part {number} was never uploaded")
            elif etag.strip('"') != part.etag.strip('"'):
                problems.append(f"parts: etag of part {number} does not match")
        if set(numbers) != set(range(1, len(upload.parts) + 1)) or set(upload.parts) != set(numbers):
            problems.append(
                f"parts: expected exactly parts 1..{len(upload.parts)} (uploaded: {sorted(upload.parts)}), "
                f"got {sorted(numbers)}"
            )
        if problems:
            raise ApiError(422, "; ".join(dict.fromkeys(problems)))
        upload.completing = True
        files = [upload.parts[number].sink.file for number in sorted(numbers)]
        return Completion(upload, listed, files, numbers == sorted(numbers))

    def assemble(self, plan: Completion) -> HashingSink:
        """Hash the parts in order. Runs outside the lock: a gigabyte must not stall other requests."""
        sink = HashingSink(self.keep_limit)
        for part_file in plan.files:
            part_file.seek(0)
            while chunk := part_file.read(_READ_CHUNK):
                sink.feed(chunk)
        return sink

    def finish_completion(self, plan: Completion, sink: HashingSink | None) -> StoredFile | None:
        """Record the assembled file (or, with `sink=None`, give the upload back after a failure)."""
        upload = plan.upload
        upload.completing = False
        if sink is None:
            return None
        for part in upload.parts.values():
            part.sink.close()
        upload.parts.clear()
        upload.completed_with = plan.listed
        return self._store(
            StoredFile(
                url=upload.access_url,
                name=upload.name,
                content_type=upload.content_type,
                size=sink.size,
                sha256=sink.sha256,
                via="multipart",
                parts_sorted=plan.parts_sorted,
                data=sink.data,
            )
        )

    # -- initiate + presigned PUT ------------------------------------------------------------------

    def initiate(self, body: object, *, multipart: bool = False) -> tuple[str, str]:
        """``(upload_url, file_url)`` for ``/storage/upload/initiate`` (one presigned PUT) or, with
        `multipart`, for ``/storage/upload/initiate-multipart`` (parts PUT under the upload URL)."""
        if not isinstance(body, dict):
            raise ApiError(422, "body: Input should be a valid JSON object")
        raw_name, content_type = body.get("file_name"), body.get("content_type")
        if not isinstance(raw_name, str) or not raw_name:
            raise ApiError(422, "file_name: Field required")
        if content_type is not None and not isinstance(content_type, str):
            raise ApiError(422, "content_type: Input should be a valid string")
        if multipart:
            upload = self.start_multipart(raw_name, content_type)
            upload.signature = secrets.token_urlsafe(24)
            query = f"?signature={quote(upload.signature, safe='')}"
            return f"{self._rest()}/presigned-multipart/{upload.upload_id}{query}", upload.access_url
        name = _file_name(raw_name)
        token = secrets.token_urlsafe(24)
        slot = _Presigned(
            file_url=self.new_file_url(name),
            name=name,
            content_type=content_type or "application/octet-stream",
            expires_at=self._clock() + PRESIGNED_TTL_SECONDS,
        )
        self._presigned[token] = slot
        return f"{self._rest()}/presigned/{token}", slot.file_url

    def signed_multipart_file(self, upload_id: str, signature: str | None) -> str:
        """The file URL of a signed multipart upload, if `signature` is its upload URL's; else 403."""
        upload = self._multipart.get(upload_id)
        if (
            upload is None
            or upload.signature is None
            or signature is None
            or not hmac.compare_digest(signature.encode(), upload.signature.encode())
        ):
            raise ApiError(
                403,
                "multipart upload URL is unknown or its signature is wrong",
                error_type="authorization_error",
            )
        return upload.access_url

    def check_presigned(self, token: str) -> None:
        slot = self._presigned.get(token)
        if slot is None or self._clock() >= slot.expires_at:
            raise ApiError(403, "presigned URL is unknown or expired", error_type="authorization_error")

    def store_presigned(self, token: str, sink: HashingSink, content_type: str | None) -> StoredFile:
        self.check_presigned(token)
        slot = self._presigned[token]
        return self._store(
            StoredFile(
                url=slot.file_url,
                name=slot.name,
                content_type=content_type or slot.content_type,
                size=sink.size,
                sha256=sink.sha256,
                via="presigned",
                data=sink.data,
            )
        )

    def close(self) -> None:
        for upload in self._multipart.values():
            for part in upload.parts.values():
                part.sink.close()
            upload.parts.clear()


def _parse_parts(body: object) -> list[tuple[int, str]]:
    parts = body.get("parts") if isinstance(body, dict) else None
    if not isinstance(parts, list) or not parts:
        raise ApiError(422, "parts: a non-empty list of {partNumber, etag} is required")
    listed: list[tuple[int, str]] = []
    for index, item in enumerate(parts):
        number = item.get("partNumber") if isinstance(item, dict) else None
        etag = item.get("etag") if isinstance(item, dict) else None
        if isinstance(number, bool) or not isinstance(number, int) or not isinstance(etag, str):
            raise ApiError(422, f"parts[{index}]: needs an integer partNumber and a string etag")
        listed.append((number, etag))
    return listed
