from enum import StrEnum


class ChatStartEventEvent(StrEnum):
    START = "start"

    def __str__(self) -> str:
        return str(self.value)
