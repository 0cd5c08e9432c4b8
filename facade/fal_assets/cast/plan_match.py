"""How a plan finds each entry's character on fal, and what of the lock it must check before using it.

Split from `plan.py` (the diff itself): this part treats the lock as the claims of an untrusted file.
A lock entry's id must name a character carrying the entry's identifier (`owner_checked`), and a URL the
lock gives for local content is used only when the character holds it already or its content was
fetched and matched (`to_verify` lists those to fetch; `fetch.py` fetches them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fal_assets_api.models.character import Character
from fal_assets_api.models.entity import Entity

from .._core.text import fold, printable
from .._errors import ValidationError
from .lock import Lock, LockEntry, LockError
from .manifest import Manifest, ManifestEntry, Source

__all__ = [
    "Remote",
    "held_by",
    "images",
    "matches",
    "owner_checked",
    "remote_key",
    "remote_kind",
    "to_verify",
]

# What fal holds for an entry: a character (read with client.characters), or another kind's entity.
Remote = Character | Entity


def remote_key(remote: Remote) -> str | None:
    """The @mention handle a manifest entry is matched by (a character's identifier is its handle)."""
    return remote.character_identifier if isinstance(remote, Character) else remote.handle


def remote_kind(remote: Remote) -> str:
    if isinstance(remote, Character):
        return "character"
    return str(getattr(remote.type_, "value", remote.type_))


def images(entry: ManifestEntry) -> list[Source]:
    return [*entry.references, *([entry.cover] if entry.cover else [])]


@dataclass(frozen=True)
class _Match:
    entry: ManifestEntry
    locked: LockEntry | None
    current: Remote | None
    note: str


def matches(manifest: Manifest, lock: Lock, remote: Sequence[Remote]) -> list[_Match]:
    """Each manifest entry with its lock entry and fal's character: by the lock's id, which must carry the
    entry's identifier (a lock cannot point an entry at a character it does not manage), else by
    identifier."""
    by_id = {c.id: c for c in remote}
    managed_ids = {e.id for e in lock.entries.values()}
    by_identifier: dict[str, list[Remote]] = {}
    for c in by_id.values():  # a character listed twice (pages shifted by an insert) counts once
        key = remote_key(c)
        if key and c.id not in managed_ids:
            by_identifier.setdefault(fold(key), []).append(c)
    found: list[_Match] = []
    for entry in manifest.entries:
        locked = lock.entries.get(entry.identifier)
        current = by_id.get(locked.id) if locked else None
        if current is not None:
            owner_checked(lock, entry.identifier, current)
        note = ""
        # The lock's own (compared by kind, then used as it is), or what fal has under the handle.
        same = by_identifier.get(fold(entry.identifier), []) if current is None else [current]
        other = [c for c in same if remote_kind(c) != entry.kind]
        if other:
            raise ValidationError(
                f"{manifest.path}: {entry.where}: @{printable(entry.identifier)} is a "
                f"{printable(remote_kind(other[0]))} on fal ({printable(other[0].id)}); handles are unique "
                "across kinds and fal cannot change a type: delete it there or choose another handle"
            )
        if current is None:
            if len(same) > 1:
                ids = ", ".join(c.id for c in same)
                raise ValidationError(
                    f"{manifest.path}: {entry.where}: {len(same)} characters on fal have this identifier "
                    f"({printable(ids)}); delete the extra ones so that the identifier names one character"
                )
            if same:
                current = same[0]
                note = "found on fal by its identifier; now managed"
            elif locked is not None:
                note = f"{locked.id} no longer exists on fal; recreating it"
        found.append(_Match(entry, locked, current, note))
    return found


def owner_checked(lock: Lock, identifier: str, current: Remote) -> None:
    key = remote_key(current)
    if key != identifier:
        kind = remote_kind(current)
        raise LockError(
            f"{printable(lock.path)}: characters[{printable(repr(identifier))}]: its id "
            f"{printable(current.id)} "
            f"is a {printable(kind)} with identifier {printable(repr(key))} on fal, not "
            f"{printable(repr(identifier))}; refusing to change or delete a character the lock does not "
            "manage (fix or remove this lock entry)"
        )


def held_by(current: Remote | None) -> set[str]:
    if current is None:
        return set()
    return {
        *(current.reference_images or ()),
        *([current.cover_image_url] if current.cover_image_url else []),
    }


def to_verify(manifest: Manifest, lock: Lock, remote: Sequence[Remote]) -> list[tuple[Source, str]]:
    """The lock's claims to check by fetching: a file source with a URL in the lock that the character
    being written does not hold already (a create, content another character holds, a pending upload)."""
    claimed = lock.urls()
    pairs: dict[tuple[str, str], Source] = {}
    for match in matches(manifest, lock, remote):
        held = held_by(match.current)
        for source in images(match.entry):
            url = claimed.get(source.key)
            if source.is_file and url is not None and url not in held:
                pairs.setdefault((source.key, url), source)
    return [(source, url) for (_, url), source in pairs.items()]
