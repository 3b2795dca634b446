"""``x-parley-repeat``: a write sent again replaces what the first set (one promise per item)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .._pointer import MISSING, escape_token
from ._kind import Kind
from ._values import Reading, Request, reading_of, request_of

__all__ = ["KIND", "Repeat"]


@dataclass(frozen=True)
class Repeat:
    """The same write twice: the second one's values are what a read shows.

    Attributes:
        request: How the write is made (steps first, differing parameter values).
        reading: The read after the second write.
        again: The second write's body.
        first: The first write's body, or :data:`~parley_spec.MISSING` (its example).
        fields: JSON Pointer into the object read -> expectation, over the second
            exchange; by default each top-level member of ``again`` as sent.
    """

    request: Request
    reading: Reading
    again: Any
    first: Any = MISSING
    fields: Mapping[str, Any] = field(default_factory=dict)


def _default_fields(again: Any) -> dict[str, str]:
    if not isinstance(again, Mapping):
        return {"": "$request.body"}
    return {f"/{escape_token(str(k))}": f"$request.body#/{escape_token(str(k))}" for k in again}


def parse(raw: Any) -> Repeat:
    """The typed value of one valid item of ``x-parley-repeat``."""
    again = raw["again"]
    fields = dict(raw.get("fields") or {}) or _default_fields(again)
    return Repeat(request_of(raw), reading_of(raw), again, raw.get("first", MISSING), fields)


KIND = Kind(
    "repeat",
    "x-parley-repeat",
    "operation",
    parse,
    per_item=True,
    names=lambda value: (*value.request.operations, value.reading.read),
)
