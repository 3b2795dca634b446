"""``x-parley-outcomes``: the status a state or an input must get (one promise per item)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._kind import Kind
from ._values import Request, request_of

__all__ = ["KIND", "Outcome"]


@dataclass(frozen=True)
class Outcome:
    """The status one request must get.

    Attributes:
        request: How it is made: the steps that reach the state, its differing parameter
            values (``$unknown`` for an id of nothing) and body.
        status: The status it must answer.
        problem: The Problem ``type`` it must carry (that value, or a URI ending with
            ``/`` and it), or ``None``.
    """

    request: Request
    status: int
    problem: str | None = None


def parse(raw: Any) -> Outcome:
    """The typed outcome of one valid item of ``x-parley-outcomes``."""
    return Outcome(request_of(raw), int(raw["status"]), raw.get("problem"))


KIND = Kind(
    "outcome",
    "x-parley-outcomes",
    "operation",
    parse,
    per_item=True,
    names=lambda value: value.request.operations,
)
