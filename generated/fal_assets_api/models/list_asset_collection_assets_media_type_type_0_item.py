from enum import StrEnum


class ListAssetCollectionAssetsMediaTypeType0Item(StrEnum):
    AUDIO = "audio"
    IMAGE = "image"
    VALUE_3 = "3d"
    VIDEO = "video"

    def __str__(self) -> str:
        return str(self.value)
