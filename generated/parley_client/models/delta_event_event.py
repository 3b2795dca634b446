from enum import StrEnum


class DeltaEventEvent(StrEnum):
    DELTA = "delta"

    def __str__(self) -> str:
        return str(self.value)
