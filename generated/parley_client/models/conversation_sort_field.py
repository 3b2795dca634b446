from enum import StrEnum


class ConversationSortField(StrEnum):
    CREATED_AT = "created_at"
    ENDED_AT = "ended_at"
    STARTED_AT = "started_at"
    TITLE = "title"
    UPDATED_AT = "updated_at"

    def __str__(self) -> str:
        return str(self.value)
