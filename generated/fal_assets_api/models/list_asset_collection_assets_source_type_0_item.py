from enum import StrEnum


class ListAssetCollectionAssetsSourceType0Item(StrEnum):
    RESPONSE = "response"
    UPLOAD = "upload"

    def __str__(self) -> str:
        return str(self.value)
