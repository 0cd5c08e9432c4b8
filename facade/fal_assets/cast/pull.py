"""`characters.pull`: adopt what is on fal as code — the reverse of `apply`.

For each selected character on fal it writes a `[[character]]` entry in the manifest and a lock entry,
and downloads the reference images and cover into `<dir>/<handle>/` (`ref-01.png`, ..., `cover.png`:
named by position, so a second pull names them the same). Right after, `plan` sees no change: the
manifest names exactly those files, and the lock maps each file's sha256 to the URL fal holds for it.

- The handle is fal's `character_identifier` (what `plan` matches by). A character without one, or without
  a description (the manifest requires one), or whose images repeat the same content, is reported as not
  pulled, with the reason: its manifest entry could not round-trip.
- Existing manifest entries are kept; one for the same identifier is replaced only with `force=True`. The
  file is rewritten only when something changed, formatted stably (entries in their order, new ones by
  identifier, one key per line), so a second pull leaves it byte for byte as it was.
- Kinds: every kind of the manifest (`PULL_KINDS`: characters, then fal's entities: props, environments,
  styles, scenes), all by default; characters are keyed by identifier, the others by handle.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fal_assets_api.models.character import Character

from .._downloads.names import name_from_url, safe_name
from .._downloads.target import file_sha256
from .._errors import ValidationError
from .lock import Lock, LockedImage, LockEntry
from .manifest import KINDS, ManifestError, checked_identifier, read_toml
from .plan import version_stamp

if TYPE_CHECKING:
    from .._client import AsyncFalAssets, FalAssets
    from .plan_match import Remote

__all__ = ["PULL_KINDS", "PullResult", "pull", "pull_async"]

# The kinds `pull` knows: the manifest's (`[[character]]`, `[[prop]]`, ...).
PULL_KINDS: tuple[str, ...] = KINDS
_KEY_ORDER = ("identifier", "handle", "name", "description", "references", "cover")


@dataclass
class PullResult:
    """What a pull did: identifiers written (new or replaced), kept (already in the manifest; use
    `force=True` to replace), and not pulled with the reason."""

    manifest: Path
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)


def _toml_string(value: str) -> str:
    # JSON's string escapes are TOML's basic-string escapes; DEL is the one character TOML also refuses raw.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def render(entries: Sequence[tuple[str, dict[str, Any]]]) -> str:
    """The manifest text: one `[[kind]]` table per entry, in order, keys in a fixed order."""
    blocks = []
    for kind, entry in entries:
        lines = [f"[[{kind}]]"]
        for key in (*_KEY_ORDER, *sorted(set(entry) - set(_KEY_ORDER))):
            if key not in entry:
                continue
            value = entry[key]
            if isinstance(value, list):
                items = "".join(f"  {_toml_string(str(v))},\n" for v in value)
                lines.append(f"{key} = [\n{items}]")
            else:
                lines.append(f"{key} = {_toml_string(str(value))}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _extension(url: str, fallback: str = ".png") -> str:
    suffix = Path(name_from_url(url)).suffix.lower()
    return suffix if 1 < len(suffix) <= 8 and suffix[1:].isalnum() else fallback


def _kind(remote: Remote) -> str:
    if isinstance(remote, Character):
        return "character"
    return str(getattr(remote.type_, "value", remote.type_))


def _handle(remote: Remote) -> str | None:
    return remote.character_identifier if isinstance(remote, Character) else remote.handle


def _why_not(character: Remote) -> str | None:
    handle = _handle(character)
    if not handle:
        return "it has no identifier/handle on fal (plan matches by it)"
    try:
        checked_identifier(handle)
    except ValidationError as exc:
        return f"its handle cannot be a manifest key: {exc}"
    if _kind(character) == "character" and not character.description:
        return "it has no description (a character's manifest entry requires one)"
    if not character.reference_images:
        return "it has no reference images"
    return None


@dataclass
class _Pull:
    """One pull's state between its three steps: what to pull, the downloads, the files written."""

    manifest: Path
    refs_root: Path
    wanted: set[str] | None
    force: bool
    kinds: tuple[str, ...]
    existing: list[tuple[str, dict[str, Any]]]
    index: dict[str, int]
    lock: Lock
    result: PullResult
    plans: list[tuple[Remote, list[str], str | None]] = field(default_factory=list)
    pairs: list[tuple[str, Path]] = field(default_factory=list)


def begin(
    path: str | os.PathLike[str],
    *,
    kinds: Iterable[str] | None,
    only: Iterable[str] | None,
    refs_dir: str | os.PathLike[str],
    force: bool,
) -> _Pull:
    """Check the arguments and read the manifest and lock, before any request."""
    manifest = Path(path).absolute()
    kinds = PULL_KINDS if kinds is None else tuple(kinds)
    unknown = sorted(set(kinds) - set(PULL_KINDS))
    if unknown:
        raise ValidationError(f"unknown kind(s) {', '.join(unknown)}; known: {', '.join(PULL_KINDS)}")
    refs_root = Path(refs_dir)
    if refs_root.is_absolute() or ".." in refs_root.parts:
        raise ValidationError("refs_dir must be a folder inside the manifest's folder", field="refs_dir")
    wanted = None if only is None else {checked_identifier(h) for h in only}
    existing: list[tuple[str, dict[str, Any]]] = []
    if manifest.exists():
        data = read_toml(manifest, ManifestError)
        if set(data) - set(KINDS):
            raise ManifestError(f"{manifest}: unknown tables {', '.join(sorted(set(data) - set(KINDS)))}")
        for kind in KINDS:
            items = data.get(kind, [])
            if not isinstance(items, list):
                raise ManifestError(f"{manifest}: {kind!r} must be an array of tables ([[{kind}]])")
            existing += [(kind, dict(item)) for item in items if isinstance(item, dict)]
    index = {str(e.get("identifier", e.get("handle"))): n for n, (_, e) in enumerate(existing)}
    lock = Lock.read(manifest.with_suffix(".lock"))
    chosen = tuple(k for k in KINDS if k in set(kinds))
    return _Pull(manifest, refs_root, wanted, force, chosen, existing, index, lock, PullResult(manifest))


def choose(state: _Pull, character: Remote) -> None:
    """Take one character listed on fal: skipped, kept, or its downloads planned."""
    handle = _handle(character) or character.id
    if state.wanted is not None and handle not in state.wanted:
        return
    reason = _why_not(character)
    if reason is not None:
        state.result.skipped[handle] = reason
        return
    if handle in state.index and not state.force:
        state.result.kept.append(handle)
        return
    folder = state.manifest.parent / state.refs_root / safe_name(handle)
    folder.mkdir(parents=True, exist_ok=True)
    urls = list(character.reference_images or [])
    names = [f"ref-{n:02d}{_extension(u)}" for n, u in enumerate(urls, 1)]
    state.pairs += [(u, folder / name) for u, name in zip(urls, names, strict=True)]
    cover = None
    if character.cover_image_url:
        cover = f"cover{_extension(character.cover_image_url)}"
        state.pairs.append((character.cover_image_url, folder / cover))
    state.plans.append((character, names, cover))


def finish(state: _Pull, paths: Sequence[Path]) -> PullResult:
    """Record what was downloaded: manifest entries, lock entries, the files."""
    result, refs_root = state.result, state.refs_root
    digests = {url: "sha256:" + file_sha256(p) for (url, _), p in zip(state.pairs, paths, strict=True)}
    result.files = list(paths)
    claimed: dict[str, str] = {}
    for character, names, cover in state.plans:
        handle, kind = str(_handle(character)), _kind(character)
        urls = list(character.reference_images or [])
        images = [*urls, *([str(character.cover_image_url)] if cover else [])]
        keys = [digests[u] for u in images]
        if len(set(keys)) != len(keys):
            result.skipped[handle] = "two of its images have the same content (a manifest names content)"
            continue
        if any(claimed.setdefault(k, u) != u for k, u in zip(keys, images, strict=True)):
            # The lock maps content to one URL: the same bytes at two URLs cannot both be matched.
            result.skipped[handle] = "an image has the same content as another character's, at another URL"
            continue
        where = (refs_root / safe_name(handle)).as_posix()
        entry: dict[str, Any] = {
            "identifier" if kind == "character" else "handle": handle,
            "name": character.name,
            **({"description": character.description} if character.description is not None else {}),
            "references": [f"{where}/{name}" for name in names],
        }
        if cover:
            entry["cover"] = f"{where}/{cover}"
        if handle in state.index:
            state.existing[state.index[handle]] = (kind, entry)
        else:
            state.index[handle] = len(state.existing)
            state.existing.append((kind, entry))
        locked = [LockedImage(k, u) for k, u in zip(keys, images, strict=True)]
        refs, cover_lock = tuple(locked[: len(urls)]), (locked[-1] if cover else None)
        state.lock.record(handle, LockEntry(character.id, version_stamp(character), refs, cover_lock, kind))
        result.written.append(handle)
    manifest = state.manifest
    text = render(state.existing)
    before = manifest.read_text(encoding="utf-8") if manifest.exists() else None
    if text != before:
        temp = manifest.with_name(f".{manifest.name}.pull-tmp")
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, manifest)
    state.lock.compact()
    return result


def pull(client: FalAssets, path: str | os.PathLike[str], **options: Any) -> PullResult:
    state = begin(path, **options)
    if "character" in state.kinds:
        for character in client.characters.iter(page_size=100):
            choose(state, character)
    others = [k for k in state.kinds if k != "character"]
    for entity in client.entities.iter(types=others, page_size=100) if others else ():
        choose(state, entity)
    return finish(state, client.files.download_many(state.pairs) if state.pairs else [])


async def pull_async(client: AsyncFalAssets, path: str | os.PathLike[str], **options: Any) -> PullResult:
    state = begin(path, **options)
    if "character" in state.kinds:
        async for character in client.characters.iter(page_size=100):
            choose(state, character)
    others = [k for k in state.kinds if k != "character"]
    if others:
        async for entity in client.entities.iter(types=others, page_size=100):
            choose(state, entity)
    return finish(state, await client.files.download_many(state.pairs) if state.pairs else [])
