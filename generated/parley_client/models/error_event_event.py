from enum import StrEnum


class ErrorEventEvent(StrEnum):
    ERROR = "error"

    def __str__(self) -> str:
        return str(self.value)
