"""A small cast of characters on disk, for the plan/apply tests (typed: checked with the facade)."""

from __future__ import annotations

import collections
from pathlib import Path

from fal_assets.cli.demo import gradient_png
from fal_assets.testing import FakeFal

VECTOR_ID = "019e6d0a-e5be-7b82-b329-35ae64296902"
WRITES = frozenset({"createAssetCharacter", "updateAssetCharacter", "deleteAssetCharacter"})
UPLOADS = frozenset({"storageToken", "cdnUpload", "multipartInitiate", "multipartPart", "presignedPut"})

MANIFEST = """\
# characters.toml
[[character]]
identifier = "alice"
name = "Alice"
description = "Red hair, blue jacket, freckles"
references = ["alice/"]
cover = "covers/alice.png"

[[character]]
identifier = "bob"
name = "Bob"
description = "Tall, grey beard"
references = ["bob/front.png", "bob/side.png", "{vector}"]
"""


def write_cast(root: Path) -> Path:
    """alice/ (two images), bob/front.png and bob/side.png, covers/alice.png, and characters.toml."""
    for folder in ("alice", "bob", "covers"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "alice" / "1.png").write_bytes(gradient_png((220, 40, 40), size=12))
    (root / "alice" / "2.png").write_bytes(gradient_png((220, 140, 40), size=13))
    (root / "bob" / "front.png").write_bytes(gradient_png((40, 40, 220), size=14))
    (root / "bob" / "side.png").write_bytes(gradient_png((40, 140, 220), size=15))
    (root / "covers" / "alice.png").write_bytes(gradient_png((200, 0, 200), size=16))
    manifest = root / "characters.toml"
    manifest.write_text(MANIFEST.replace("{vector}", VECTOR_ID))
    return manifest


def write_many(root: Path, count: int) -> Path:
    """`count` characters sharing one image folder each of one small PNG (distinct content per character)."""
    lines = []
    for i in range(count):
        folder = root / f"c{i:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "ref.png").write_bytes(gradient_png((i % 256, (i // 256) % 256, 99), size=4))
        lines += [
            "[[character]]",
            f'identifier = "c{i:04d}"',
            f'name = "Character {i}"',
            f'description = "Character number {i}"',
            f'references = ["c{i:04d}/"]',
            "",
        ]
    manifest = root / "characters.toml"
    manifest.write_text("\n".join(lines))
    return manifest


def writes(fake: FakeFal) -> collections.Counter[str]:
    counts = fake.counts
    return collections.Counter({op: n for op, n in counts.items() if op in WRITES})


def uploads(fake: FakeFal) -> collections.Counter[str]:
    counts = fake.counts
    return collections.Counter({op: n for op, n in counts.items() if op in UPLOADS})


def by_identifier(fake: FakeFal) -> dict[str, list[str]]:
    found: dict[str, list[str]] = collections.defaultdict(list)
    for cid, character in fake.characters.items():
        found[str(character["character_identifier"])].append(cid)
    return dict(found)
