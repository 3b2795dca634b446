"""``x-parley-answer``: what a write's own answer holds, against its request (per item)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._kind import Kind
from ._values import Reading, Request, reading_of, request_of

__all__ = ["KIND", "Answer"]


@dataclass(frozen=True)
class Answer:
    """Expectations on the operation's success answer.

    Attributes:
        request: How the request is made (steps first, differing values, body).
        fields: JSON Pointer into the answer's body -> expectation (over the exchange,
            ``$given#`` and ``$read#``).
        reading: A read after the answer whose object is ``$read#``, or ``None``.
    """

    request: Request
    fields: Mapping[str, Any] = field(default_factory=dict)
    reading: Reading | None = None


def parse(raw: Any) -> Answer:
    """The typed value of one valid item of ``x-parley-answer``."""
    reading = reading_of(raw) if "read" in raw else None
    return Answer(request_of(raw), dict(raw["fields"]), reading)


def _names(value: Answer) -> tuple[str, ...]:
    return value.request.operations + ((value.reading.read,) if value.reading else ())


KIND = Kind("answer", "x-parley-answer", "operation", parse, per_item=True, names=_names)
