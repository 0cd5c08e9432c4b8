"""Content types of upload inputs (name first, then the first bytes) and the names derived from them; the
system's MIME tables load once however many threads ask first."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from fal_assets._uploads.content_types import content_type_for, derived_name, sniff_content_type

from tests import paths

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 8
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 "
GIF = b"GIF89a" + b"\x00" * 8


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (WEBP, "image/webp"),
        (GIF, "image/gif"),
        (b"GIF87a..", "image/gif"),
    ],
)
def test_image_signatures_are_recognised(head: bytes, expected: str) -> None:
    assert sniff_content_type(head) == expected


@pytest.mark.parametrize("head", [b"", b"\x89PN", b"RIFF\x00\x00\x00\x00WAVE", b"%PDF-1.7", b"GIF90a"])
def test_other_bytes_are_not_taken_for_an_image(head: bytes) -> None:
    assert sniff_content_type(head) is None


def test_the_name_decides_then_the_bytes_then_octet_stream() -> None:
    assert content_type_for("photo.png", JPEG) == "image/png"  # the name wins
    assert content_type_for("notes.txt", PNG) == "text/plain"
    assert content_type_for("no-extension", PNG) == "image/png"  # no type from the name: sniffed
    assert content_type_for(None, WEBP) == "image/webp"
    assert content_type_for("", b"plain bytes") == "application/octet-stream"


def test_derived_names_carry_the_hash_and_an_extension_for_the_type() -> None:
    sha = "0123456789abcdef" * 4
    assert derived_name(sha, "image/png") == "upload-01234567.png"
    assert derived_name(sha, "image/jpeg") == "upload-01234567.jpg"
    assert derived_name(sha, "application/pdf") == "upload-01234567.pdf"
    assert derived_name(sha, "application/x-unknown-to-anyone") == "upload-01234567.bin"


def test_the_tables_load_once_when_many_threads_ask_at_the_same_time() -> None:
    """Without the lock, each thread that made the first lookup loaded /etc/mime.types (6 of 20 did)."""
    script = textwrap.dedent(
        """
        import mimetypes, threading
        loads = []
        original = mimetypes.init
        def counting_init(*args, **kwargs):
            loads.append(1)
            return original(*args, **kwargs)
        mimetypes.init = counting_init
        from fal_assets._uploads.content_types import content_type_for
        start = threading.Barrier(20)
        def lookup(i):
            start.wait()
            assert content_type_for(f"file-{i}.png", b"") == "image/png"
        threads = [threading.Thread(target=lookup, args=(i,)) for i in range(20)]
        for t in threads: t.start()
        for t in threads: t.join()
        print(len(loads))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=paths.ROOT, check=True
    )
    assert result.stdout.strip() == "1"
