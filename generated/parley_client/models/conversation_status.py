from enum import StrEnum


class ConversationStatus(StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"
    ENDED = "ended"

    def __str__(self) -> str:
        return str(self.value)
