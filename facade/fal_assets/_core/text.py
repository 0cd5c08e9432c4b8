"""Text that came from a repository (manifest, lock, file names) on its way to a terminal or to fal.

One escaping function for everything printed for a person (`printable`), one rule for the names of
things a manifest manages (`checked_label`), and one comparison key for identifiers (`fold`). They are
kind-agnostic, so that every `[[kind]]` of a manifest uses the same ones.
"""

from __future__ import annotations

import re
import unicodedata

from .._errors import ValidationError

__all__ = ["checked_label", "fold", "printable", "unsafe_character", "without_credentials"]

# A URL's userinfo: everything between "scheme://" and the last "@" before the path, query or fragment
# (urlsplit's own rule, so "user:p@ss@host" loses "user:p@ss", not just "user:p").
_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/?#\s]*@")

# Bidirectional overrides and isolates reorder what follows them on screen ("Trojan Source").
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Line and paragraph separators end a line in many terminals and editors.
_BREAKS = frozenset("\u2028\u2029\x85")


def unsafe_character(text: str) -> str | None:
    """The first character that must never reach a terminal unescaped: C0/C1 controls, DEL, bidi
    controls, line separators, lone surrogates (an undecodable file name). None when there is none."""
    for ch in text:
        code = ord(ch)
        if code < 0x20 or 0x7F <= code < 0xA0 or ch in _BIDI or ch in _BREAKS or 0xD800 <= code < 0xE000:
            return ch
    return None


def printable(value: object) -> str:
    """`value` as text safe to print: every unsafe character (see `unsafe_character`) and backslash
    shown as a Python-style escape, so `ESC[2K`, `\\r` or `\\n` in a name cannot erase or fake a line."""
    text = str(value)
    if unsafe_character(text) is None and "\\" not in text:
        return text
    out: list[str] = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif unsafe_character(ch) is not None:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def without_credentials(text: str) -> str:
    """`text` with the userinfo of every URL in it shown as `***`: error messages quote what they refuse,
    and `https://user:token@host/...` must not carry the token into a log or a traceback."""
    return _USERINFO.sub(r"\g<scheme>***@", text)


def checked_label(value: str, *, field: str) -> str:
    """An identifier or a name as a person will read it: no NUL, control or bidi character."""
    bad = unsafe_character(value)
    if bad is not None:
        raise ValidationError(
            f"{field} contains the control or bidi character U+{ord(bad):04X}, which is not allowed "
            "(it can hide or fake text on screen)",
            field=field,
        )
    return value


def fold(identifier: str) -> str:
    """What two identifiers must not share: compatibility-normalised (NFKC: composed forms, full-width
    letters) and casefolded, so `Alice`, `alice`, NFD `alice` and `ａｌｉｃｅ` are one identifier."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", identifier).casefold())
