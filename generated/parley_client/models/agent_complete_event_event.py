from enum import StrEnum


class AgentCompleteEventEvent(StrEnum):
    COMPLETE = "complete"

    def __str__(self) -> str:
        return str(self.value)
