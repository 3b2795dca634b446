"""``x-parley-stream``: a stream agrees with itself and with what is stored after it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._kind import Kind
from ._values import Reading, Request, reading_of, request_of

__all__ = ["KIND", "Stored", "Stream"]


@dataclass(frozen=True)
class Stored:
    """A read after the stream's ``complete``.

    Attributes:
        reading: The read (``$start#``, ``$complete#`` and the request in its values).
        equals: An expression the object read must equal (``$complete#``), or ``None``.
        fields: JSON Pointer into the object read -> expectation.
    """

    reading: Reading
    equals: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Stream:
    """What a complete stream promises.

    Attributes:
        request: How the stream request is made.
        complete: JSON Pointer into the ``complete`` event's data -> expectation
            (``$start#``, ``$complete#``, ``$deltas#``: the delta contents joined).
        stored: The reads after ``complete``.
    """

    request: Request
    complete: Mapping[str, Any]
    stored: tuple[Stored, ...] = ()


def parse(raw: Any) -> Stream:
    """The typed value of a valid ``x-parley-stream``."""
    stored = tuple(
        Stored(reading_of(item), item.get("equals"), dict(item.get("fields") or {}))
        for item in raw.get("stored") or ()
    )
    return Stream(request_of(raw), dict(raw["complete"]), stored)


KIND = Kind(
    "stream",
    "x-parley-stream",
    "operation",
    parse,
    names=lambda value: (*value.request.operations, *(s.reading.read for s in value.stored)),
)
