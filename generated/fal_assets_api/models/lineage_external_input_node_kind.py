from enum import StrEnum


class LineageExternalInputNodeKind(StrEnum):
    EXTERNAL_INPUT = "external_input"

    def __str__(self) -> str:
        return str(self.value)
