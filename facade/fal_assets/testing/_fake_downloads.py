"""FakeFal's CDN as a download source: files seeded directly, and the faults a download must survive."""

from __future__ import annotations

import hashlib

from ._app import App
from ._faults import BodyFault, Rule, compile_path
from ._models import StoredFile


class DownloadSource:
    """Mixed into FakeFal, which sets `_app`."""

    _app: App

    def add_file(
        self, data: bytes, name: str = "file.bin", *, content_type: str = "application/octet-stream"
    ) -> str:
        """Store a file on the fake CDN directly (no request) and return its URL; its bytes are always kept.
        The CDN serves it with an `ETag` and `Range` support; `storage.set_acl` can protect it."""
        with self._app.lock:
            storage = self._app.storage
            url = storage.new_file_url(name)
            digest = hashlib.sha256(data).hexdigest()
            storage.seed(StoredFile(url, name, content_type, len(data), digest, "single", data=bytes(data)))
            self._app.services.control.uploaded(url)
        return url

    def body_fault_next(
        self, kind: BodyFault, count: int = 1, *, amount: float = 0.0, path: str | None = r"^/cdn/files/"
    ) -> None:
        """Break the body of the next `count` successful matching replies (served mode only): ``"cut"``
        announces the full length, sends `amount` bytes and closes; ``"slow"`` sends 16 bytes every `amount`
        seconds; ``"endless"`` sends bytes with no length until the client hangs up (30 s at most)."""
        if kind not in ("cut", "slow", "endless"):
            raise ValueError(f"kind must be 'cut', 'slow' or 'endless', got {kind!r}")
        self._app.faults.add(Rule("body", count, compile_path(path), "GET", body_fault=kind, amount=amount))
