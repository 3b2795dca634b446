"""``x-parley-lands``: a write lands under the parent it names, and nowhere else (per item)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._kind import Kind
from ._values import Reading, Request, Step, reading_of, request_of, steps_of

__all__ = ["KIND", "Lands"]


@dataclass(frozen=True)
class Lands:
    """Where a write's record must appear.

    Attributes:
        request: How the write is made (its body, when the parent is named in it).
        names: Where the request names its parent: ``$request.path.NAME`` or
            ``$request.body#/pointer``.
        parent: The write that makes a parent.
        id: The parent's id: an expression over ``parent``'s exchange.
        reading: The read of a parent (``$parent#`` is its id) that must show the record.
    """

    request: Request
    names: str
    parent: Step
    id: str
    reading: Reading


def parse(raw: Any) -> Lands:
    """The typed value of one valid item of ``x-parley-lands``."""
    (parent,) = steps_of([raw["parent"]])
    return Lands(request_of(raw), raw["names"], parent, raw["id"], reading_of(raw))


KIND = Kind(
    "lands",
    "x-parley-lands",
    "operation",
    parse,
    per_item=True,
    names=lambda value: (*value.request.operations, value.parent.run, value.reading.read),
)
