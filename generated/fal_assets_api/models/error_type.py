from enum import StrEnum


class ErrorType(StrEnum):
    AUTHORIZATION_ERROR = "authorization_error"
    NOT_FOUND = "not_found"
    NOT_IMPLEMENTED = "not_implemented"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    VALIDATION_ERROR = "validation_error"

    def __str__(self) -> str:
        return str(self.value)
