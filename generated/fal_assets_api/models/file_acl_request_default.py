from enum import StrEnum


class FileAclRequestDefault(StrEnum):
    ALLOW = "allow"
    FORBID = "forbid"
    HIDE = "hide"

    def __str__(self) -> str:
        return str(self.value)
