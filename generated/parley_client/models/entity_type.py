from enum import StrEnum


class EntityType(StrEnum):
    LEAD = "LEAD"
    USER = "USER"

    def __str__(self) -> str:
        return str(self.value)
