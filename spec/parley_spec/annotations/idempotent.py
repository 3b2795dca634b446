"""``x-parley-idempotent``: a write without an ``Idempotency-Key`` that a repeat leaves alone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._kind import Kind
from ._values import Reading, Request, reading_of, request_of

__all__ = ["KIND", "Idempotent"]


@dataclass(frozen=True)
class Idempotent:
    """A call that changes nothing once ``given`` reached the state.

    Attributes:
        request: How the call is made; its ``given`` usually runs the same write once.
        reads: The readings the call leaves as they were.
        answer: JSON Pointer into the call's answer -> expectation (``$before#`` is the
            object the first reading read before the call).
    """

    request: Request
    reads: tuple[Reading, ...]
    answer: Mapping[str, Any] = field(default_factory=dict)


def parse(raw: Any) -> Idempotent:
    """The typed value of a valid ``x-parley-idempotent``."""
    reads = tuple(reading_of(item) for item in raw["reads"])
    return Idempotent(request_of(raw), reads, dict(raw.get("answer") or {}))


KIND = Kind(
    "idempotent",
    "x-parley-idempotent",
    "operation",
    parse,
    names=lambda value: (*value.request.operations, *(r.read for r in value.reads)),
)
