"""Local checks mirroring openapi.yaml, run before any request is built.

Every limit is read from the spec shipped with the client (`spec.py`), the same source FakeFal uses.
"""

from __future__ import annotations

import re

from .._errors import ValidationError
from . import spec as _spec
from .spec import Bounds

__all__ = ["Bounds"]

_create = "CreateCharacterRequest"
NAME_LENGTH = _spec.bounds(_spec.property_schema(_create, "name"))
DESCRIPTION_LENGTH = _spec.bounds(_spec.property_schema(_create, "description"))
IDENTIFIER_LENGTH = _spec.bounds(_spec.property_schema(_create, "identifier"))
REFERENCE_COUNT = _spec.bounds(_spec.property_schema(_create, "reference_images"))
REFERENCE_LENGTH = _spec.bounds(_spec.property_schema(_create, "reference_images")["items"])
CHARACTER_ID_LENGTH = _spec.bounds(_spec.parameter_schema("getAssetCharacter", "character_id"))
LIST_LIMIT = _spec.bounds(_spec.parameter_schema("listAssetCharacters", "limit"))
LIST_OFFSET = _spec.bounds(_spec.parameter_schema("listAssetCharacters", "offset"))

# Segments that, even percent-encoded, a server or proxy may resolve into another path.
_DOT_SEGMENTS = frozenset({".", ".."})
# One search for any of them, or a control character (C0 or DEL).
_PATH_CHANGING = re.compile(r"[/\\?#\x00-\x1f\x7f]")


def text(value: object, *, field: str, bounds: Bounds) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be a string, got {type(value).__name__}", field=field)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError(
            f"{field} is not valid text: {exc.reason} at position {exc.start} (a lone surrogate?)",
            field=field,
        ) from None
    if len(value) < bounds.min:
        raise ValidationError(f"{field} must be at least {bounds.min} character(s) long", field=field)
    if bounds.max is not None and len(value) > bounds.max:
        raise ValidationError(
            f"{field} must be at most {bounds.max} characters long, got {len(value)}", field=field
        )
    return value


def integer(value: object, *, field: str, bounds: Bounds) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{field} must be an integer, got {type(value).__name__}", field=field)
    if value < bounds.min or (bounds.max is not None and value > bounds.max):
        upper = f"..{bounds.max}" if bounds.max is not None else " or more"
        raise ValidationError(f"{field} must be {bounds.min}{upper}, got {value}", field=field)
    return value


def character_id(value: object) -> str:
    """A character id that is safe to send as one path segment."""
    return path_id(value, field="character_id", bounds=CHARACTER_ID_LENGTH)


def path_id(value: object, *, field: str, bounds: Bounds) -> str:
    """An id that is safe to send as one path segment."""
    found = text(value, field=field, bounds=bounds)
    if found in _DOT_SEGMENTS or _PATH_CHANGING.search(found):
        raise ValidationError(
            f"{field} {found!r} is not a valid id: ids cannot be '.' or '..' or contain '/', '\\\\', '?', "
            "'#' or control characters",
            field=field,
        )
    return found


def reference_count(count: int) -> None:
    if count < REFERENCE_COUNT.min or (REFERENCE_COUNT.max is not None and count > REFERENCE_COUNT.max):
        raise ValidationError(
            f"reference_images must hold {REFERENCE_COUNT.min} to {REFERENCE_COUNT.max} images, got {count}",
            field="reference_images",
        )


IDEMPOTENCY_KEY_LENGTH = Bounds(1, 255)


def idempotency_key(value: object) -> str:
    """A key that fits an HTTP header unchanged: printable ASCII, no spaces or line breaks."""
    field = "idempotency_key"
    key = text(value, field=field, bounds=IDEMPOTENCY_KEY_LENGTH)
    if not all("!" <= ch <= "~" for ch in key):
        raise ValidationError(
            "idempotency_key must be printable ASCII without spaces (it is sent as an HTTP header)",
            field=field,
        )
    return key
