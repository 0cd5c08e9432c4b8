from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.error_type import ErrorType
from ..types import (
    MISSING,
    STRICT,
    UNSET,
    Drift,
    Unset,
    no_identity,
    not_an_object,
    reply_to_dict,
    tolerated,
)

T = TypeVar("T", bound="Error")


_ErrorType_VALUES = {member.value: member for member in ErrorType}


@_attrs_define
class Error:
    """Error details

    Read tolerantly from fal's replies (`from_reply`): a field fal leaves out or sends as null is None, and an
    enum value the spec does not list is kept as the plain string.

    Attributes:
        type_ (ErrorType): The category of error that occurred
        message (str): Human-readable error message
        docs_url (str | Unset): Link to relevant documentation
        request_id (str | Unset): Unique request identifier for debugging
    """

    type_: ErrorType | str | None
    message: str | None
    docs_url: str | None | Unset = UNSET
    request_id: str | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return reply_to_dict(self, _FIELDS, self.additional_properties)

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Strict: any field missing, null or outside its enum where the spec says otherwise is refused
        (ReplyShapeError, a ValueError)."""
        return cls.from_reply(dict(src_dict), STRICT)

    @classmethod
    def from_reply(cls: type[T], src: Any, drift: Drift, path: str = "") -> T:
        """Read a JSON object of fal's reply. Each difference from the spec is reported to `drift` (which logs
        it, or raises in strict mode); a wrong JSON type, a missing identity or wrapper raise ReplyShapeError."""
        if src.__class__ is not dict:
            raise not_an_object(path, src)
        d = src.copy()
        pop = d.pop

        type_ = pop("type", MISSING)
        if type_.__class__ is str:
            type_ = _ErrorType_VALUES.get(type_, type_)
            if type_.__class__ is str:
                drift(path + ".type", f"value {type_!r:.80} is not in the spec")
        else:
            type_ = tolerated(drift, path, "type", type_, "a string", True, False)

        message = pop("message", MISSING)
        if message.__class__ is not str:
            message = tolerated(drift, path, "message", message, "a string", True, False)

        docs_url = pop("docs_url", MISSING)
        if docs_url.__class__ is not str:
            docs_url = tolerated(drift, path, "docs_url", docs_url, "a string", False, False)

        request_id = pop("request_id", MISSING)
        if request_id.__class__ is not str:
            request_id = tolerated(drift, path, "request_id", request_id, "a string", False, False)

        # An object with none of its fields is not this object (`{"unexpected": ...}`), whatever else it has.
        if len(d) == len(src):
            raise no_identity(path, "none of its fields")
        # Positionally, in the order the fields are declared above (faster than keywords, per item).
        error = cls(
            type_,
            message,
            docs_url,
            request_id,
        )
        error.additional_properties = d
        return error

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# (attribute, JSON key) of each field, for to_dict.
_FIELDS = (
    ("type_", "type"),
    ("message", "message"),
    ("docs_url", "docs_url"),
    ("request_id", "request_id"),
)
