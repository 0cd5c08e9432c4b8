from enum import StrEnum


class LineageEdgeRoleType0(StrEnum):
    CONTENT_REF = "content_ref"
    CONTROL = "control"
    MASK = "mask"
    SOURCE = "source"

    def __str__(self) -> str:
        return str(self.value)
