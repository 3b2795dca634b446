"""``x-parley-filter``: a query parameter that keeps only the items whose field equals it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._kind import Kind


@dataclass(frozen=True)
class Filter:
    """A list filter.

    Attributes:
        items: JSON Pointer of the list in the response body.
        field: The item field that must equal the parameter's value.
    """

    items: str
    field: str


def parse(raw: Any) -> Filter:
    """The typed filter of a valid ``x-parley-filter`` value."""
    return Filter(items=raw["items"], field=raw["field"])


KIND = Kind("filter", "x-parley-filter", "parameter", parse)
