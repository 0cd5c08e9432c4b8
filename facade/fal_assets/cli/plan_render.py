"""A `Plan` as text for people: what `fal-assets plan` prints, a diff per character, images by content.

Every name, identifier, path, URL and note comes from the manifest, the lock or fal, so each goes through
`printable`: an escape sequence or a line break in a name cannot erase or fake a line of the plan."""

from __future__ import annotations

import difflib
from typing import Any

from .._core.text import printable
from ..cast.plan import CharacterChange, FieldChange, Plan
from .output import human_size

__all__ = ["format_plan", "summary_line"]

_MARKS = {"create": "+", "update": "~", "delete": "-"}


def summary_line(plan: Plan) -> str:
    uploads = plan.uploads
    files = f", {len(uploads)} file(s) to upload ({human_size(sum(s.size or 0 for s in uploads))})"
    return (
        f"Plan: {plan.count('create')} to create, {plan.count('update')} to update, "
        f"{plan.count('delete')} to delete, {len(plan.unchanged)} unchanged"
        + (files if uploads else "")
        + "."
    )


def format_plan(plan: Plan) -> str:
    lines = [f"manifest: {printable(plan.manifest.path)}", f"lock:     {printable(plan.lock.path)}", ""]
    if not plan.changes:
        lines.append("No changes: fal matches the manifest.")
    for change in plan.changes:
        lines.extend(_change(change))
        lines.append("")
    if plan.uploads:
        lines.append("Uploads:")
        shown = [(printable(s.shown), s.size) for s in plan.uploads]
        width = max(len(label) for label, _ in shown)
        lines.extend(f"  {label.ljust(width)}  {human_size(size or 0)}" for label, size in shown)
        lines.append("")
    if plan.unmanaged_in_lock:
        names = ", ".join(printable(name) for name in plan.unmanaged_in_lock)
        lines.append(f"In the lock but not in the manifest, kept (--prune deletes them): {names}")
        lines.append("")
    lines.append(summary_line(plan))
    return "\n".join(lines)


def _change(change: CharacterChange) -> list[str]:
    # A character reads as it always did; other kinds name theirs: "+ create prop skiff".
    kind = "" if change.kind == "character" else f"{change.kind} "
    head = f"{_MARKS[change.action]} {change.action} {kind}{printable(change.identifier)}"
    if change.character_id:
        head += f" ({printable(change.character_id)})"
    if change.drift:
        head += "  [drift: changed on fal since the last apply; apply restores the manifest's version]"
    lines = [head]
    if change.note:
        lines.append(f"    note: {printable(change.note)}")
    sizes = {s.key: s.size for s in change.uploads}
    for field in change.fields:
        lines.extend(_field(field, sizes, deleting=change.action == "delete"))
    return lines


def _quote(value: object) -> str:
    return "(none)" if value is None else printable(repr(value))


def _field(field: FieldChange, sizes: dict[str, int | None], *, deleting: bool) -> list[str]:
    if field.field == "reference_images":
        lines = ["    reference_images:"]
        lines.extend(f"      {line}" for line in _image_diff(field.before, field.after, sizes))
        return lines
    if field.field == "cover_image":
        before = "(none)" if field.before is None else _image(field.before, sizes)
        return [f"    cover_image: {before} → {_image(field.after, sizes)}"]
    if deleting:
        return [f"    {field.field}: {_quote(field.before)}"]
    if field.before is None:
        return [f"    {field.field}: {_quote(field.after)}"]
    return [f"    {field.field}: {_quote(field.before)} → {_quote(field.after)}"]


def _key(image: dict[str, Any]) -> str:
    return str(image.get("source") or image.get("url"))


def _image(image: dict[str, Any], sizes: dict[str, int | None]) -> str:
    source = image.get("source")
    label = image.get("label")
    if label is not None and image.get("target"):
        label = f"{label} -> {image['target']}"  # a symlink: what is really uploaded
    if label is None:  # a remote image: named by what the lock knows of it, else by its URL
        short = source[:19] + "…" if source and source.startswith("sha256:") else source
        label = f"{image['url']}" if not short else f"{short} ({image['url']})"
    label = printable(label)
    key = _key(image)
    if key in sizes:
        return f"{label}  ({human_size(sizes[key] or 0)}, to upload)"
    if image.get("url") is None and source and not source.startswith("sha256:"):
        return f"{label}  (fal resolves it)"
    return str(label)


def _image_diff(
    before: list[dict[str, Any]], after: list[dict[str, Any]], sizes: dict[str, int | None]
) -> list[str]:
    """Images compared by content (their lock source), not by URL or file name."""
    old = [_key(i) for i in before]
    new = [_key(i) for i in after]
    lines: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            lines.extend(f"  {_image(i, sizes)}" for i in after[j1:j2])
            continue
        lines.extend(f"- {_image(i, sizes)}" for i in before[i1:i2])
        lines.extend(f"+ {_image(i, sizes)}" for i in after[j1:j2])
    return lines
