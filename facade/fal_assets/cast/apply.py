"""`client.characters.plan(...)` and `.apply(plan)`: reading fal's state, and executing a `Plan`.

Reading uses paged `characters.iter` (never one GET per character; a few managed characters the listing
missed are confirmed with one, a bounded number whatever the lock holds), and a credential-free fetch of
the lock's URLs that the character does not hold yet (`fetch.py`). Applying uploads new content once
(each file hashed again as it is read, and refused with `SourceChangedError` unless it is what was
planned), then one `create` / `update` / `delete` per changed character, each with an idempotency key
derived from the entry, its content and the state it replaces. The whole of it runs under the manifest's
exclusive OS lock (`exclusive.py`). Each completed character is appended to the lock's journal, and the
lock is rewritten once at the end, so an interrupted apply loses at most the characters in flight;
rerunning it finds those on fal by identifier instead of creating them twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fal_assets_api.types import UNSET

from .._errors import NotFoundError, SourceChangedError, UploadError, ValidationError
from .._uploads.inputs import LocalFile
from .exclusive import exclusive
from .fetch import verified_async, verified_sync
from .lock import Lock
from .manifest import ENTITY_KINDS, Manifest, load_manifest
from .plan import CharacterChange, Plan, compute_plan, lock_entry, to_verify
from .plan_match import Remote

if TYPE_CHECKING:
    from .._client import AsyncFalAssets, FalAssets
    from .._uploads import ProgressCallback

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
# Managed characters the listing missed, confirmed one GET each; past this many, the listing is read once
# more instead, and what it still misses counts as gone (an invented lock cannot buy requests).
MAX_CONFIRMATIONS = 16
AllowPaths = tuple[str | os.PathLike[str], ...]


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


def _manifest(
    client: FalAssets | AsyncFalAssets, path: str | os.PathLike[str], allow: AllowPaths
) -> Manifest:
    return load_manifest(path, fal_hosts=client.config.fal_hosts, allow_paths=allow)


def _unlisted(manifest: Manifest, lock: Lock, remote: list[Remote]) -> list[tuple[str, str]]:
    """Ids the lock gives entries of the manifest that the listing did not return. Offset paging can skip
    a character when another is deleted meanwhile, and a skipped character would be recreated as a
    duplicate: each is confirmed (none in the steady state, where every managed character is listed).
    Entries not in the manifest need no confirmation: pruning a character the listing skipped waits for
    the next run."""
    listed = {c.id for c in remote}
    wanted = (lock.entries.get(e.identifier) for e in manifest.entries)
    return sorted({(e.id, e.kind) for e in wanted if e is not None and e.id not in listed})


def _has_entities(manifest: Manifest, lock: Lock) -> bool:
    """Whether props, environments, styles or scenes are involved: only then is the entity list read (a
    manifest of characters costs the requests it always did)."""
    kinds = [e.kind for e in manifest.entries] + [e.kind for e in lock.entries.values()]
    return any(kind != "character" for kind in kinds)


def _listing_sync(client: FalAssets, entities: bool) -> list[Remote]:
    remote: list[Remote] = list(client.characters.iter(page_size=_PAGE))
    if entities:
        remote += client.entities.iter(types=ENTITY_KINDS, page_size=_PAGE)
    return remote


async def _listing_async(client: AsyncFalAssets, entities: bool) -> list[Remote]:
    remote: list[Remote] = [c async for c in client.characters.iter(page_size=_PAGE)]
    if entities:
        remote += [e async for e in client.entities.iter(types=ENTITY_KINDS, page_size=_PAGE)]
    return remote


def plan_sync(
    client: FalAssets, manifest_path: str | os.PathLike[str], *, prune: bool, allow_paths: AllowPaths = ()
) -> Plan:
    manifest = _manifest(
        client, manifest_path, allow_paths
    )  # every local problem surfaces before any request
    lock = Lock.read(manifest.lock_path)
    entities = _has_entities(manifest, lock)
    remote = _listing_sync(client, entities)
    missing = _unlisted(manifest, lock, remote)
    if len(missing) > MAX_CONFIRMATIONS:
        remote += _listing_sync(client, entities)
        missing = []

    def confirm(wanted: tuple[str, str]) -> Remote | None:
        cid, kind = wanted
        try:
            return client.characters.get(cid) if kind == "character" else client.entities.get(cid)
        except NotFoundError:
            return None

    with ThreadPoolExecutor(max_workers=DEFAULT_CONCURRENCY) as pool:
        remote += [c for c in pool.map(confirm, missing) if c is not None]
    verified = verified_sync(client, to_verify(manifest, lock, remote))
    return compute_plan(manifest, lock, remote, prune=prune, verified=verified)


async def plan_async(
    client: AsyncFalAssets,
    manifest_path: str | os.PathLike[str],
    *,
    prune: bool,
    allow_paths: AllowPaths = (),
) -> Plan:
    manifest = await asyncio.to_thread(_manifest, client, manifest_path, allow_paths)
    lock = await asyncio.to_thread(Lock.read, manifest.lock_path)
    entities = _has_entities(manifest, lock)
    remote = await _listing_async(client, entities)
    missing = _unlisted(manifest, lock, remote)
    if len(missing) > MAX_CONFIRMATIONS:
        remote += await _listing_async(client, entities)
        missing = []
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

    found = await asyncio.gather(*(confirm(wanted) for wanted in missing))
    remote += [c for c in found if c is not None]
    verified = await verified_async(client, to_verify(manifest, lock, remote))
    return compute_plan(manifest, lock, remote, prune=prune, verified=verified)


def _begin(plan: Plan) -> list[LocalFile]:
    """Under the OS lock: refuse a stale plan before anything is sent, fold in a crashed run's journal;
    return the files to upload, each with the sha256 it was planned with."""
    if plan.lock.applied or plan.lock.changed_on_disk():
        raise ValidationError(
            f"{plan.lock.path} changed since this plan was made (it was applied already, or another apply "
            "ran); make a new plan"
        )
    plan.lock.applied = True
    if plan.lock.journal_path.exists():
        plan.lock.compact()
    files = []
    for source in plan.uploads:
        assert source.path is not None
        assert source.size is not None
        files.append(LocalFile(source.label, source.label, source.path, source.size, source.sha256))
    return files


def _unwrapped(error: UploadError) -> BaseException:
    """A planned file that changed while it was sent is that file's `SourceChangedError`."""
    changed = [e for e in error.errors if isinstance(e, SourceChangedError)]
    return changed[0] if changed else error


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
    with exclusive(plan.lock.path):
        files = _begin(plan)
        try:
            return _apply_sync(client, plan, files, max_concurrency, on_progress, on_applied)
        finally:
            plan.lock.compact()


def _apply_sync(
    client: FalAssets,
    plan: Plan,
    files: list[LocalFile],
    max_concurrency: int,
    on_progress: ProgressCallback | None,
    on_applied: OnApplied | None,
) -> ApplyResult:
    uploaded: dict[str, str] = {}
    if files:
        try:
            urls = client._api.uploads.upload_sources(files, on_progress=on_progress)
        except UploadError as exc:
            raise _unwrapped(exc) from None
        uploaded = {s.key: url for s, url in zip(plan.uploads, urls, strict=True)}
        plan.lock.remember_uploads(uploaded)
    _relock(plan)
    report = threading.Lock()
    stop = threading.Event()  # set by the first failure (or Ctrl-C): no new character starts after it
    applied: list[AppliedChange] = []

    def one(change: CharacterChange) -> None:
        if stop.is_set():
            return
        try:
            key = change.idempotency_key()
            known = {**uploaded, **change.known}  # what the plan showed wins over a fresh upload
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
    return ApplyResult(tuple(applied), len(files))


async def apply_async(
    client: AsyncFalAssets,
    plan: Plan,
    *,
    max_concurrency: int,
    on_progress: ProgressCallback | None,
    on_applied: OnApplied | None,
) -> ApplyResult:
    with exclusive(plan.lock.path):
        files = await asyncio.to_thread(_begin, plan)
        try:
            return await _apply_async(client, plan, files, max_concurrency, on_progress, on_applied)
        finally:
            await asyncio.to_thread(plan.lock.compact)


async def _apply_async(
    client: AsyncFalAssets,
    plan: Plan,
    files: list[LocalFile],
    max_concurrency: int,
    on_progress: ProgressCallback | None,
    on_applied: OnApplied | None,
) -> ApplyResult:
    uploaded: dict[str, str] = {}
    if files:
        try:
            urls = await client._api.uploads.upload_sources(files, on_progress=on_progress)
        except UploadError as exc:
            raise _unwrapped(exc) from None
        uploaded = {s.key: url for s, url in zip(plan.uploads, urls, strict=True)}
        await asyncio.to_thread(plan.lock.remember_uploads, uploaded)
    await asyncio.to_thread(_relock, plan)
    gate = asyncio.Semaphore(max_concurrency)
    applied: list[AppliedChange] = []

    async def one(change: CharacterChange) -> None:
        async with gate:
            key = change.idempotency_key()
            known = {**uploaded, **change.known}  # what the plan showed wins over a fresh upload
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
    return ApplyResult(tuple(applied), len(files))
