"""What `apply` would do: the manifest compared with fal's characters and the lock, as a typed `Plan`.

`compute_plan` is pure (no I/O), so the sync and async clients share it, and a plan can be reviewed,
printed or serialised (`Plan.to_dict()`, the `--json` document) before `apply` executes it.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .lock import Lock, LockedImage, LockEntry
from .manifest import Manifest, ManifestEntry, Source
from .plan_match import Remote, held_by, owner_checked, to_verify
from .plan_match import images as _images
from .plan_match import matches as _matches

__all__ = ["PLAN_FORMAT", "CharacterChange", "FieldChange", "Plan", "compute_plan", "to_verify"]

PLAN_FORMAT = "fal-assets-plan/1"

Action = Literal["create", "update", "delete"]


@dataclass(frozen=True)
class FieldChange:
    """One field that differs. Scalars are strings or None; images are dicts `{"source", "url"}` (desired
    ones also have `label`, the manifest's path, ID or URL): `source` is `sha256:<hex>`, an ID or a URL (None
    for a remote image the lock does not know), `url` the fal URL (None while it is not known: content still
    to upload, an ID fal has not resolved yet)."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class CharacterChange:
    action: Action
    identifier: str
    character_id: str | None
    fields: tuple[FieldChange, ...]
    uploads: tuple[Source, ...]
    drift: bool = False  # fal's copy was edited since the last apply (dashboard, another tool)
    note: str = ""
    entry: ManifestEntry | None = field(default=None, repr=False)
    replaces: str = "absent"  # the remote state this write replaces: "<id>@<updated_at>" or "absent..."
    # What each of this entry's sources is on fal, as far as it was checked: URLs the character already
    # holds, or whose content was fetched and matched. Anything else is uploaded again.
    known: Mapping[str, str] = field(default_factory=dict, repr=False)
    nonce: str = field(default="", repr=False)  # a create's: one per plan
    kind: str = "character"  # or prop, environment, style, scene (written with client.entities)

    def idempotency_key(self) -> str:
        """Same entry, same content, same remote state: same key. Restoring a state again after someone
        changed fal's copy gets a new key (the replaced state differs), so it is not swallowed as a replay.

        A create also carries its plan's nonce: "absent" looks the same before a create and after the
        character was deleted again, and fal replays a key's first answer for 10 minutes, so a recreate
        with the first create's key would be answered with the deleted character. Retries of the create
        within one apply share the key; a rerun after a crash finds the created character by its
        identifier instead of relying on the key."""
        desired: dict[str, Any] = {}
        if self.entry is not None:
            e = self.entry
            desired = {
                "name": e.name,
                "description": e.description,
                "references": [s.key for s in e.references],
                "cover": None if e.cover is None else e.cover.key,
            }
        body = {
            "action": self.action,
            "identifier": self.identifier,
            "desired": desired,
            "replaces": self.replaces,
            **({"nonce": self.nonce} if self.action == "create" else {}),
            # A character's key stays what it always was; other kinds' keys name theirs.
            **({"kind": self.kind} if self.kind != "character" else {}),
        }
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        return f"fal-assets-apply-{digest[:48]}"


@dataclass(frozen=True)
class Plan:
    """The result of `client.characters.plan(manifest_path)`; pass it to `client.characters.apply(plan)`."""

    manifest: Manifest
    lock: Lock
    changes: tuple[CharacterChange, ...]
    unchanged: tuple[str, ...]
    unmanaged_in_lock: tuple[str, ...]  # in the lock, not in the manifest, kept because prune is off
    prune: bool
    known_urls: Mapping[str, str]
    # Lock entries to refresh without any request (a character found by identifier, a moved timestamp).
    relock: tuple[tuple[str, LockEntry | None], ...] = ()

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)

    @property
    def uploads(self) -> tuple[Source, ...]:
        """Every file to upload, once per content."""
        seen: dict[str, Source] = {}
        for change in self.changes:
            for source in change.uploads:
                seen.setdefault(source.key, source)
        return tuple(seen.values())

    def count(self, action: Action) -> int:
        return sum(1 for c in self.changes if c.action == action)

    def to_dict(self) -> dict[str, Any]:
        """The `--json` plan document (format `fal-assets-plan/1`, documented in the README)."""
        uploads = self.uploads
        return {
            "format": PLAN_FORMAT,
            "manifest": str(self.manifest.path),
            "lock": str(self.lock.path),
            "prune": self.prune,
            "has_changes": self.has_changes,
            "summary": {
                "create": self.count("create"),
                "update": self.count("update"),
                "delete": self.count("delete"),
                "unchanged": len(self.unchanged),
                "upload_files": len(uploads),
                "upload_bytes": sum(s.size or 0 for s in uploads),
            },
            "changes": [
                {
                    "action": c.action,
                    "type": c.kind,
                    "identifier": c.identifier,
                    "id": c.character_id,
                    "drift": c.drift,
                    "note": c.note,
                    "fields": {f.field: {"before": f.before, "after": f.after} for f in c.fields},
                    "uploads": [_upload_dict(s) for s in c.uploads],
                }
                for c in self.changes
            ],
            "uploads": [_upload_dict(s) for s in uploads],
            "unchanged": list(self.unchanged),
            "unmanaged_in_lock": list(self.unmanaged_in_lock),
        }


def _upload_dict(source: Source) -> dict[str, Any]:
    return {"path": source.label, "target": source.target, "size": source.size, "sha256": source.sha256}


def compute_plan(
    manifest: Manifest,
    lock: Lock,
    remote: Sequence[Remote],
    *,
    prune: bool,
    verified: Collection[tuple[str, str]] = (),
    nonce: str | None = None,
) -> Plan:
    """`verified`: (source, url) pairs of the lock whose content was fetched and matched (`to_verify`)."""
    nonce = nonce or uuid.uuid4().hex
    by_id = {c.id: c for c in remote}
    claimed = lock.urls()
    trusted: set[tuple[str, str]] = set(verified)
    changes: list[CharacterChange] = []
    unchanged: list[str] = []
    relock: list[tuple[str, LockEntry | None]] = []
    all_known: dict[str, str] = {}
    sources_of = {url: key for key, url in claimed.items()}  # names a remote image in the diff only
    for match in _matches(manifest, lock, remote):
        entry, locked, current, note = match.entry, match.locked, match.current, match.note
        held = held_by(current)
        known = {
            s.key: claimed[s.key]
            for s in _images(entry)
            if s.key in claimed and (claimed[s.key] in held or (s.key, claimed[s.key]) in trusted)
        }
        all_known.update(known)
        uploads = tuple({s.key: s for s in _images(entry) if s.is_file and s.key not in known}.values())
        if current is None:
            replaces = "absent" if locked is None else f"absent-after:{locked.id}"
            fields = _create_fields(entry, known)
            changes.append(
                CharacterChange(
                    "create",
                    entry.identifier,
                    None,
                    fields,
                    uploads,
                    False,
                    note,
                    entry,
                    replaces,
                    known,
                    nonce,
                    entry.kind,
                )
            )
            continue
        fields = _update_fields(entry, current, known, sources_of)
        stamp = version_stamp(current)
        if fields:
            drift = locked is not None and locked.id == current.id and locked.updated_at != stamp
            replaces = f"{current.id}@{stamp}"
            changes.append(
                CharacterChange(
                    "update",
                    entry.identifier,
                    current.id,
                    fields,
                    uploads,
                    drift,
                    note,
                    entry,
                    replaces,
                    known,
                    kind=entry.kind,
                )
            )
            continue
        unchanged.append(entry.identifier)
        fresh = lock_entry(entry, current, known)
        if fresh != locked:
            relock.append((entry.identifier, fresh))
    listed = {e.identifier for e in manifest.entries}
    orphans = sorted(name for name in lock.entries if name not in listed)
    if prune:
        for name in orphans:
            gone = lock.entries[name]
            current = by_id.get(gone.id)
            if current is None:
                relock.append((name, None))
                continue
            owner_checked(lock, name, current)
            replaces = f"{current.id}@{version_stamp(current)}"
            before = (
                FieldChange("name", current.name, None),
                FieldChange("description", current.description, None),
            )
            changes.append(
                CharacterChange(
                    "delete", name, current.id, before, (), False, "", None, replaces, kind=gone.kind
                )
            )
    return Plan(
        manifest=manifest,
        lock=lock,
        changes=tuple(changes),
        unchanged=tuple(unchanged),
        unmanaged_in_lock=() if prune else tuple(orphans),
        prune=prune,
        known_urls=all_known,
        relock=tuple(relock),
    )


def desired_url(source: Source, known: Mapping[str, str]) -> str | None:
    """The URL fal will hold for a source: recorded in the lock, or a URL passed through as written.
    None when it is not known before writing (new content, an ID fal has not resolved for us yet)."""
    if source.key in known:
        return known[source.key]
    if not source.is_file and "://" in source.key:
        return source.key
    return None


def _after(sources: Sequence[Source], known: Mapping[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "source": s.key,
            "label": s.label,
            "url": desired_url(s, known),
            **({"target": s.target} if s.target else {}),
        }
        for s in sources
    ]


def _create_fields(entry: ManifestEntry, known: Mapping[str, str]) -> tuple[FieldChange, ...]:
    fields = [
        FieldChange("name", None, entry.name),
        *([FieldChange("description", None, entry.description)] if entry.description is not None else []),
        FieldChange("reference_images", [], _after(entry.references, known)),
    ]
    if entry.cover is not None:
        fields.append(FieldChange("cover_image", None, _after([entry.cover], known)[0]))
    return tuple(fields)


def _update_fields(
    entry: ManifestEntry, current: Remote, known: Mapping[str, str], sources_of: Mapping[str, str]
) -> tuple[FieldChange, ...]:
    fields: list[FieldChange] = []
    if current.name != entry.name:
        fields.append(FieldChange("name", current.name, entry.name))
    if current.description != entry.description:
        fields.append(FieldChange("description", current.description, entry.description))
    wanted = [desired_url(s, known) for s in entry.references]
    have = current.reference_images or []
    if None in wanted or wanted != have:
        before = [{"source": sources_of.get(url), "url": url} for url in have]
        fields.append(FieldChange("reference_images", before, _after(entry.references, known)))
    if entry.cover is not None:
        cover = desired_url(entry.cover, known)
        if cover is None or cover != current.cover_image_url:
            url = current.cover_image_url
            before_cover = None if url is None else {"source": sources_of.get(url), "url": url}
            fields.append(FieldChange("cover_image", before_cover, _after([entry.cover], known)[0]))
    return tuple(fields)


def lock_entry(entry: ManifestEntry, character: Remote, known: Mapping[str, str]) -> LockEntry:
    """What the lock records once `character` (as fal returned it) matches `entry`."""
    urls = list(character.reference_images or ())
    if len(urls) == len(entry.references):
        refs = tuple(LockedImage(s.key, url) for s, url in zip(entry.references, urls, strict=True))
    else:  # fal answered another count than was sent: keep only what is certain
        refs = tuple(LockedImage(s.key, known[s.key]) for s in entry.references if s.key in known)
    cover = None
    if entry.cover is not None and character.cover_image_url:
        cover = LockedImage(entry.cover.key, character.cover_image_url)
    return LockEntry(character.id, version_stamp(character), refs, cover, entry.kind)


def version_stamp(character: Remote) -> str:
    """The character's version as the lock records it: its update time ("" when fal left it out, which
    then never matches a recorded one, so the character is compared in full)."""
    return character.updated_at.isoformat() if character.updated_at is not None else ""
