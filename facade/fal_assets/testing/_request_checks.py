"""Request validation as openapi.yaml states it, with pydantic-style messages that name the field.

Unknown body fields are ignored: the spec's request schemas do not forbid additional properties, so a
faithful server must accept them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from .._core import spec as _spec
from ._common import JSON, REAL_FAL_HOSTS, ApiError

# The limits come from the spec shipped with the client, the same source as the facade's checks.
_name = _spec.bounds(_spec.property_schema("CreateCharacterRequest", "name"))
_description = _spec.bounds(_spec.property_schema("CreateCharacterRequest", "description"))
_references = _spec.bounds(_spec.property_schema("CreateCharacterRequest", "reference_images"))
_identifier = _spec.bounds(_spec.property_schema("CreateCharacterRequest", "identifier"))
_limit_schema = _spec.parameter_schema("listAssetCharacters", "limit")
_limit = _spec.bounds(_limit_schema)
NAME_MAX = _name.max or 0
DESCRIPTION_MAX = _description.max or 0
REFERENCES_MIN, REFERENCES_MAX = _references.min, _references.max or 0
IDENTIFIER_MAX = _identifier.max or 0
LIMIT_MIN, LIMIT_DEFAULT = _limit.min, int(_limit_schema["default"])
LIMIT_MAX = int(_limit_schema["maximum"])

_INT_RE = re.compile(r"-?[0-9]+")
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
_MISSING = object()


@dataclass
class Checked:
    """Validated body fields; only the keys present in the request are set."""

    fields: dict[str, Any]


class _Errors:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.messages.append(f"{where}: {message}")

    def raise_if_any(self) -> None:
        if self.messages:
            raise ApiError(422, "; ".join(self.messages), error_type="validation_error")


def parse_json_object(raw: bytes, content_type: str | None) -> JSON:
    if content_type is not None and not _is_json_media_type(content_type):
        raise ApiError(422, f"body: Content-Type must be application/json, got {content_type!r}")
    if not raw.strip():
        raise ApiError(422, "body: Field required")
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(422, "body: Invalid JSON") from None
    if not isinstance(value, dict):
        raise ApiError(422, "body: Input should be a valid JSON object")
    return value


def _is_json_media_type(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def parse_list_query(query: Mapping[str, list[str]]) -> tuple[int, int]:
    errors = _Errors()
    limit = _int_param(query, "limit", LIMIT_DEFAULT, LIMIT_MIN, LIMIT_MAX, errors)
    offset = _int_param(query, "offset", 0, 0, None, errors)
    errors.raise_if_any()
    return limit, offset


def _int_param(
    query: Mapping[str, list[str]], name: str, default: int, low: int, high: int | None, errors: _Errors
) -> int:
    values = query.get(name)
    if not values:
        return default
    if len(values) != 1 or not _INT_RE.fullmatch(values[0]):
        errors.add(name, "Input should be a valid integer")
        return default
    value = int(values[0])
    if value < low:
        errors.add(name, f"Input should be greater than or equal to {low}")
    elif high is not None and value > high:
        errors.add(name, f"Input should be less than or equal to {high}")
    return value


class ReferenceResolver:
    """Turns reference strings into the fal-hosted URLs the service answers with.

    A string with ``://`` is a URL and must be http(s) on a fal host; anything else is an ID (vector id,
    request id) and resolves to a file URL the fake serves back as a tiny PNG.
    """

    def __init__(self, cdn_base_url: Callable[[], str], fal_hosts: Callable[[], frozenset[str]]) -> None:
        self._cdn_base_url = cdn_base_url
        self._fal_hosts = fal_hosts

    def is_fal_hosted(self, url: str) -> bool:
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
        except ValueError:
            return False
        return parts.scheme in ("http", "https") and (host in REAL_FAL_HOSTS or host in self._fal_hosts())

    def resolve(self, reference: str) -> str | None:
        """The resolved URL, or None when the reference is a URL that is not fal-hosted."""
        if "://" in reference:
            return reference if self.is_fal_hosted(reference) else None
        return f"{self._cdn_base_url()}/files/ref/{quote(reference, safe='')}.png"


def _check_string(
    body: JSON,
    key: str,
    errors: _Errors,
    *,
    low: int,
    high: int,
    nullable: bool = False,
    required: bool = False,
) -> object:
    value = body.get(key, _MISSING)
    if value is _MISSING:
        if required:
            errors.add(key, "Field required")
        return _MISSING
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        errors.add(key, "Input should be a valid string")
        return _MISSING
    if len(value) < low:
        errors.add(key, f"String should have at least {low} character{'s' if low != 1 else ''}")
    elif len(value) > high:
        errors.add(key, f"String should have at most {high} characters")
    return value


def _check_references(body: JSON, errors: _Errors, resolver: ReferenceResolver, *, required: bool) -> object:
    value = body.get("reference_images", _MISSING)
    if value is _MISSING:
        if required:
            errors.add("reference_images", "Field required")
        return _MISSING
    if not isinstance(value, list):
        errors.add("reference_images", "Input should be a valid list")
        return _MISSING
    if len(value) < REFERENCES_MIN:
        errors.add("reference_images", f"List should have at least {REFERENCES_MIN} item, not {len(value)}")
    elif len(value) > REFERENCES_MAX:
        errors.add("reference_images", f"List should have at most {REFERENCES_MAX} items, not {len(value)}")
    resolved: list[str] = []
    for index, item in enumerate(value):
        where = f"reference_images[{index}]"
        if not isinstance(item, str):
            errors.add(where, "Input should be a valid string")
        elif not item:
            errors.add(where, "String should have at least 1 character")
        else:
            url = resolver.resolve(item)
            if url is None:
                errors.add(where, "not a fal-hosted URL (use an ID or a fal-hosted image URL)")
            else:
                resolved.append(url)
    return resolved


def _check_cover(body: JSON, errors: _Errors, resolver: ReferenceResolver) -> object:
    value = body.get("cover_image_url", _MISSING)
    if value is _MISSING or value is None:
        return value
    if not isinstance(value, str):
        errors.add("cover_image_url", "Input should be a valid string")
        return _MISSING
    scheme, sep, _ = value.partition(":")
    if not sep or not _SCHEME_RE.fullmatch(scheme) or any(ch.isspace() or ord(ch) < 32 for ch in value):
        errors.add("cover_image_url", "Input should be a valid URI")
        return _MISSING
    if not resolver.is_fal_hosted(value):
        errors.add("cover_image_url", "not a fal-hosted URL")
        return _MISSING
    return value


def check_create(body: JSON, resolver: ReferenceResolver) -> Checked:
    errors = _Errors()
    fields: dict[str, Any] = {
        "name": _check_string(body, "name", errors, low=1, high=NAME_MAX, required=True),
        "description": _check_string(body, "description", errors, low=1, high=DESCRIPTION_MAX, required=True),
        "reference_images": _check_references(body, errors, resolver, required=True),
        "character_identifier": _check_string(
            body, "identifier", errors, low=0, high=IDENTIFIER_MAX, nullable=True
        ),
        "cover_image_url": _check_cover(body, errors, resolver),
    }
    errors.raise_if_any()
    return Checked({k: v for k, v in fields.items() if v is not _MISSING})


def check_update(body: JSON, resolver: ReferenceResolver) -> Checked:
    errors = _Errors()
    fields: dict[str, Any] = {
        "name": _check_string(body, "name", errors, low=1, high=NAME_MAX),
        "description": _check_string(body, "description", errors, low=1, high=DESCRIPTION_MAX),
        "reference_images": _check_references(body, errors, resolver, required=False),
        "cover_image_url": _check_cover(body, errors, resolver),
    }
    errors.raise_if_any()
    return Checked({k: v for k, v in fields.items() if v is not _MISSING})
