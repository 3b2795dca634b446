from enum import StrEnum


class ChatCompleteEventEvent(StrEnum):
    COMPLETE = "complete"

    def __str__(self) -> str:
        return str(self.value)
