"""The promise kinds the harness checks: one module each, registered in one table.

Each kind of `parley_spec.annotations.KINDS` either has a `KindCheck` here (its module says
which promises an annotation makes, the data their check needs and the check itself) or is
declared check-less in `CHECKLESS` with the reason. A kind the vocabulary gains without
either (a newer `parley_spec`) does not stop a run: its promises are reported not exercised,
"no check for kind X".
"""

from __future__ import annotations

from typing import Any

from parley_spec import Contract
from parley_spec.annotations import Annotation

from parley_contract.promises import (
    answer,
    convention,
    count,
    derived,
    disconnect,
    effect,
    filter,
    idempotent,
    keep,
    lands,
    order,
    outcome,
    read_back,
    repeat,
    stream,
    timestamps,
    visibility,
)
from parley_contract.promises.kind import KindCheck
from parley_contract.promises.promise import Promise, answering

__all__ = ["CHECKLESS", "CHECKS", "check_of", "promises_of"]


CHECKS: dict[str, KindCheck] = {
    kind.name: kind
    for kind in (
        order.KIND,
        filter.KIND,
        visibility.KIND,
        effect.KIND,
        count.KIND,
        timestamps.KIND,
        outcome.KIND,
        read_back.KIND,
        answer.KIND,
        derived.KIND,
        keep.KIND,
        repeat.KIND,
        lands.KIND,
        idempotent.KIND,
        stream.KIND,
        disconnect.KIND,
        convention.KIND,
    )
}
"""The checked kinds, by kind name."""

CHECKLESS: dict[str, str] = {
    "given": "no promise of its own: it says which writes run first, for the effect and "
    "count checks",
    "unchecked": "no check can judge it on a server under test: listed apart, with its reason",
}
"""The kinds that have no check on purpose, with the reason."""


def promises_of(contract: Contract, note: Annotation[Any]) -> list[Promise]:
    """The promises one annotation makes.

    Its kind's; none for a check-less kind; for a kind without a check, one promise that the
    run reports not exercised.
    """
    kind = CHECKS.get(note.kind)
    if kind is not None:
        return kind.promises(contract, note)
    if note.kind in CHECKLESS:
        return []
    if note.operation_id:
        return [Promise(note.kind, note.operation_id, note.parameter, note)]
    sites = answering(contract, note.schema, reads=True) if note.schema else ()
    operations = tuple(op.operation_id for op in sites or contract.operations)
    name = f"{note.schema}.{note.property_name}" if note.property_name else note.schema
    return [Promise(note.kind, operations[0], name, note, operations=operations)]


def check_of(promise: Promise) -> KindCheck | None:
    """The check of ``promise``'s kind, or None when the harness has none."""
    return CHECKS.get(promise.kind)
