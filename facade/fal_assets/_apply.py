"""`client.characters.plan(...)` and `.apply(plan)`: reading fal's state, and executing a `Plan`.

Only the client's public operations are used: paged `characters.iter` to read (never one GET per character;
only a managed character the listing missed is confirmed with one), `files.upload_many` for new content,
and one `create` / `update` / `delete` per changed character, each with an idempotency key derived from the
entry, its content and the state it replaces. After each completed character the lock is rewritten
atomically, so an interrupted apply loses at most the characters in flight; rerunning it finds those on fal
by identifier instead of creating them twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fal_assets_api.types import UNSET

from ._errors import NotFoundError, ValidationError
from ._lock import Lock
from ._manifest import ENTITY_KINDS, Manifest, load_manifest, rehash
from ._plan import CharacterChange, Plan, Remote, compute_plan, lock_entry

if TYPE_CHECKING:
    from ._client import AsyncFalAssets, FalAssets
    from ._uploads import ProgressCallback

__all__ = [
    "DEFAULT_CONCURRENCY",
    "AppliedChange",
    "ApplyResult",
    "apply_async",
    "apply_sync",
    "plan_async",
    "plan_sync",
]

DEFAULT_CONCURRENCY = 8
_PAGE = 100  # the API's largest page: 1,000 characters are 10 list requests


@dataclass(frozen=True)
class AppliedChange:
    action: str
    identifier: str
    character_id: str
    kind: str = "character"  # or prop, environment, style, scene


@dataclass(frozen=True)
class ApplyResult:
    changes: tuple[AppliedChange, ...]
    uploaded: int


OnApplied = Callable[[AppliedChange], None]


def _manifest(client: FalAssets | AsyncFalAssets, path: str | os.PathLike[str]) -> Manifest:
    return load_manifest(path, fal_hosts=client.config.fal_hosts)


def _missing(lock: Lock, remote: list[Remote]) -> list[tuple[str, str]]:
    """Managed (id, kind)s the listing did not return. Offset paging can skip a character when another is
    deleted meanwhile, and a skipped one would be recreated as a duplicate: each is confirmed with a GET
    (none in the steady state, where every managed entry is listed)."""
    listed = {c.id for c in remote}
    return sorted({(e.id, e.kind) for e in lock.entries.values() if e.id not in listed})


def _has_entities(manifest: Manifest, lock: Lock) -> bool:
    """Whether props, environments, styles or scenes are involved: only then is the entity list read (a
    manifest of characters costs the requests it always did)."""
    kinds = [e.kind for e in manifest.entries] + [e.kind for e in lock.entries.values()]
    return any(kind != "character" for kind in kinds)


def plan_sync(client: FalAssets, manifest_path: str | os.PathLike[str], *, prune: bool) -> Plan:
    manifest = _manifest(client, manifest_path)  # every local problem surfaces before any request
    lock = Lock.read(manifest.lock_path)
    remote: list[Remote] = list(client.characters.iter(page_size=_PAGE))
    if _has_entities(manifest, lock):
        remote += client.entities.iter(types=ENTITY_KINDS, page_size=_PAGE)

    def confirm(wanted: tuple[str, str]) -> Remote | None:
        cid, kind = wanted
        try:
            return client.characters.get(cid) if kind == "character" else client.entities.get(cid)
        except NotFoundError:
            return None

    with ThreadPoolExecutor(max_workers=DEFAULT_CONCURRENCY) as pool:
        remote += [c for c in pool.map(confirm, _missing(lock, remote)) if c is not None]
    return compute_plan(manifest, lock, remote, prune=prune)


async def plan_async(client: AsyncFalAssets, manifest_path: str | os.PathLike[str], *, prune: bool) -> Plan:
    manifest = await asyncio.to_thread(_manifest, client, manifest_path)
    lock = await asyncio.to_thread(Lock.read, manifest.lock_path)
    remote: list[Remote] = [c async for c in client.characters.iter(page_size=_PAGE)]
    if _has_entities(manifest, lock):
        remote += [e async for e in client.entities.iter(types=ENTITY_KINDS, page_size=_PAGE)]
    gate = asyncio.Semaphore(DEFAULT_CONCURRENCY)

    async def confirm(wanted: tuple[str, str]) -> Remote | None:
        cid, kind = wanted
        async with gate:
            try:
                if kind == "character":
                    return await client.characters.get(cid)
                return await client.entities.get(cid)
            except NotFoundError:
                return None

    found = await asyncio.gather(*(confirm(wanted) for wanted in _missing(lock, remote)))
    remote += [c for c in found if c is not None]
    return compute_plan(manifest, lock, remote, prune=prune)


def _check_uploads(plan: Plan) -> list[Path]:
    """Refuse a stale plan, before anything is sent; return the files to upload."""
    if plan.lock.changed_on_disk():
        raise ValidationError(
            f"{plan.lock.path} changed since this plan was made (it was applied already, or another apply "
            "ran); make a new plan"
        )
    paths = []
    for source in plan.uploads:
        rehash(source)
        assert source.path is not None
        paths.append(Path(source.path))
    return paths


def _relock(plan: Plan) -> None:
    for identifier, entry in plan.relock:
        if entry is None:
            plan.lock.forget(identifier)
        else:
            plan.lock.record(identifier, entry)


def _write_args(change: CharacterChange, known: Mapping[str, str]) -> dict[str, Any]:
    """Keyword arguments of the one write for `change`: files by the URL fal gave them, IDs and URLs as
    written in the manifest (fal resolves them); for an update, only the fields that differ."""
    entry = change.entry
    assert entry is not None
    refs = [known[s.key] if s.is_file else s.key for s in entry.references]
    cover = (
        None if entry.cover is None else (known[entry.cover.key] if entry.cover.is_file else entry.cover.key)
    )
    if change.action == "create" and entry.kind == "character":
        return {
            "name": entry.name,
            "description": entry.description,
            "reference_images": refs,
            "identifier": entry.identifier,
            "cover_image": cover,
        }
    if change.action == "create":
        return {
            "type": entry.kind,
            "name": entry.name,
            "handle": entry.identifier,
            "description": entry.description,
            "reference_images": refs,
            "cover_image": cover,
        }
    changed = {f.field for f in change.fields}
    return {
        "name": entry.name if "name" in changed else UNSET,
        "description": entry.description if "description" in changed else UNSET,
        "reference_images": refs if "reference_images" in changed else UNSET,
        "cover_image": cover if "cover_image" in changed else UNSET,
    }


def _done(
    plan: Plan, change: CharacterChange, character: Remote | None, known: Mapping[str, str]
) -> AppliedChange:
    if character is None:
        plan.lock.forget(change.identifier)
        assert change.character_id is not None
        return AppliedChange(change.action, change.identifier, change.character_id, change.kind)
    assert change.entry is not None
    plan.lock.record(change.identifier, lock_entry(change.entry, character, known))
    return AppliedChange(change.action, change.identifier, character.id, change.kind)


def apply_sync(
    client: FalAssets,
    plan: Plan,
    *,
    max_concurrency: int,
    on_progress: ProgressCallback | None,
    on_applied: OnApplied | None,
) -> ApplyResult:
    paths = _check_uploads(plan)
    known = dict(plan.known_urls)
    if paths:
        urls = client.files.upload_many(paths, on_progress=on_progress)
        uploaded = {s.key: url for s, url in zip(plan.uploads, urls, strict=True)}
        plan.lock.remember_uploads(uploaded)
        known.update(uploaded)
    _relock(plan)
    report = threading.Lock()
    stop = threading.Event()  # set by the first failure (or Ctrl-C): no new character starts after it
    applied: list[AppliedChange] = []

    def one(change: CharacterChange) -> None:
        if stop.is_set():
            return
        try:
            key = change.idempotency_key()
            resource = client.characters if change.kind == "character" else client.entities
            character: Remote | None = None
            if change.action == "create":
                character = resource.create(**_write_args(change, known), idempotency_key=key)
            elif change.action == "update":
                assert change.character_id is not None
                character = resource.update(
                    change.character_id, **_write_args(change, known), idempotency_key=key
                )
            else:
                assert change.character_id is not None
                with contextlib.suppress(NotFoundError):  # already gone: the goal is reached
                    resource.delete(change.character_id, idempotency_key=key)
            result = _done(plan, change, character, known)
            with report:
                applied.append(result)
                if on_applied is not None:
                    on_applied(result)
        except BaseException:
            stop.set()
            raise

    pool = ThreadPoolExecutor(max_workers=max_concurrency, thread_name_prefix="fal-assets-apply")
    try:
        futures: list[Future[None]] = [pool.submit(one, change) for change in plan.changes]
        wait(futures, return_when=FIRST_EXCEPTION)
        stop.set()  # writes in flight complete and are recorded; the rest are skipped
        wait(futures)
        for future in futures:
            error = future.exception()
            if error is not None:
                raise error
    finally:
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
    return ApplyResult(tuple(applied), len(paths))


async def apply_async(
    client: AsyncFalAssets,
    plan: Plan,
    *,
    max_concurrency: int,
    on_progress: ProgressCallback | None,
    on_applied: OnApplied | None,
) -> ApplyResult:
    paths = await asyncio.to_thread(_check_uploads, plan)
    known = dict(plan.known_urls)
    if paths:
        urls = await client.files.upload_many(paths, on_progress=on_progress)
        uploaded = {s.key: url for s, url in zip(plan.uploads, urls, strict=True)}
        await asyncio.to_thread(plan.lock.remember_uploads, uploaded)
        known.update(uploaded)
    await asyncio.to_thread(_relock, plan)
    gate = asyncio.Semaphore(max_concurrency)
    applied: list[AppliedChange] = []

    async def one(change: CharacterChange) -> None:
        async with gate:
            key = change.idempotency_key()
            resource = client.characters if change.kind == "character" else client.entities
            character: Remote | None = None
            if change.action == "create":
                character = await resource.create(**_write_args(change, known), idempotency_key=key)
            elif change.action == "update":
                assert change.character_id is not None
                character = await resource.update(
                    change.character_id, **_write_args(change, known), idempotency_key=key
                )
            else:
                assert change.character_id is not None
                with contextlib.suppress(NotFoundError):
                    await resource.delete(change.character_id, idempotency_key=key)
            result = await asyncio.to_thread(_done, plan, change, character, known)
            applied.append(result)
            if on_applied is not None:
                on_applied(result)

    # A TaskGroup cancels the others at the first failure; writes already sent finish as cancellation
    # allows, and every completed character is in the lock.
    try:
        async with asyncio.TaskGroup() as group:
            for change in plan.changes:
                group.create_task(one(change))
    except ExceptionGroup as failed:
        raise failed.exceptions[0] from None  # the same error the sync client raises
    return ApplyResult(tuple(applied), len(paths))
