from enum import StrEnum


class LineageAssetNodeType(StrEnum):
    AUDIO = "audio"
    IMAGE = "image"
    TEXT = "text"
    VALUE_4 = "3d"
    VIDEO = "video"

    def __str__(self) -> str:
        return str(self.value)
