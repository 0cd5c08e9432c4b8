from enum import StrEnum


class CollectionTreeLevel2Type(StrEnum):
    CHARACTER = "character"
    MANUAL = "manual"
    SMART = "smart"

    def __str__(self) -> str:
        return str(self.value)
