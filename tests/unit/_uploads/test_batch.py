"""`_uploads/batch.py`: the per-client registry of uploads, a bounded LRU with single-flight claims."""

from __future__ import annotations

from fal_assets._uploads.batch import Registry

# -- the cache ------------------------------------------------------------------------------------------


def _claimed(outcome: str | tuple[object, bool]) -> tuple[object, bool]:
    assert isinstance(outcome, tuple), outcome
    return outcome


def test_registry_is_a_bounded_lru_with_single_flight_claims() -> None:
    registry: Registry[object] = Registry(max_entries=2)
    future, mine = _claimed(registry.claim("a", object))
    assert mine
    again, mine_too = _claimed(registry.claim("a", object))
    assert again is future and not mine_too
    registry.finish("a", future, "url-a")
    assert registry.claim("a", object) == "url-a"
    for key in ("b", "c"):
        claimed, _ = _claimed(registry.claim(key, object))
        registry.finish(key, claimed, f"url-{key}")
    assert len(registry) == 2 and registry.cached("a") is None and registry.cached("c") == "url-c"
    failed, _ = _claimed(registry.claim("d", object))
    registry.finish("d", failed, None)
    assert registry.cached("d") is None and _claimed(registry.claim("d", object))[0] is not failed
