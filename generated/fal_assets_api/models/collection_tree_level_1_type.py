from enum import StrEnum


class CollectionTreeLevel1Type(StrEnum):
    CHARACTER = "character"
    MANUAL = "manual"
    SMART = "smart"

    def __str__(self) -> str:
        return str(self.value)
