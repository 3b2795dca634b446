"""``x-parley-derived``: a number property computed from other values.

Judged like a count read from objects (`count`), as CONTRIBUTING.md's table of kinds says.
Servers round: a value is right when it is within one unit of the last decimal place it is
answered with (4.57 for 4.5678; 3 for 3.2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from parley_spec import Contract, Exchange
from parley_spec.annotations import Annotation, Derived

from parley_contract.data.schemas import sort_key
from parley_contract.promises.count import (
    Unjudgeable,
    holders,
    matches,
    term_inputs,
    term_items,
)
from parley_contract.promises.kind import KindCheck, Needs
from parley_contract.promises.promise import Promise, answering
from parley_contract.promises.report import Ledger
from parley_contract.promises.scene import Scene

__all__ = ["KIND", "close_enough"]


def promises(contract: Contract, note: Annotation[Any]) -> list[Promise]:
    """One promise per derived property, judged on every read that answers its schema."""
    sites = tuple(op.operation_id for op in answering(contract, note.schema, reads=True))
    name = f"{note.schema}.{note.property_name}"
    return [Promise("derived", sites[0], name, note, operations=sites)] if sites else []


def needs(contract: Contract, promise: Promise) -> Needs:
    """Items in the list a mean length averages (a duration needs nothing)."""
    derived: Derived = promise.value
    term = derived.mean_length
    if term is None or term.items is None:
        return Needs()
    return Needs(grow=((contract.by_id(term.of), term.items),))


def close_enough(got: Any, expected: float) -> bool:
    """Whether number ``got`` is ``expected`` at the precision ``got`` is written with.

    Args:
        got: The value answered (a JSON number; anything else is wrong).
        expected: The value recomputed.

    Returns:
        True when they differ by at most one unit of ``got``'s last decimal place.
    """
    if isinstance(got, bool) or not isinstance(got, int | float):
        return False
    exponent = Decimal(repr(got)).as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return abs(got - expected) <= 10.0**-places + 1e-9


def _mean_length(scene: Scene, derived: Derived, source: Exchange) -> float:
    """The mean length of the measured field over the items the term selects.

    Raises:
        Unjudgeable: The term's read answered no list, or a parameter has no value.
    """
    term = derived.mean_length
    assert term is not None
    values, where = term_inputs(term, source)
    lengths = [
        len(str(item.get(derived.measured) or ""))
        for item in term_items(scene, term, values)
        if matches(item, where)
    ]
    return sum(lengths) / len(lengths) if lengths else 0.0


def _minutes(derived: Derived, obj: Mapping[str, Any]) -> float:
    """The duration the object's date-times give, in minutes.

    Raises:
        Unjudgeable: A date-time it needs is not one.
    """
    spec = derived.minutes
    assert spec is not None
    for end in spec.ends:
        skipped = end.unless and all(obj.get(k) == v for k, v in end.unless.items())
        if skipped or obj.get(end.field) is None:
            continue
        start, stop = sort_key(obj.get(spec.start)), sort_key(obj.get(end.field))
        if not isinstance(start, dt.datetime) or not isinstance(stop, dt.datetime):
            raise Unjudgeable(f"{spec.start} or {end.field} is not a date-time")
        return (stop - start).total_seconds() / 60.0
    return 0.0


def _judge_read(scene: Scene, promise: Promise, ledger: Ledger, operation_id: str) -> None:
    note = promise.note
    assert note is not None
    derived: Derived = promise.value
    operation = scene.contract.by_id(operation_id)
    path = scene.path_of(operation)
    snap = scene.read(operation, path)
    if snap.response.status_code != 200:
        ledger.skip(promise, f"{operation_id} answered {snap.response.status_code}")
        return
    prop = note.property_name
    held = holders(scene, promise, operation_id, snap.body)
    if not held:
        ledger.skip(promise, f"{operation_id} answered no {promise.name}")
    for obj in held:
        try:
            if derived.minutes is not None:
                expected = _minutes(derived, obj)
            else:
                expected = _mean_length(
                    scene, derived, Exchange(path=path, subjects={"object": obj})
                )
        except Unjudgeable as exc:
            ledger.skip(promise, f"on {operation_id}: {exc}")
            continue
        problem: str | None = None
        if not close_enough(obj.get(prop), expected):
            holder = obj.get("id", "the answer")
            problem = f"{prop} of {holder} is {obj.get(prop)!r}; its sources give {expected:.4f}"
        ledger.judge(promise, operation_id, scene.client, snap.response, problem)


def check(scene: Scene, promise: Promise, ledger: Ledger) -> None:
    """Each object holding the property against the value recomputed, on each selected read."""
    for operation_id in promise.operations:
        if scene.ctx.selected(scene.contract.by_id(operation_id)):
            _judge_read(scene, promise, ledger, operation_id)


KIND = KindCheck("derived", promises, check, needs)
