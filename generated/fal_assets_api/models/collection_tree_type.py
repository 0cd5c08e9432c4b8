from enum import StrEnum


class CollectionTreeType(StrEnum):
    CHARACTER = "character"
    MANUAL = "manual"
    SMART = "smart"

    def __str__(self) -> str:
        return str(self.value)
