"""``x-parley-derived``: a number computed from other values (a mean length, a duration)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._kind import Kind
from .count import CountTerm

__all__ = ["KIND", "Derived", "End", "Minutes"]


@dataclass(frozen=True)
class End:
    """A date-time a duration may run to.

    Attributes:
        field: The field of the object holding the duration.
        unless: Field -> value: the end is skipped while the object's fields equal them all
            (``{"status": "active"}``: an open conversation has not ended).
    """

    field: str
    unless: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Minutes:
    """A duration in minutes between date-times of the object holding it.

    Attributes:
        start: The field it starts from.
        ends: What it runs to: the first end not skipped whose field is not null (the
            duration is 0 when there is none).
    """

    start: str
    ends: tuple[End, ...]


@dataclass(frozen=True)
class Derived:
    """How a number property is computed: exactly one of the two is set.

    Attributes:
        mean_length: The items whose ``field`` lengths (in characters) are averaged (0
            when none), counted as an ``x-parley-count`` term counts them.
        measured: The item field whose length is averaged.
        minutes: The duration it holds.
    """

    mean_length: CountTerm | None = None
    measured: str = ""
    minutes: Minutes | None = None


def parse(raw: Any) -> Derived:
    """The typed value of a valid ``x-parley-derived``."""
    if "minutes" in raw:
        spec = raw["minutes"]
        ends = tuple(
            End(end) if isinstance(end, str) else End(end["field"], dict(end["unless"]))
            for end in spec["to"]
        )
        return Derived(minutes=Minutes(spec["from"], ends))
    term = raw["mean-length"]
    return Derived(
        mean_length=CountTerm(
            of=term["of"],
            items=term.get("items"),
            parameters=dict(term.get("parameters") or {}),
            where=dict(term.get("where") or {}),
        ),
        measured=term["field"],
    )


KIND = Kind(
    "derived",
    "x-parley-derived",
    "property",
    parse,
    names=lambda value: (value.mean_length.of,) if value.mean_length else (),
)
