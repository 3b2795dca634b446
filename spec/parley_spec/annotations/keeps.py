"""``x-parley-keeps``: what a write leaves as it was (partial updates; one promise per item)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._kind import Kind
from ._values import Reading, Request, Step, reading_of, request_of, steps_of

__all__ = ["KIND", "Keep"]


@dataclass(frozen=True)
class Keep:
    """Values a write leaves unchanged.

    Attributes:
        request: How the write is made (its ``body`` is the partial update).
        reading: The read taken before the write and after it (and after ``then``).
        fields: JSON Pointers into the object read whose values stay as they were.
        then: Steps run after the write, before the read after (a restore).
    """

    request: Request
    reading: Reading
    fields: tuple[str, ...]
    then: tuple[Step, ...] = ()


def parse(raw: Any) -> Keep:
    """The typed value of one valid item of ``x-parley-keeps``."""
    return Keep(request_of(raw), reading_of(raw), tuple(raw["fields"]), steps_of(raw.get("then")))


KIND = Kind(
    "keep",
    "x-parley-keeps",
    "operation",
    parse,
    per_item=True,
    names=lambda value: (
        *value.request.operations,
        *(step.run for step in value.then),
        value.reading.read,
    ),
)
