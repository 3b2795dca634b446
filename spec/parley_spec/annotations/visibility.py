"""``x-parley-visibility``: whether a list shows soft-deleted items."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._kind import Kind


@dataclass(frozen=True)
class Visibility:
    """Which soft-deleted items a list shows.

    Attributes:
        items: JSON Pointer of the list in the response body.
        soft_deleted: ``hidden`` (never shown) or ``only`` (nothing else shown).
        marker: The item field a soft delete sets (``deleted_at``).
    """

    items: str
    soft_deleted: str
    marker: str


def parse(raw: Any) -> Visibility:
    """The typed visibility of a valid ``x-parley-visibility`` value."""
    return Visibility(items=raw["items"], soft_deleted=raw["soft-deleted"], marker=raw["marker"])


KIND = Kind("visibility", "x-parley-visibility", "operation", parse)
