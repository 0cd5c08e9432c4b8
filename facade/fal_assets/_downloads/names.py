"""Where a download may go: fal-hosted URLs only (unless asked otherwise), and file names taken from URLs
or from fal that never leave the destination folder."""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .._config import ClientConfig, is_loopback
from .._core.text import without_credentials
from .._errors import ValidationError

__all__ = ["asset_downloads", "checked_url", "destination", "name_from_url", "safe_name", "within"]

# Windows refuses these names with any extension; a repository made on Linux is checked out there too.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
# Most file systems cap a name at 255 bytes; the temporary file adds a prefix and a suffix to it.
_MAX_NAME_BYTES = 200


def safe_name(raw: str, *, fallback: str = "download") -> str:
    """A single, portable file name made from `raw` (a name fal or a URL gave): only its last path
    component, without control or reserved characters, never `.`/`..`, hidden or a reserved device name."""
    text = unicodedata.normalize("NFC", raw)
    for separator in ("/", "\\"):
        text = text.rsplit(separator, 1)[-1]
    text = _UNSAFE.sub("_", text).strip(" .")
    if not text:
        return fallback
    stem, dot, extension = text.partition(".")
    if stem.upper() in _RESERVED:
        text = f"_{text}"
    if len(text.encode()) > _MAX_NAME_BYTES:
        suffix = f".{extension}" if dot and len(extension) <= 16 else ""
        budget = _MAX_NAME_BYTES - len(suffix.encode())
        text = text.encode()[:budget].decode(errors="ignore").rstrip(" .") + suffix
    return text


def name_from_url(url: str) -> str:
    """The file name a URL's path ends with (percent-decoded, then made safe)."""
    return safe_name(unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]))


def within(folder: Path, name: str) -> Path:
    """`folder / name`, refused unless it stays directly in `folder` (symlinks resolved)."""
    if safe_name(name) != name:
        raise ValidationError(f"unsafe file name {name!r}", field="dest")
    target = folder / name
    if target.resolve().parent != folder.resolve():
        raise ValidationError(f"{name!r} would be written outside {str(folder)!r}", field="dest")
    return target


def checked_url(url: object, config: ClientConfig, *, allow_external_urls: bool) -> str:
    """The URL to fetch: http(s) without credentials in it, https unless loopback, and on one of fal's
    hosts unless `allow_external_urls`."""
    # The messages quote the URL without its credentials; worked out only for an error (this runs per URL).
    if not isinstance(url, str) or not url or any(ch.isspace() for ch in url):
        raise ValidationError(
            f"a download URL must be a non-empty string without spaces, got {without_credentials(repr(url))}"
        )
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise ValidationError(
            f"a download URL must be http(s), got {without_credentials(repr(url))}", field="url"
        )
    if parts.scheme == "http" and not is_loopback(host):
        raise ValidationError(
            f"plain http is only fetched from loopback hosts: {without_credentials(repr(url))}", field="url"
        )
    if parts.username is not None or parts.password is not None:
        raise ValidationError("a download URL must not carry credentials", field="url")
    if not allow_external_urls and host not in config.fal_hosts:
        raise ValidationError(
            f"{host!r} is not a fal-hosted URL's host (pass allow_external_urls=True to fetch it)",
            field="url",
        )
    return url


def destination(dest: str | os.PathLike[str], url: str) -> Path:
    """The final path: `dest` itself, or inside it (named from the URL) when it is an existing folder or
    ends with a separator."""
    text = os.fspath(dest)
    if not isinstance(text, str) or not text:
        raise ValidationError(f"dest must be a path, got {dest!r}", field="dest")
    path = Path(text)
    if text.endswith(("/", os.sep)) or path.is_dir():
        return within(path, name_from_url(url))
    return path


def asset_downloads(assets: Iterable[Any], dest_dir: str | os.PathLike[str]) -> list[tuple[str, Path]]:
    """`(url, path)` for assets (anything with `url` and an id), named from their URLs; names two assets
    share get the asset's id before the extension (`image-<id>.png`), so none overwrites another."""
    folder = Path(os.fspath(dest_dir))
    chosen: list[tuple[str, str, str]] = []
    for index, asset in enumerate(assets):
        url = getattr(asset, "url", None)
        if not isinstance(url, str) or not url:
            raise ValidationError(f"assets[{index}] has no URL to download", field="asset")
        key = next((v for v in (getattr(asset, a, None) for a in _ID_FIELDS) if isinstance(v, str) and v), "")
        chosen.append((url, name_from_url(url), key or str(index)))
    counts = Counter(name.lower() for _, name, _ in chosen)
    pairs: list[tuple[str, Path]] = []
    for url, name, key in chosen:
        if counts[name.lower()] > 1:
            stem, dot, extension = name.rpartition(".")
            name = safe_name(f"{stem}-{key}.{extension}" if dot and stem else f"{name}-{key}")
        pairs.append((url, within(folder, name)))
    return pairs


_ID_FIELDS = ("asset_id", "request_id", "vector_id", "id")
