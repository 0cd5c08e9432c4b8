"""How the fake CDN serves a file: `ETag` (the content's sha256, quoted), `Accept-Ranges`, and single
`Range: bytes=a-b` requests (`If-Range` with another validator gets the whole file), as CDNs do."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ._common import Reply

_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def ranged(headers: Mapping[str, str], content_type: str, data: bytes, etag: str) -> Reply:
    base = [("Content-Type", content_type), ("ETag", etag), ("Accept-Ranges", "bytes")]
    wanted = headers.get("range")
    if_range = headers.get("if-range")
    match = _RANGE.fullmatch(wanted.strip()) if wanted else None
    if match is None or (if_range is not None and if_range != etag) or not (match[1] or match[2]):
        return Reply(200, base, data)
    size = len(data)
    if match[1]:
        start = int(match[1])
        end = min(int(match[2]), size - 1) if match[2] else size - 1
    else:  # the last N bytes
        start, end = max(size - int(match[2]), 0), size - 1
    if start >= size or start > end:
        return Reply(416, [*base, ("Content-Range", f"bytes */{size}")], b"")
    return Reply(206, [*base, ("Content-Range", f"bytes {start}-{end}/{size}")], data[start : end + 1])
