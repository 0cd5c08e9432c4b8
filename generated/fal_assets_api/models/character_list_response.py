from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.character import Character


T = TypeVar("T", bound="CharacterListResponse")


@_attrs_define
class CharacterListResponse:
    """
    Attributes:
        characters (list[Character]): Asset characters visible to the authenticated user
    """

    characters: list[Character]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        characters = []
        for characters_item_data in self.characters:
            characters_item = characters_item_data.to_dict()
            characters.append(characters_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "characters": characters,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.character import Character  # noqa: PLC0415

        d = dict(src_dict)
        characters = []
        _characters = d.pop("characters")
        for characters_item_data in _characters:
            characters_item = Character.from_dict(characters_item_data)

            characters.append(characters_item)

        character_list_response = cls(
            characters=characters,
        )

        character_list_response.additional_properties = d
        return character_list_response

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
