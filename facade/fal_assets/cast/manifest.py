"""`characters.toml`: reading and checking a cast of characters, props, environments, styles and scenes
kept in a repository.

`[[character]]` entries are keyed by `identifier` (required: `name`, `description`, `references`); the
other kinds (`[[prop]]`, `[[environment]]`, `[[style]]`, `[[scene]]`) by `handle`, with `description`
optional. A character's identifier is its @mention handle at fal, so keys are unique across every kind
(compared as identifiers are), and a clash is an error before any request.

Everything here is local. A manifest is rejected whole, before any request, when one entry is wrong; the
error names the file, the entry (`character[2] "bob"`) and the problem. References follow the library's
resolution rules (`_uploads/references.py`), except that relative paths are relative to the manifest, not
to the current directory, so that `fal-assets plan path/to/characters.toml` means the same from anywhere.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .._core import validation as check
from .._core.text import checked_label, fold, printable
from .._errors import ValidationError
from .._uploads.references import (
    _SCHEME,
    LocalFile,
    PassThrough,
    PlannedImage,
    _looks_like_path,
    _looks_like_windows_drive,
    plan_images,
)

__all__ = [
    "Manifest",
    "ManifestEntry",
    "ManifestError",
    "Source",
    "checked_identifier",
    "confined",
    "load_manifest",
    "read_toml",
]

_KEYS = {"identifier", "name", "description", "references", "cover"}
_REQUIRED = ("identifier", "name", "description", "references")
# The kinds beside [[character]], in fal's order; their key is `handle` and `description` is optional.
ENTITY_KINDS: tuple[str, ...] = ("prop", "environment", "style", "scene")
KINDS: tuple[str, ...] = ("character", *ENTITY_KINDS)
_ENTITY_KEYS = {"handle", "name", "description", "references", "cover"}
_ENTITY_REQUIRED = ("handle", "name", "references")
_HASH_CHUNK = 1024 * 1024
# A cast of thousands of characters is well under 1 MiB; anything far larger is not a manifest.
MAX_MANIFEST_BYTES = 16 * 1024 * 1024


class ManifestError(ValidationError):
    """A manifest that cannot be applied: unreadable, not TOML, or an entry that breaks a rule."""


@dataclass(frozen=True)
class Source:
    """One image of an entry. Local files carry their content hash; `key` is what the lock remembers it by
    (`sha256:<hex>` for content, the ID or URL as written otherwise)."""

    key: str
    label: str
    path: str | None = None  # resolved: symlinks followed, inside the allowed folders
    size: int | None = None
    sha256: str | None = None
    target: str | None = None  # where a symlinked `label` really points (shown by `plan`)

    @property
    def shown(self) -> str:
        """The label as `plan` prints it, with the resolved target of a symlink."""
        return self.label if self.target is None else f"{self.label} -> {self.target}"

    @property
    def is_file(self) -> bool:
        return self.path is not None


@dataclass(frozen=True)
class ManifestEntry:
    index: int
    identifier: str  # the entry's key: a character's identifier, another kind's handle
    name: str
    description: str | None  # None only for kinds other than character: no description
    references: tuple[Source, ...]
    cover: Source | None  # None: the cover is not managed by the manifest
    kind: str = "character"

    @property
    def where(self) -> str:
        return f"{self.kind}[{self.index}] {printable(repr(self.identifier))}"


@dataclass(frozen=True)
class Manifest:
    path: Path
    entries: tuple[ManifestEntry, ...]

    @property
    def lock_path(self) -> Path:
        return self.path.with_suffix(".lock")  # characters.toml -> characters.lock


def read_toml(path: Path, error: type[ValidationError] = ValidationError) -> dict[str, object]:
    """A TOML file from a repository: size-capped, UTF-8, any nesting refused as a typed error."""
    try:
        with open(path, "rb") as stream:
            raw = stream.read(MAX_MANIFEST_BYTES + 1)
    except OSError as exc:
        raise error(f"{path}: cannot read manifest: {exc.strerror or exc}") from None
    if len(raw) > MAX_MANIFEST_BYTES:
        raise error(f"{path}: manifest larger than {MAX_MANIFEST_BYTES // (1024 * 1024)} MiB")
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text: {exc.reason} at byte {exc.start}") from None
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: not valid TOML: {printable(exc)}") from None
    except RecursionError:
        raise error(f"{path}: not valid TOML: nested too deeply") from None


def confined(path: str, roots: tuple[str, ...]) -> bool:
    """Whether a resolved path lies inside one of the resolved `roots`."""
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def load_manifest(
    path: str | os.PathLike[str],
    *,
    fal_hosts: frozenset[str],
    allow_paths: tuple[str | os.PathLike[str], ...] = (),
) -> Manifest:
    """Parse, check and hash a manifest. Raises `ManifestError` naming the file, entry and problem.

    Every local file, symlinks followed, must lie inside the manifest's folder or one of `allow_paths`:
    a manifest from a pull request cannot name `../../etc/passwd`, `~/.ssh/id_rsa` or a symlink to it."""
    manifest = Path(path).absolute()
    data = read_toml(manifest, ManifestError)
    unknown = sorted(set(data) - set(KINDS))
    if unknown:
        raise ManifestError(
            f"{manifest}: unknown top-level key(s) {printable(', '.join(unknown))}; expected "
            + ", ".join(f"[[{kind}]]" for kind in KINDS)
        )
    roots = (os.path.realpath(manifest.parent), *(os.path.realpath(os.fspath(p)) for p in allow_paths))
    hashes: dict[str, tuple[str, int]] = {}
    entries: list[ManifestEntry] = []
    seen: dict[str, ManifestEntry] = {}
    for kind in KINDS:
        items = data.get(kind, [])
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise ManifestError(f"{manifest}: '{kind}' must be an array of tables ([[{kind}]])")
        for index, item in enumerate(items):
            entry = _entry(manifest, index, item, fal_hosts, hashes, roots, kind)
            key = fold(entry.identifier)
            other = seen.get(key)
            if other is not None:
                name = "identifier" if kind == "character" else "handle"
                raise ManifestError(
                    f"{manifest}: {entry.where}: duplicate {name}, already used by {other.where} "
                    "(handles are unique across characters, props, environments, styles and scenes; "
                    "compared ignoring case and Unicode form)"
                )
            seen[key] = entry
            entries.append(entry)
    return Manifest(manifest, tuple(entries))


def _entry(
    manifest: Path,
    index: int,
    item: dict[str, object],
    fal_hosts: frozenset[str],
    hashes: dict[str, tuple[str, int]],
    roots: tuple[str, ...],
    kind: str = "character",
) -> ManifestEntry:
    key_name = "identifier" if kind == "character" else "handle"
    allowed, required = (_KEYS, _REQUIRED) if kind == "character" else (_ENTITY_KEYS, _ENTITY_REQUIRED)
    raw_id = item.get(key_name)
    where = f"{kind}[{index}]" + (f" {printable(repr(raw_id))}" if isinstance(raw_id, str) else "")

    def fail(problem: str) -> ManifestError:
        return ManifestError(f"{manifest}: {where}: {problem}")

    unknown = sorted(set(item) - allowed)
    if unknown:
        raise fail(f"unknown key(s) {printable(', '.join(unknown))}; allowed: {', '.join(sorted(allowed))}")
    missing = [key for key in required if key not in item]
    if missing:
        raise fail(f"missing key(s) {', '.join(missing)}")
    try:
        identifier = checked_identifier(item[key_name], key_name)
        if identifier.startswith("@"):
            raise ValidationError(f"{key_name} {identifier!r}: write it without the leading @")
        name = checked_label(check.text(item["name"], field="name", bounds=check.NAME_LENGTH), field="name")
        description = (
            None
            if item.get("description") is None and kind != "character"
            else check.text(item["description"], field="description", bounds=check.DESCRIPTION_LENGTH)
        )
    except ValidationError as exc:
        raise fail(str(exc)) from None
    refs = item["references"]
    if not isinstance(refs, list) or not refs or not all(isinstance(r, str) for r in refs):
        raise fail("references must be a non-empty list of strings (folders, files, asset IDs, fal URLs)")
    cover = item.get("cover")
    if cover is not None and not isinstance(cover, str):
        raise fail("cover must be a string (a local image or a fal-hosted URL)")
    base = manifest.parent
    try:
        images = plan_images(
            reference_images=[_anchor(r, base) for r in refs],
            cover_image=None if cover is None else _anchor(cover, base),
            fal_hosts=fal_hosts,
            allow_external_urls=False,
        )
    except ValidationError as exc:
        raise fail(printable(_renamed(str(exc)))) from None
    assert isinstance(images.references, list)
    try:
        references = tuple(_source(planned, base, hashes, roots) for planned in images.references)
        cover_source = None if images.cover is None else _source(images.cover, base, hashes, roots)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise fail(printable(_renamed(str(exc)))) from None
    except OSError as exc:
        raise fail(f"cannot read {printable(exc.filename)}: {exc.strerror or exc}") from None
    if cover_source is not None and kind != "character":
        # fal: the cover is one of the entity's references. A URL beside references given as IDs is left to
        # fal (only fal knows what an ID resolves to).
        ids = any(not r.is_file and "://" not in r.key for r in references)
        if cover_source.key not in {r.key for r in references} and (cover_source.is_file or not ids):
            raise fail("cover must be one of the references (fal requires it of every entity)")
    return ManifestEntry(index, identifier, name, description, references, cover_source, kind)


def checked_identifier(value: object, field: str = "identifier") -> str:
    """An identifier as a manifest or a lock may hold it (fal's length limit, nothing unprintable)."""
    bounds = check.Bounds(1, check.IDENTIFIER_LENGTH.max)
    return checked_label(check.text(value, field=field, bounds=bounds), field=field)


def _renamed(message: str) -> str:
    # The library names its arguments; the manifest calls them `references` and `cover`.
    return message.replace("reference_images", "references").replace("cover_image", "cover")


def _anchor(text: str, base: Path) -> str | Path:
    """A path-looking string, made relative to the manifest; IDs and URLs unchanged (the library's rules)."""
    scheme = _SCHEME.match(text)
    if (scheme is None or _looks_like_windows_drive(text)) and _looks_like_path(text):
        return base / os.path.expanduser(text)
    return text


def _source(
    planned: PlannedImage, base: Path, hashes: dict[str, tuple[str, int]], roots: tuple[str, ...]
) -> Source:
    if isinstance(planned, PassThrough):
        return Source(key=planned.value, label=planned.value)
    assert isinstance(planned, LocalFile)  # a manifest holds strings only: no bytes or file objects
    try:
        label = Path(planned.path).relative_to(base).as_posix()
    except ValueError:
        label = planned.path
    try:
        label.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(
            f"{planned.field}: {printable(label)}: the file name is not valid UTF-8; rename it",
            field=planned.field,
        ) from None
    resolved = os.path.realpath(planned.path)
    if not confined(resolved, roots):
        raise ValidationError(
            f"{planned.field}: {printable(label)} resolves to {printable(resolved)}, outside the manifest's "
            f"folder {printable(roots[0])}; only files inside it are uploaded (--allow-path / allow_paths "
            "widens this on purpose)",
            field=planned.field,
        )
    digest, size = hashes.get(resolved) or _hash(resolved)
    hashes[resolved] = (digest, size)
    target = None if resolved == os.path.normpath(planned.path) else resolved
    return Source(key=f"sha256:{digest}", label=label, path=resolved, size=size, sha256=digest, target=target)


def _hash(path: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as stream:
        while chunk := stream.read(_HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
