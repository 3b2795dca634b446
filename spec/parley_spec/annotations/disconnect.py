"""``x-parley-disconnect``: a stream's record is finished and stored when its client leaves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._kind import Kind
from ._values import Reading, Request, reading_of, request_of

__all__ = ["KIND", "Disconnect"]


@dataclass(frozen=True)
class Disconnect:
    """A stream dropped by its client.

    Attributes:
        request: How the stream request is made.
        reading: Where the finished record is read (``$start#``, ``$complete#``).
        after: The event after which the client drops the connection: ``start`` or
            ``delta``.
    """

    request: Request
    reading: Reading
    after: str = "delta"


def parse(raw: Any) -> Disconnect:
    """The typed value of a valid ``x-parley-disconnect``."""
    return Disconnect(request_of(raw), reading_of(raw), raw.get("after", "delta"))


KIND = Kind(
    "disconnect",
    "x-parley-disconnect",
    "operation",
    parse,
    names=lambda value: (*value.request.operations, value.reading.read),
)
