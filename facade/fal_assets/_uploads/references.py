"""What each image argument is: classification and local validation, shared by the sync and async clients.

Nothing here uploads or reads file contents. Files are `stat()`ed and opened once (non-blocking) to prove
they are readable, folders are listed, and every problem raises `ValidationError` naming the argument, so
that an invalid input stops a call before the first byte leaves the machine.

| input                                                  | becomes                                      |
|--------------------------------------------------------|----------------------------------------------|
| `os.PathLike`, `file://` URL, path-looking string      | a local file to upload (a folder: its images)|
| `bytes` / `bytearray` / `memoryview`                   | uploaded as is                               |
| binary file object (`open(..., "rb")`, `BytesIO`)      | uploaded from its current position to its end|
| `http(s)` URL on a fal host (`ClientConfig.fal_hosts`) | passed through unchanged                     |
| other `http(s)` URL                                    | error, unless `allow_external_urls=True`     |
| any other string                                       | an ID (vector / request id), passed through  |

A string looks like a path when it contains a `/` (or the OS separator), starts with `.` or `~`, or ends in
a file suffix such as `.png`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from fal_assets_api.types import UNSET, Unset

from .._core.validation import REFERENCE_COUNT
from .._errors import ValidationError
from .inputs import (
    FileObject,
    ImageInput,
    ImagePlan,
    LocalFile,
    MemoryBytes,
    PassThrough,
    PlannedImage,
    ReferenceInput,
    UploadSource,
)
from .local import IMAGE_SUFFIXES, is_file_object, local_or_data, short

__all__ = [
    "IMAGE_SUFFIXES",
    "MAX_REFERENCE_IMAGES",
    "FileObject",
    "ImageInput",
    "ImagePlan",
    "LocalFile",
    "MemoryBytes",
    "PassThrough",
    "PlannedImage",
    "ReferenceInput",
    "UploadSource",
    "is_fal_hosted",
    "plan_images",
    "plan_media",
    "plan_uploads",
]

# The spec's maxItems, kept in one place (_core/validation.py, checked against openapi.yaml by a test).
MAX_REFERENCE_IMAGES: int = REFERENCE_COUNT.max or 20
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:/")
_FILE_SUFFIX = re.compile(r".\.[A-Za-z][A-Za-z0-9]{0,4}$")


def plan_images(
    *,
    reference_images: ReferenceInput | Unset,
    cover_image: ImageInput | None | Unset,
    fal_hosts: frozenset[str],
    allow_external_urls: bool,
) -> ImagePlan:
    from .media import checked_image  # loaded late: _media reads the input classes of this package

    rules = _Rules(fal_hosts, allow_external_urls)
    refs: list[PlannedImage] | Unset = UNSET
    if not isinstance(reference_images, Unset):
        refs = []
        for index, item in enumerate(_as_items(reference_images)):
            refs.extend(rules.reference(item, f"reference_images[{index}]"))
        if not refs:
            raise ValidationError("reference_images needs at least one image", field="reference_images")
        if len(refs) > MAX_REFERENCE_IMAGES:
            raise ValidationError(
                f"reference_images has {len(refs)} images after expanding folders; fal accepts at most "
                f"{MAX_REFERENCE_IMAGES}",
                field="reference_images",
            )
        refs = [checked_image(item) for item in refs]
    cover: PlannedImage | None | Unset = cover_image  # type: ignore[assignment]
    if not isinstance(cover_image, Unset | None):
        cover = checked_image(rules.cover(cover_image, "cover_image"))
    return ImagePlan(references=refs, cover=cover)


def plan_uploads(
    files: Iterable[ImageInput] | ImageInput, *, field: str = "files", indexed: bool = True
) -> list[UploadSource]:
    """Classify the arguments of `client.files.upload/upload_many`: every string is a path, folders are
    refused (one URL per input, in order). Errors name `files[i]`, or `field` itself when not `indexed`."""
    sources: list[UploadSource] = []
    for index, item in enumerate(_as_items(files)):
        name = f"{field}[{index}]" if indexed else field
        text = item if isinstance(item, str) else os.fspath(item) if isinstance(item, os.PathLike) else None
        # Path("https://x/y") collapses to "https:/x/y": still a URL, not a file to look for.
        if isinstance(text, str) and _URL_LIKE.match(text) and not text.lower().startswith("file:"):
            raise ValidationError(f"{name}: {short(item)} is a URL, not a local file", field=name)
        source = local_or_data(item, name, folders=False)
        assert not isinstance(source, list)
        sources.append(source)
    return sources


def plan_media(item: object, *, field: str, fal_hosts: frozenset[str]) -> PlannedImage:
    """One media argument (`assets.upload`'s source, `assets.search`'s image or video): a fal-hosted URL
    passed through, or a local input to upload; IDs, folders and other URLs are refused."""
    if isinstance(item, str):
        passed = _Rules(fal_hosts, False)._string(item, field)
        if passed is not None:
            if not _SCHEME.match(passed.value):
                raise ValidationError(
                    f"{field}: {short(item)} is neither a fal-hosted URL nor a local file", field=field
                )
            return passed
    found = local_or_data(item, field, folders=False)
    assert not isinstance(found, list)
    return found


def _as_items(value: object) -> list[object]:
    """A single image (or a folder) given where a list is expected becomes a one-item list, so that a str
    or bytes is never iterated character by character."""
    if isinstance(value, str | bytes | bytearray | memoryview | os.PathLike) or is_file_object(value):
        return [value]
    if isinstance(value, Iterable):
        return list(value)
    return [value]


class _Rules:
    def __init__(self, fal_hosts: frozenset[str], allow_external_urls: bool) -> None:
        self.fal_hosts = fal_hosts
        self.allow_external_urls = allow_external_urls

    def reference(self, item: object, field: str) -> list[PlannedImage]:
        if isinstance(item, str):
            passed = self._string(item, field)
            if passed is not None:
                return [passed]
        found = local_or_data(item, field)
        return list(found) if isinstance(found, list) else [found]

    def cover(self, item: object, field: str) -> PlannedImage:
        if isinstance(item, str):
            passed = self._string(item, field)
            if passed is not None:
                if not _SCHEME.match(passed.value):
                    # The API's cover_image_url is a URI; an asset ID is not accepted there.
                    raise ValidationError(
                        f"{field}: {short(item)} is neither a URL nor a local file; the cover must be a "
                        "fal-hosted image URL or a local image",
                        field=field,
                    )
                return passed
        found = local_or_data(item, field, folders=False)
        assert not isinstance(found, list)
        return found

    def _string(self, text: str, field: str) -> PassThrough | None:
        """A URL or ID to pass through, or None when the string names a local file."""
        if not text.strip():
            raise ValidationError(f"{field}: empty string", field=field)
        scheme = _SCHEME.match(text)
        if scheme is not None and not _looks_like_windows_drive(text):
            kind = scheme.group(1).lower()
            if kind == "file":
                return None
            if kind in ("http", "https"):
                return self._url(text, field)
            if kind == "data":
                raise ValidationError(
                    f"{field}: data: URLs are not accepted; pass the decoded bytes instead", field=field
                )
            if text[scheme.end() : scheme.end() + 2] == "//":
                raise ValidationError(f"{field}: unsupported URL scheme {kind!r}", field=field)
        if _looks_like_path(text):
            return None
        return PassThrough(text)

    def _url(self, url: str, field: str) -> PassThrough:
        if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
            # Not a URI (the API's cover_image_url is format: uri; fal answers 422): say so before sending.
            raise ValidationError(
                f"{field}: {short(url)} is not a valid URL: it contains whitespace or control characters "
                "(percent-encode them, e.g. %20 for a space)",
                field=field,
            )
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
            port = parts.port
        except ValueError as exc:
            raise ValidationError(f"{field}: malformed URL {short(url)}: {exc}", field=field) from None
        if not host:
            raise ValidationError(f"{field}: URL without a host: {short(url)}", field=field)
        if _on_fal_host(host, port, self.fal_hosts):
            return PassThrough(url)
        if self.allow_external_urls:
            return PassThrough(url)
        raise ValidationError(
            f"{field}: {host} is not a fal-hosted domain ({', '.join(sorted(self.fal_hosts))}); fal expects "
            "fal-hosted images. Pass the image as a local file or bytes to upload it, or "
            "allow_external_urls=True to send the URL anyway",
            field=field,
        )


def _on_fal_host(host: str, port: int | None, fal_hosts: frozenset[str]) -> bool:
    return host in fal_hosts or (port is not None and f"{host}:{port}" in fal_hosts)


def is_fal_hosted(url: str, fal_hosts: frozenset[str]) -> bool:
    """Whether `url` is a file on a fal host, by the rule references follow."""
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and _on_fal_host(
            (parts.hostname or "").lower(), parts.port, fal_hosts
        )
    except ValueError:
        return False


def _looks_like_windows_drive(text: str) -> bool:
    return os.name == "nt" and len(text) > 2 and text[1] == ":" and text[2] in "\\/"


def _looks_like_path(text: str) -> bool:
    separators = {"/", os.sep} | ({os.altsep} if os.altsep else set())
    return (
        any(sep in text for sep in separators)
        or text.startswith((".", "~"))
        or _FILE_SUFFIX.search(text) is not None
    )
