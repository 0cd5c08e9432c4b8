"""Contains some shared types for properties"""

import datetime
from collections.abc import Mapping, MutableMapping
from enum import Enum
from http import HTTPStatus
from typing import IO, Any, BinaryIO, Generic, Literal, NoReturn, Protocol, TypeVar

from attrs import define


class Unset:
    def __bool__(self) -> Literal[False]:
        return False


UNSET: Unset = Unset()

# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


T = TypeVar("T")


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: HTTPStatus
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


# Reading fal's replies (the reply models of scripts/templates/reply_model.py.jinja).


class ReplyShapeError(ValueError):
    """A reply that cannot be read as its model even tolerantly: a wrong JSON type, an object without its
    identity, a missing wrapper; or, read strictly, any difference from the spec."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path.lstrip(".") or "reply"
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")

    def in_item(self, items_path: str, index: int) -> "ReplyShapeError":
        """The same error with the item's index in its path (`characters[]` -> `characters[1]`)."""
        items = items_path.lstrip(".")
        if self.path.startswith(items):
            return ReplyShapeError(f"{items[:-2]}[{index}]{self.path[len(items) :]}", self.problem)
        return self


class Drift(Protocol):
    """Told of each difference from the spec that a reply is still read despite: `path` is the field
    (`.character.parent_collection_id`, list items as `[]`), `problem` says what differs."""

    def __call__(self, path: str, problem: str) -> None: ...


def _refuse(path: str, problem: str) -> None:
    raise ReplyShapeError(path, problem)


# Read as the spec says, nothing tolerated: what from_dict uses.
STRICT: Drift = _refuse


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


# What a reply model's field holds before it is read when fal left it out.
MISSING: Any = _Missing()


def _json_type(value: object) -> str:
    names = {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
    }
    return "null" if value is None else names.get(type(value), type(value).__name__)


def tolerated(drift: Drift, path: str, key: str, value: Any, expected: str, required: bool, nullable: bool) -> Any:
    """A field that is missing, null or of another JSON type than `expected`: None (UNSET where the spec lets
    fal leave it out), reported to `drift` where the spec says otherwise; a wrong type is refused."""
    if value is MISSING:
        if not required:
            return UNSET
        drift(f"{path}.{key}", "missing")
        return None
    if value is None:
        if not nullable:
            drift(f"{path}.{key}", "null")
        return None
    raise ReplyShapeError(f"{path}.{key}", f"expected {expected}, got {_json_type(value)}")


def firm(path: str, key: str, value: Any, expected: str) -> NoReturn:
    """A field a reply is nothing without (an identity, a wrapper) that is not what the spec says."""
    problem = "missing" if value is MISSING else f"expected {expected}, got {_json_type(value)}"
    raise ReplyShapeError(f"{path}.{key}", problem)


def not_an_item(path: str, key: str, items: list[Any], item: Any, expected: str) -> NoReturn:
    index = next(i for i, value in enumerate(items) if value is item)
    raise ReplyShapeError(f"{path}.{key}[{index}]", f"expected {expected}, got {_json_type(item)}")


def not_an_object(path: str, value: Any) -> ReplyShapeError:
    return ReplyShapeError(path, f"expected an object, got {_json_type(value)}")


def not_a_datetime(path: str, value: str) -> ReplyShapeError:
    return ReplyShapeError(path, f"expected an ISO 8601 date-time, got {value!r:.80}")


def no_identity(path: str, names: str) -> ReplyShapeError:
    return ReplyShapeError(path, f"an object without its identity ({names})")


def reply_to_dict(model: Any, fields: tuple[tuple[str, str], ...], additional: dict[str, Any]) -> dict[str, Any]:
    """A reply model as JSON data: what fal sent, with unknown enum values and fields as they came."""
    field_dict = dict(additional)
    for attribute, key in fields:
        value = getattr(model, attribute)
        if not isinstance(value, Unset):
            field_dict[key] = _to_json(value)
    return field_dict


def _to_json(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, list):
        return [_to_json(item) for item in value]
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return value


__all__ = [
    "MISSING",
    "STRICT",
    "UNSET",
    "Drift",
    "File",
    "FileTypes",
    "ReplyShapeError",
    "RequestFiles",
    "Response",
    "Unset",
]
