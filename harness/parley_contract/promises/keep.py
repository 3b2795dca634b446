"""``x-parley-keeps``: what a write leaves as it was (one promise per item).

Judged on a new resource, as CONTRIBUTING.md's table of kinds says (date-times compare as
instants).
"""

from __future__ import annotations

from typing import Any

from parley_spec import MISSING, Contract, pointer_get
from parley_spec.annotations import Annotation, Keep

from parley_contract.promises.kind import KindCheck
from parley_contract.promises.promise import Promise
from parley_contract.promises.report import Ledger
from parley_contract.promises.requests import prepare, read, run_steps, same, send
from parley_contract.promises.scene import Scene

__all__ = ["KIND"]


def promises(contract: Contract, note: Annotation[Any]) -> list[Promise]:
    """One promise per item, named after its reading and the fields it keeps."""
    keep: Keep = note.value
    return [
        Promise("keep", note.operation_id, f"{keep.reading.read} {','.join(keep.fields)}", note)
    ]


def _shown(value: Any) -> str:
    text = "nothing" if value is MISSING else repr(value)
    return text if len(text) <= 160 else text[:157] + "..."


def check(scene: Scene, promise: Promise, ledger: Ledger) -> None:
    """Read, write, run ``then``, read again: every kept field is what it was."""
    keep: Keep = promise.value
    operation = scene.contract.by_id(promise.operation_id)
    prepared = prepare(scene, operation, keep.request)
    before = read(scene, keep.reading, prepared.exchange())
    if before.problem is not None:
        ledger.skip(promise, f"before {promise.operation_id}: {before.problem}")
        return
    sent = send(scene, prepared)
    who = f"{operation.operation_id} "
    if ledger.unsuccessful(promise, operation, scene.client, sent.response, who):
        return
    run_steps(scene, keep.then, sent.exchange)
    after = read(scene, keep.reading, sent.exchange)
    problem: str | None = after.problem
    pointer: str
    for pointer in keep.fields if problem is None else ():
        was = pointer_get(before.object, pointer, from_end=True)
        now = pointer_get(after.object, pointer, from_end=True)
        if not same(now, was):
            problem = (
                f"after {operation.operation_id}, {keep.reading.read} reads {pointer} as "
                f"{_shown(now)}, not {_shown(was)} as before"
            )
            break
    ledger.judge(promise, operation.operation_id, scene.client, after.sent.response, problem)


KIND = KindCheck("keep", promises, check, writes=lambda _promise: True)
