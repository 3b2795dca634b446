"""``x-parley-idempotent``: a write without an ``Idempotency-Key`` that a repeat leaves alone.

Judged on a new resource, as CONTRIBUTING.md's table of kinds says.
"""

from __future__ import annotations

from typing import Any

from parley_spec import MISSING, Contract
from parley_spec.annotations import Annotation, Idempotent

from parley_contract.promises.kind import KindCheck
from parley_contract.promises.promise import Promise
from parley_contract.promises.report import Ledger
from parley_contract.promises.requests import expect, prepare, read, same, send, with_subjects
from parley_contract.promises.scene import Scene

__all__ = ["KIND"]

BEFORE = "before"
"""The subject naming the first reading's object before the call (``$before#``)."""


def promises(contract: Contract, note: Annotation[Any]) -> list[Promise]:
    """One promise per annotation, on its operation."""
    return [Promise("idempotent", note.operation_id, "", note)]


def check(scene: Scene, promise: Promise, ledger: Ledger) -> None:
    """Read, call once more, read again: the answer holds ``answer``, the reads are unchanged."""
    idempotent: Idempotent = promise.value
    operation = scene.contract.by_id(promise.operation_id)
    prepared = prepare(scene, operation, idempotent.request)
    before = [read(scene, reading, prepared.exchange()) for reading in idempotent.reads]
    unread = next((taken.problem for taken in before if taken.problem is not None), None)
    if unread is not None:
        ledger.skip(promise, f"before {operation.operation_id}: {unread}")
        return
    sent = send(scene, prepared)
    if ledger.unsuccessful(
        promise, operation, scene.client, sent.response, f"{operation.operation_id} "
    ):
        return
    first = before[0].object if before else MISSING
    exchange = with_subjects(sent.exchange, **{BEFORE: first})
    problem = expect(scene, idempotent.answer, sent.exchange.response_body, exchange)
    if problem is not None:
        problem = f"called again, {operation.operation_id} answers {problem}"
        ledger.judge(promise, operation.operation_id, scene.client, sent.response, problem)
        return
    for reading, taken in zip(idempotent.reads, before, strict=True):
        again = read(scene, reading, sent.exchange)
        if again.problem is not None or not same(again.object, taken.object):
            problem = again.problem or "it reads otherwise than before"
            problem = f"after {operation.operation_id} again, {reading.read}: {problem}"
        ledger.judge(promise, operation.operation_id, scene.client, again.sent.response, problem)
        if problem is not None:
            return


KIND = KindCheck("idempotent", promises, check, writes=lambda _promise: True)
