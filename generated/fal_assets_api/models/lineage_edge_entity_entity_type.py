from enum import StrEnum


class LineageEdgeEntityEntityType(StrEnum):
    CHARACTER = "character"

    def __str__(self) -> str:
        return str(self.value)
