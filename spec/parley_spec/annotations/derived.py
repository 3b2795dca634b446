"""``x-parley-derived``: a number computed from other values (a mean length, a duration)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._kind import Kind
from .count import CountTerm

__all__ = ["KIND", "Derived", "Minutes"]


@dataclass(frozen=True)
class Minutes:
    """A duration in minutes between date-times of the object holding it.

    Attributes:
        start: The field it starts from.
        ends: The fields it runs to: the first that is not null (0 when all are).
    """

    start: str
    ends: tuple[str, ...]


@dataclass(frozen=True)
class Derived:
    """How a number property is computed: exactly one of the two is set.

    Attributes:
        mean_length: The items whose ``field`` lengths (in characters) are averaged (0
            when none), counted as an ``x-parley-count`` term counts them.
        field: The item field measured.
        minutes: The duration it holds.
    """

    mean_length: CountTerm | None = None
    field: str = ""
    minutes: Minutes | None = None


def parse(raw: Any) -> Derived:
    """The typed value of a valid ``x-parley-derived``."""
    if "minutes" in raw:
        spec = raw["minutes"]
        return Derived(minutes=Minutes(spec["from"], tuple(spec["to"])))
    term = raw["mean-length"]
    return Derived(
        mean_length=CountTerm(
            of=term["of"],
            items=term.get("items"),
            parameters=dict(term.get("parameters") or {}),
            where=dict(term.get("where") or {}),
        ),
        field=term["field"],
    )


KIND = Kind(
    "derived",
    "x-parley-derived",
    "property",
    parse,
    names=lambda value: (value.mean_length.of,) if value.mean_length else (),
)
