from enum import StrEnum


class LineageAssetNodeKind(StrEnum):
    ASSET = "asset"

    def __str__(self) -> str:
        return str(self.value)
