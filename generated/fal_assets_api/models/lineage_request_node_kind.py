from enum import StrEnum


class LineageRequestNodeKind(StrEnum):
    REQUEST = "request"

    def __str__(self) -> str:
        return str(self.value)
