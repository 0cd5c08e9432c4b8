from enum import StrEnum


class StorageSettingsAclType0Default(StrEnum):
    ALLOW = "allow"
    FORBID = "forbid"
    HIDE = "hide"

    def __str__(self) -> str:
        return str(self.value)
