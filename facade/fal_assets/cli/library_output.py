"""Human-readable output of the library commands (`--json` prints the models' `to_dict()` instead)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._core.text import printable
from .output import _clip

__all__ = ["table", "text"]


def table(header: Sequence[str], rows: Sequence[Sequence[str]], empty: str) -> str:
    if not rows:
        return empty
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()

    return "\n".join([line(header), *(line(row) for row in rows)])


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}"
    return printable(getattr(value, "value", value))  # names and URLs come from fal: escaped


def assets_table(assets: Sequence[Any], *, similarity: bool = False) -> str:
    header = ["ASSET ID", "TYPE", "FAV", "TITLE", "URL"]
    if similarity:
        header.insert(1, "SIMILARITY")
    rows = []
    for a in assets:
        row = [
            _cell(a.asset_id),
            _cell(a.type_),
            "yes" if a.is_favorited else "-",
            _clip(a.title, 40),
            _cell(a.url),
        ]
        if similarity:
            row.insert(1, _cell(a.similarity))
        rows.append(row)
    return table(header, rows, "no assets")


def collections_table(collections: Sequence[Any]) -> str:
    rows = [
        [
            c.id,
            _cell(c.type_),
            "yes" if c.is_favorited else "-",
            _clip(c.name, 40),
            _cell(c.parent_collection_id),
        ]
        for c in collections
    ]
    return table(["ID", "TYPE", "FAV", "NAME", "PARENT"], rows, "no collections")


def tags_table(tags: Sequence[Any]) -> str:
    return table(["ID", "NAME"], [[t.id, t.name] for t in tags], "no tags")


def text(model: Any) -> str:
    """One model as `key: value` lines (nested values in JSON)."""
    import json

    data = model.to_dict()
    width = max((len(key) for key in data), default=0) + 1
    lines = []
    for key, value in data.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        lines.append(f"{key + ':':<{width}} {shown}")
    return "\n".join(lines)
