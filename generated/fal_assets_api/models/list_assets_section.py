from enum import StrEnum


class ListAssetsSection(StrEnum):
    ALL_MEDIA = "all-media"
    FAVORITES = "favorites"
    GENERATED = "generated"
    UPLOADS = "uploads"

    def __str__(self) -> str:
        return str(self.value)
