from enum import StrEnum


class CharacterType(StrEnum):
    CHARACTER = "character"

    def __str__(self) -> str:
        return str(self.value)
