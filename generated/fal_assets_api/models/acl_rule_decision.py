from enum import StrEnum


class AclRuleDecision(StrEnum):
    ALLOW = "allow"
    FORBID = "forbid"
    HIDE = "hide"

    def __str__(self) -> str:
        return str(self.value)
