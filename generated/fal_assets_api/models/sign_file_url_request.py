from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SignFileUrlRequest")


@_attrs_define
class SignFileUrlRequest:
    """Signing options for the file URL

    Attributes:
        expiration_seconds (int): How long the signed URL stays valid, in seconds (max 7 days) Example: 3600.
    """

    expiration_seconds: int

    def to_dict(self) -> dict[str, Any]:
        expiration_seconds = self.expiration_seconds

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "expiration_seconds": expiration_seconds,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        expiration_seconds = d.pop("expiration_seconds")

        sign_file_url_request = cls(
            expiration_seconds=expiration_seconds,
        )

        return sign_file_url_request
