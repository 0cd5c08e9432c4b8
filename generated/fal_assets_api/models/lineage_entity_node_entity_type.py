from enum import StrEnum


class LineageEntityNodeEntityType(StrEnum):
    CHARACTER = "character"

    def __str__(self) -> str:
        return str(self.value)
