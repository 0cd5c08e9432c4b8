from enum import StrEnum


class CollectionTreeLevel3Type(StrEnum):
    CHARACTER = "character"
    MANUAL = "manual"
    SMART = "smart"

    def __str__(self) -> str:
        return str(self.value)
