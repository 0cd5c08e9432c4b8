"""The lock's strict schema: a well-formed lock and journal are read back exactly; anything else (types,
versions, keys, duplicates by folding, ids, URLs, hidden characters, torn or bad journal lines) is a
LockError naming the file, with nothing coerced."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fal_assets import ValidationError
from fal_assets.cast.lock_schema import LockedImage, LockEntry, LockError, parse_journal, parse_lock

from tests.support import SEED_ID

PATH = Path("cast.lock")
URL = "https://v3.fal.media/files/b/x/a.png"
SHA = "sha256:" + "ab" * 32
IMAGE = {"source": "refs/a.png", "url": URL}


def entry(**changes: Any) -> dict[str, Any]:
    return {
        "id": SEED_ID,
        "updated_at": "2026-09-01T00:00:00Z",
        "references": [IMAGE],
        "cover": None,
        **changes,
    }


def lock(**changes: Any) -> bytes:
    raw: dict[str, Any] = {"version": 1, "characters": {"alice": entry()}, **changes}
    return json.dumps(raw).encode()


def test_a_good_lock_is_read_back_exactly() -> None:
    data = lock(entities={"castle": entry(type="environment", cover=IMAGE)}, uploads={SHA: URL})
    entries, uploads = parse_lock(data, PATH)
    assert entries["alice"] == LockEntry(
        SEED_ID, "2026-09-01T00:00:00Z", (LockedImage("refs/a.png", URL),), None
    )
    assert entries["castle"].kind == "environment" and entries["castle"].cover == LockedImage(
        "refs/a.png", URL
    )
    assert entries["castle"].to_dict() == entry(type="environment", cover=IMAGE)
    assert entries["alice"].to_dict() == entry()
    assert uploads == {SHA: URL}


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"\xff\xfe", "not UTF-8"),
        (b"[]", "top level"),
        (lock(version=2), "unsupported version"),
        (lock(version=True), "unsupported version"),
        (lock(version="1"), "unsupported version"),
        (lock(extra=1), "unknown key"),
        (lock(characters=[]), "'characters' must be an object"),
        (b'{"version": 1, "version": 1, "characters": {}}', "duplicate key 'version'"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (lock(characters={"alice": entry(), "ALICE": entry()}), "same identifier"),
        (lock(characters={"alice": entry(type="prop")}), "belongs under 'entities'"),
        (lock(entities={"castle": entry()}), "'type' must be one of"),
        (lock(entities={"castle": entry(type="planet")}), "type must be one of"),
        (lock(characters={"alice": entry(id="../x")}), "id:"),
        (lock(characters={"alice": entry(colour="red")}), "expected keys"),
        (lock(characters={"alice": [1]}), "must be an object"),
        (lock(characters={"alice": entry(updated_at=5)}), "updated_at"),
        (lock(characters={"alice": entry(updated_at="x\x1b[2K")}), "updated_at"),
        (lock(characters={"alice": entry(references=[IMAGE] * 21)}), "at most"),
        (lock(characters={"alice": entry(references=[{"source": "a", "url": URL, "x": 1}])}), "exactly"),
        (lock(characters={"alice": entry(references=[{"source": "", "url": URL}])}), "source"),
        (lock(characters={"alice": entry(references=[{"source": "a", "url": "file:///etc"}])}), "url must"),
        (lock(characters={"alice": entry(cover={"source": "a", "url": URL + "\u202e"})}), "url must"),
        (lock(characters={"al\u202eice": entry()}), "character"),
        (lock(uploads={"md5:00": URL}), "sha256:<hex>"),
        (lock(uploads={SHA: "javascript:alert(1)"}), "url must"),
        (lock(uploads=[]), "'uploads' must be an object"),
    ],
)
def test_a_bad_lock_is_refused_naming_the_file(data: bytes, problem: str) -> None:
    with pytest.raises(LockError) as caught:
        parse_lock(data, PATH)
    assert isinstance(caught.value, ValidationError)
    assert str(caught.value).startswith("cast.lock: not a valid lock file") and problem in str(caught.value)


def test_a_journal_replays_records_forgets_and_uploads() -> None:
    entries, uploads = parse_lock(lock(), PATH)
    lines = [
        {"record": "bob", "entry": entry()},
        {"forget": "alice"},
        {"uploads": {SHA: URL}},
        {"record": "bob", "entry": entry(updated_at="later")},
    ]
    data = b"".join(json.dumps(line).encode() + b"\n" for line in lines) + b"\n" + b'{"forget": "bo'
    parse_journal(data, PATH, entries, uploads)
    assert set(entries) == {"bob"} and entries["bob"].updated_at == "later"  # the torn last line is ignored
    assert uploads == {SHA: URL}


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (b"[1]", "a line must be an object"),
        (b'{"record": "bob"}', "unknown record"),
        (b'{"record": "carol", "entry": []}', "must be an object"),
        (b'{"record": "Alice", "entry": {}}', "same identifier"),
        (b"not json", "not JSON"),
    ],
)
def test_a_bad_journal_line_refuses_the_journal(line: bytes, problem: str) -> None:
    entries, uploads = parse_lock(lock(), PATH)
    with pytest.raises(LockError, match="line 2: not a valid lock journal") as caught:
        parse_journal(b'{"forget": "nobody"}\n' + line + b"\n", PATH, entries, uploads)
    assert problem in str(caught.value)


def test_a_journal_cannot_add_a_look_alike_identifier() -> None:
    entries, uploads = parse_lock(lock(), PATH)
    record = (
        json.dumps({"record": "bob", "entry": entry()})
        + "\n"
        + json.dumps({"record": "ＢＯＢ", "entry": entry()})
    )
    with pytest.raises(LockError, match="same identifier"):
        parse_journal(record.encode() + b"\n", PATH, entries, uploads)
