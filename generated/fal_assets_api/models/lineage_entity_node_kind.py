from enum import StrEnum


class LineageEntityNodeKind(StrEnum):
    ENTITY = "entity"

    def __str__(self) -> str:
        return str(self.value)
