"""Repository text on its way to a terminal or fal: unsafe characters found, escaped for printing, refused in
labels; identifiers folded so look-alike spellings are one."""

from __future__ import annotations

import pytest
from fal_assets import ValidationError
from fal_assets._core import text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Alice", "Alice"),
        ("été ☃", "été ☃"),
        ("a\x1b[2Kb", "a\\x1b[2Kb"),  # an escape sequence cannot erase the line
        ("fake\rline\n", "fake\\x0dline\\x0a"),
        ("del\x7f c1\x85", "del\\x7f c1\\x85"),
        ("evil\u202etxt.exe", "evil\\u202etxt.exe"),  # Trojan Source: a bidi override
        ("para\u2029graph", "para\\u2029graph"),
        ("back\\slash", "back\\\\slash"),  # so an escape shown is never ambiguous
        ("bad\udcffname", "bad\\udcffname"),  # a lone surrogate (an undecodable file name)
    ],
)
def test_printable_escapes_what_could_fake_a_terminal(raw: str, shown: str) -> None:
    assert text.printable(raw) == shown
    assert text.unsafe_character(text.printable(raw)) is None


def test_printable_takes_any_value() -> None:
    assert text.printable(42) == "42"
    assert text.printable(ValueError("x\ny")) == "x\\x0ay"


def test_unsafe_character_is_the_first_one() -> None:
    assert text.unsafe_character("ok") is None
    assert text.unsafe_character("a\u200fb\x00") == "\u200f"
    assert text.unsafe_character("tab\there") == "\t"


def test_checked_label_refuses_control_and_bidi_characters() -> None:
    assert text.checked_label("Alice (v2)", field="name") == "Alice (v2)"
    for bad in ("a\x00b", "a\u2066b", "a\nb"):
        with pytest.raises(ValidationError, match="U\\+") as caught:
            text.checked_label(bad, field="name")
        assert caught.value.field == "name"


def test_fold_makes_look_alike_identifiers_one() -> None:
    spellings = ["Alice", "alice", "ALICE", "a\u0301lice".replace("a\u0301", "a"), "ａｌｉｃｅ"]
    assert {text.fold(s) for s in spellings} == {"alice"}
    assert text.fold("e\u0301") == text.fold("\u00e9") == text.fold("\u00c9")
    assert text.fold("Straße") == text.fold("STRASSE")
    assert text.fold("alice") != text.fold("alicia")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("https://user:token@v3.fal.media/x.png", "https://***@v3.fal.media/x.png"),
        ("'file://:pw@localhost/a'", "'file://***@localhost/a'"),  # a repr, quotes and all
        ("http://u:p@ss@evil.example/x", "http://***@evil.example/x"),  # urlsplit's host: after the last @
        ("see https://a:b@h1/ and HTTPS://c:d@h2/", "see https://***@h1/ and HTTPS://***@h2/"),
        ("https://h/p@q?next=a@b#c@d", "https://h/p@q?next=a@b#c@d"),  # an @ after the host is not userinfo
        ("mail me at a@b.example", "mail me at a@b.example"),
        ("https://host and then user@x", "https://host and then user@x"),
    ],
)
def test_without_credentials_hides_every_urls_userinfo_and_nothing_else(raw: str, shown: str) -> None:
    assert text.without_credentials(raw) == shown
