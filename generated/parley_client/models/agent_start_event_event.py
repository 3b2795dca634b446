from enum import StrEnum


class AgentStartEventEvent(StrEnum):
    START = "start"

    def __str__(self) -> str:
        return str(self.value)
