"""``x-parley-answer``: what a write's own answer holds, against its request (per item).

Each item is judged as CONTRIBUTING.md's table of kinds says, its `Request` run through
`promises.requests`.
"""

from __future__ import annotations

from typing import Any

from parley_spec import MISSING, Contract
from parley_spec.annotations import Annotation, Answer

from parley_contract.promises.kind import KindCheck
from parley_contract.promises.promise import Promise
from parley_contract.promises.read_back import incomplete
from parley_contract.promises.report import Ledger
from parley_contract.promises.requests import expect, read, run, with_subjects
from parley_contract.promises.scene import Scene

__all__ = ["KIND"]


def promises(contract: Contract, note: Annotation[Any]) -> list[Promise]:
    """One promise per item, named after its index: ``#0``."""
    index = note.pointer.rsplit("/", 1)[-1]
    return [Promise("answer", note.operation_id, f"#{index}", note)]


def check(scene: Scene, promise: Promise, ledger: Ledger) -> None:
    """Run ``given``, send the request: its success answer holds every expectation."""
    answer: Answer = promise.value
    operation = scene.contract.by_id(promise.operation_id)
    sent = run(scene, operation, answer.request)
    response = sent.response
    if ledger.unsuccessful(promise, operation, scene.client, response):
        return
    exchange = sent.exchange
    if answer.reading is not None:
        got = read(scene, answer.reading, exchange)
        if got.problem is not None:
            judged = got.sent.response
            ledger.judge(promise, promise.operation_id, scene.client, judged, got.problem)
            return
        exchange = with_subjects(exchange, read=got.object)
    body = exchange.response_body
    problem = expect(scene, answer.fields, body, exchange) if body is not MISSING else "no body"
    incomplete(scene, promise, ledger, answer.fields, exchange)
    ledger.judge(promise, promise.operation_id, scene.client, response, problem)


KIND = KindCheck("answer", promises, check, writes=lambda _promise: True)
