"""``x-parley-timestamps``: the date-time fields of a schema keep their order.

Every object of the schema in every selected read that answers it: each field of the chain
(null ones skipped) is at or after the one before it.
"""

from __future__ import annotations

import itertools
from typing import Any

from parley_spec import Contract
from parley_spec.annotations import Annotation, Timestamps

from parley_contract.data.schemas import sort_key, success_schema, walk
from parley_contract.promises.kind import KindCheck
from parley_contract.promises.promise import Promise, answering
from parley_contract.promises.report import Ledger
from parley_contract.promises.scene import Scene

__all__ = ["KIND"]


def promises(contract: Contract, note: Annotation[Any]) -> list[Promise]:
    """One promise per schema, judged on every read that answers it."""
    reads = tuple(op.operation_id for op in answering(contract, note.schema, reads=True))
    return [Promise("timestamps", reads[0], note.schema, note, operations=reads)] if reads else []


def check(scene: Scene, promise: Promise, ledger: Ledger) -> None:
    """Every object of the schema that the selected reads answer: its chain in order."""
    chain: Timestamps = promise.value
    for operation_id in promise.operations:
        operation = scene.contract.by_id(operation_id)
        if not scene.ctx.selected(operation):
            continue
        snap = scene.read(operation, scene.path_of(operation))
        objects = [
            obj
            for name, obj in walk(scene.contract, success_schema(operation), snap.body)
            if name == promise.name
        ]
        if snap.response.status_code != 200 or not objects:
            ledger.skip(
                promise,
                f"{operation_id} answered {snap.response.status_code} with no {promise.name}",
            )
            continue
        problem: str | None = None
        for obj in objects:
            stamps = [(name, obj.get(name)) for name in chain.fields if obj.get(name) is not None]
            for (a, x), (b, y) in itertools.pairwise(stamps):
                if sort_key(y) < sort_key(x):
                    problem = f"{promise.name} {obj.get('id')}: {b} {y} is before {a} {x}"
                    break
            if problem:
                break
        ledger.judge(promise, operation_id, scene.client, snap.response, problem)


KIND = KindCheck("timestamps", promises, check)
