"""The pieces several kinds share: steps, readings, the request's changes, and ``says`` quotes.

CONTRIBUTING.md's terms above the vocabulary table (rendered from ``vocabulary.json``'s
``x-parley-terms``) say what each piece means to a check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .._pointer import MISSING
from ..prose import normalise
from ._kind import Quote

__all__ = [
    "UNKNOWN",
    "Reading",
    "Request",
    "Step",
    "reading_of",
    "request_of",
    "split_says",
    "steps_of",
]

UNKNOWN = "$unknown"
"""A value valid for its schema that names nothing the server issued (an id of nothing)."""


@dataclass(frozen=True)
class Step:
    """A write run before the request under test.

    Attributes:
        run: Its operationId.
        values: Its parameter values that differ from the request's (name -> value).
        body: Its whole body, or :data:`~parley_spec.MISSING` for its request example.
    """

    run: str
    values: Mapping[str, Any] = field(default_factory=dict)
    body: Any = MISSING


@dataclass(frozen=True)
class Request:
    """How the request under test differs from the default one.

    Attributes:
        given: The steps run first, in order.
        values: Its parameter values that differ (name -> value; ``$unknown`` or an
            expression evaluated first).
        body: Its whole body, or :data:`~parley_spec.MISSING` for the request example.
    """

    given: tuple[Step, ...] = ()
    values: Mapping[str, Any] = field(default_factory=dict)
    body: Any = MISSING

    @property
    def operations(self) -> tuple[str, ...]:
        """The operationIds its steps run."""
        return tuple(step.run for step in self.given)


@dataclass(frozen=True)
class Reading:
    """A read whose one object a check compares or judges.

    Attributes:
        read: The GET's operationId.
        parameters: Its parameter values (name -> value); path values not named are the
            request's, by name.
        items: The JSON Pointer of a list in its body, or ``None``: the body is the object.
        where: Item field -> value: the one item of ``items`` whose fields equal them all.
    """

    read: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    items: str | None = None
    where: Mapping[str, Any] = field(default_factory=dict)


def steps_of(raw: Any) -> tuple[Step, ...]:
    """The typed steps of a valid list of ``{run, with?, body?}`` (``()`` for ``None``)."""
    return tuple(
        Step(item["run"], dict(item.get("with") or {}), item.get("body", MISSING))
        for item in raw or ()
    )


def request_of(raw: Mapping[str, Any]) -> Request:
    """The request changes (``given``, ``with``, ``body``) of a valid annotation value."""
    return Request(
        steps_of(raw.get("given")), dict(raw.get("with") or {}), raw.get("body", MISSING)
    )


def reading_of(raw: Mapping[str, Any]) -> Reading:
    """The reading (``read``, ``parameters``, ``items``, ``where``) of a valid value."""
    return Reading(
        raw["read"],
        dict(raw.get("parameters") or {}),
        raw.get("items"),
        dict(raw.get("where") or {}),
    )


def _quotes(raw: Any, default_at: str, pointer: str) -> tuple[Quote, ...]:
    quotes = []
    for index, item in enumerate(raw):
        here = f"{pointer}/says/{index}"
        if isinstance(item, Mapping):
            quotes.append(Quote(str(item["at"]), normalise(str(item["text"])), here))
        else:
            quotes.append(Quote(default_at, normalise(str(item)), here))
    return tuple(quotes)


def split_says(raw: Any, default_at: str, pointer: str) -> tuple[Any, tuple[Quote, ...]]:
    """An annotation value without its ``says``, and the quotes it held.

    A mapping holds its own ``says``; a list of mappings (a count's terms) holds one per item.

    Args:
        raw: The value as written (valid against the vocabulary).
        default_at: The object whose description a plain string quote is from.
        pointer: Where ``raw`` is written.

    Returns:
        ``(value without says, quotes)``; other values come back unchanged, with no quotes.
    """
    if isinstance(raw, Mapping):
        rest = {k: v for k, v in raw.items() if k != "says"}
        return rest, _quotes(raw.get("says") or (), default_at, pointer)
    if isinstance(raw, list) and all(isinstance(item, Mapping) for item in raw):
        items: list[Any] = []
        quotes: list[Quote] = []
        for index, item in enumerate(raw):
            rest, found = split_says(item, default_at, f"{pointer}/{index}")
            items.append(rest)
            quotes += found
        return items, tuple(quotes)
    return raw, ()
