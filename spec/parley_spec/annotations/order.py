"""``x-parley-order``: the order a list operation answers its items in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._kind import Kind


@dataclass(frozen=True)
class Order:
    """A list's order.

    Attributes:
        items: JSON Pointer of the list in the response body (``""``: the body is the list).
        field: The item field the list is sorted by by default.
        direction: ``asc`` or ``desc``.
        field_parameter: The query parameter whose enum values name other sort fields.
        direction_parameter: The query parameter whose enum values name the direction.
        nulls: ``last`` or ``first``: where items whose field is null come, in either
            direction; None when the document does not say.
    """

    items: str
    field: str
    direction: str
    field_parameter: str | None = None
    direction_parameter: str | None = None
    nulls: str | None = None


def parse(raw: Any) -> Order:
    """The typed order of a valid ``x-parley-order`` value."""
    return Order(
        items=raw["items"],
        field=raw["field"],
        direction=raw["direction"],
        field_parameter=raw.get("field-parameter"),
        direction_parameter=raw.get("direction-parameter"),
        nulls=raw.get("nulls"),
    )


KIND = Kind("order", "x-parley-order", "operation", parse)
