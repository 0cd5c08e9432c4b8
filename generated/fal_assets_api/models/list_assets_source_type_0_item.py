from enum import StrEnum


class ListAssetsSourceType0Item(StrEnum):
    RESPONSE = "response"
    UPLOAD = "upload"

    def __str__(self) -> str:
        return str(self.value)
