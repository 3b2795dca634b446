"""``x-parley-timestamps``: date-time fields of a schema that keep their order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._kind import Kind


@dataclass(frozen=True)
class Timestamps:
    """A chain of times: each field is at or after the one before it.

    Attributes:
        fields: The field names, earliest first (``created_at``, ``updated_at``).
    """

    fields: tuple[str, ...]


def parse(raw: Any) -> Timestamps:
    """The typed chain of a valid ``x-parley-timestamps`` value."""
    return Timestamps(tuple(raw))


KIND = Kind("timestamps", "x-parley-timestamps", "schema", parse)
