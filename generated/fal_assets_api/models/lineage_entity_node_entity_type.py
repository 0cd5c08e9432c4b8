from enum import StrEnum


class LineageEntityNodeEntityType(StrEnum):
    CHARACTER = "character"
    ENVIRONMENT = "environment"
    PROP = "prop"
    SCENE = "scene"
    STYLE = "style"

    def __str__(self) -> str:
        return str(self.value)
