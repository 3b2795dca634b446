"""``x-parley-count``: what an integer property counts (a sum of terms)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._kind import Kind


@dataclass(frozen=True)
class CountTerm:
    """One term of a count: the items of one read that match.

    Attributes:
        of: The operationId of the read whose items are counted.
        items: JSON Pointer of the list in its body; ``None``: its one object counts 1.
        parameters: Its parameter values as runtime expressions (``$object#/id``: the object
            holding the count; ``$request.path.X``: the request that answered it).
        where: Item field -> condition: ``$set`` (not null), ``None`` (null) or a value
            (compared as text, without case; a runtime expression is evaluated first).
        times: A multiplier (two messages per Q&A exchange).
        on_change: The count is a write's count of what it changed (before minus after).
    """

    of: str
    items: str | None = None
    parameters: Mapping[str, str] = field(default_factory=dict)
    where: Mapping[str, Any] = field(default_factory=dict)
    times: int = 1
    on_change: bool = False


@dataclass(frozen=True)
class Count:
    """A count: the sum of its terms.

    Attributes:
        terms: The terms, added up.
    """

    terms: tuple[CountTerm, ...]

    @property
    def on_change(self) -> bool:
        """Whether it counts what a write changed (any term says ``when: change``)."""
        return any(term.on_change for term in self.terms)


def _term(raw: Mapping[str, Any]) -> CountTerm:
    return CountTerm(
        of=raw["of"],
        items=raw.get("items"),
        parameters=dict(raw.get("parameters") or {}),
        where=dict(raw.get("where") or {}),
        times=int(raw.get("times", 1)),
        on_change=raw.get("when") == "change",
    )


def parse(raw: Any) -> Count:
    """The typed count of a valid ``x-parley-count`` (one term or a list of terms)."""
    return Count(tuple(_term(term) for term in (raw if isinstance(raw, list) else [raw])))


KIND = Kind(
    "count", "x-parley-count", "property", parse, names=lambda v: tuple(t.of for t in v.terms)
)
