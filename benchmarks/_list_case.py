"""Benchmark case `list_page`: one 100-asset `listAssets` page, read by the facade vs raw httpx (issue 20).

Both contenders talk to the same `httpx.MockTransport` (no socket, no server): what is measured is the
client's own cost of a list reply, which is where tolerant reading lives. The raw baseline sends the same GET
and `json.loads` the same bytes; the facade also builds the request from the generated client, runs its
engine, and reads every asset into the generated `Asset` model (tolerantly, and strictly for comparison).
Contenders alternate in blocks inside one process, so other load on the machine weighs on them alike; the
ratio is the median of per-block ratios, and the tail is the 95th percentile of single calls.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from benchmarks._report import CaseResult, Verdict, micros, times
from benchmarks._sizes import Sizes
from benchmarks._stats import Summary

LIST_TARGET = 2.0
PAGE_ASSETS = 100
BASE_URL = "http://127.0.0.1:9/v1"  # never reached: the mock transport answers
CONTENDERS = {
    "facade": "`client.assets.list(limit=100)` (tolerant, the default)",
    "facade_strict": "the same, `strict_response_validation=True`",
    "raw": "raw httpx GET + `json.loads`",
}


def page_body(count: int = PAGE_ASSETS) -> bytes:
    """A listAssets page as fal sends it: `count` distinct assets with one tag each, every field set."""
    assets = [
        {
            "asset_id": f"d8b6elcregj72v34jr{i:04d}",
            "vector_id": f"b1a2b4a5-cb89-51dc-a108-{i:012d}",
            "request_id": f"019e6d0a-e5be-7b82-b329-{i:012d}",
            "url": f"https://v3b.fal.media/files/b/0a9b4900/asset-{i}.png",
            "type": "image",
            "title": f"Portrait {i}",
            "endpoint": "fal-ai/flux/dev",
            "created_at": "2026-05-23T20:00:00.000Z",
            "source": "generation",
            "prompt": "cinematic portrait, red hair, blue jacket",
            "width": 1024,
            "height": 1024,
            "content_type": "image/png",
            "is_favorited": i % 3 == 0,
            "collection_ids": ["d8b6elcregj72v34jr8g"],
            "tags": [{"id": "t1", "name": "people", "created_at": "2026-05-23T20:00:00.000Z"}],
            "similarity": None,
        }
        for i in range(count)
    ]
    page = {
        "assets": assets,
        "next_cursor": "Mg==",
        "has_more": True,
        "total_count": 1000,
        "scope_truncated": False,
    }
    return json.dumps(page).encode()


def _transport(body: bytes) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    return httpx.MockTransport(handler)


def _calls(body: bytes) -> tuple[dict[str, Callable[[], Any]], Callable[[], None]]:
    from fal_assets import FalAssets

    facade_http = httpx.Client(transport=_transport(body))
    strict_http = httpx.Client(transport=_transport(body))
    raw_http = httpx.Client(transport=_transport(body))
    facade = FalAssets(api_key="bench-key", base_url=BASE_URL, http_client=facade_http)
    strict = FalAssets(
        api_key="bench-key", base_url=BASE_URL, http_client=strict_http, strict_response_validation=True
    )
    headers = {"Authorization": "Key bench-key"}
    url = f"{BASE_URL}/assets"

    def raw() -> Any:
        return json.loads(raw_http.get(url, params={"limit": PAGE_ASSETS}, headers=headers).content)

    def close() -> None:
        for client in (facade, strict):
            client.close()
        for http in (facade_http, strict_http, raw_http):
            http.close()

    return {
        "facade": lambda: facade.assets.list(limit=PAGE_ASSETS),
        "facade_strict": lambda: strict.assets.list(limit=PAGE_ASSETS),
        "raw": raw,
    }, close


def measure(sizes: Sizes) -> dict[str, Any]:
    body = page_body()
    calls, close = _calls(body)
    try:
        # Checked once: both read the page in full (the facade into 100 Asset models).
        assert len(calls["facade"]().assets) == PAGE_ASSETS
        assert len(calls["facade_strict"]().assets) == PAGE_ASSETS
        assert len(calls["raw"]()["assets"]) == PAGE_ASSETS
        block = 5 if sizes.quick else 50
        rounds = 2 if sizes.quick else 40
        singles: dict[str, list[float]] = {name: [] for name in calls}
        blocks: dict[str, list[float]] = {name: [] for name in calls}
        order = list(calls)
        for _ in range(block):  # warm-up
            for run in calls.values():
                run()
        gc.collect()
        for round_ in range(rounds):
            for name in order[round_ % 3 :] + order[: round_ % 3]:
                run = calls[name]
                started = time.perf_counter()
                for _ in range(block):
                    call_started = time.perf_counter()
                    run()
                    singles[name].append(time.perf_counter() - call_started)
                blocks[name].append((time.perf_counter() - started) / block)
        return {"blocks": blocks, "singles": singles, "bytes": len(body), "cause": _profile(calls["facade"])}
    finally:
        close()


def _profile(call: Callable[[], Any], calls: int = 20) -> str:
    """Where the facade's time per page goes: the functions with the most own time under cProfile."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        call()
    profiler.disable()
    stats: dict[Any, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(row[2] for row in stats.values()) or 1.0
    top = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:4]
    parts = [f"{Path(key[0]).name}:{key[2]} {row[2] / total:.0%}" for key, row in top]
    return f"own time under cProfile ({calls} pages): " + ", ".join(parts)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def case_list_page(sizes: Sizes, workdir: Path) -> CaseResult:
    result = measure(sizes)
    blocks: dict[str, list[float]] = result["blocks"]
    singles: dict[str, list[float]] = result["singles"]
    ratio = {
        name: Summary.of([a / b for a, b in zip(blocks[name], blocks["raw"], strict=True)])
        for name in ("facade", "facade_strict")
    }
    rows = []
    for name, label in CONTENDERS.items():
        per_call = Summary.of(blocks[name]).median
        low, high = ratio[name].iqr if name in ratio else (1.0, 1.0)
        rows.append(
            [
                label,
                micros(per_call),
                micros(_p95(singles[name])),
                micros(per_call / PAGE_ASSETS),
                f"{times(ratio[name].median)} ({times(low)}–{times(high)})" if name in ratio else "—",
            ]
        )
    value = ratio["facade"].median
    return CaseResult(
        key="list_page",
        title=f"One {PAGE_ASSETS}-asset `listAssets` page, facade vs raw httpx (mock transport)",
        setup=(
            f"A {result['bytes']:,}-byte page of {PAGE_ASSETS} assets (every field set, one tag each) "
            "served by `httpx.MockTransport` to every contender, in one process: blocks of calls alternating "
            "between contenders (order rotated per round). Per call: the median block average; tail: the "
            "95th percentile of single calls; ratio: the median (and IQR) of per-round block ratios to raw."
        ),
        columns=["contender", "per page, median", "per page, p95", "per asset", "÷ raw (paired, IQR)"],
        rows=rows,
        verdicts=[
            Verdict(
                f"{CONTENDERS['facade']} ≤ {LIST_TARGET:.1f}× raw",
                times(value),
                value <= LIST_TARGET,
                "" if value <= LIST_TARGET else result["cause"],
            )
        ],
        notes=[
            "The facade's extra work per page: the request built by the generated client, the engine's "
            "attempt (deadline, retry policy, reply cap), and reading 100 `Asset` and 100 `Tag` models with "
            "one class check per field (generated `from_reply`, scripts/templates/reply_model.py.jinja).",
        ],
    )
