"""``x-parley-repeat``: a write sent again replaces what the first one set (one promise per item).

Judged on a new resource, as CONTRIBUTING.md's table of kinds says: a merge of the two, or the
first kept, fails it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from parley_spec import Contract
from parley_spec.annotations import Annotation, Repeat

from parley_contract.client import ApiClient
from parley_contract.data.schemas import request_schema
from parley_contract.promises.kind import KindCheck
from parley_contract.promises.promise import Promise, item_name
from parley_contract.promises.report import Ledger
from parley_contract.promises.requests import Prepared, expect, prepare, read, resolve, send
from parley_contract.promises.scene import Scene

__all__ = ["KIND"]


def promises(contract: Contract, note: Annotation[Any]) -> list[Promise]:
    """One promise per item, named after its reading."""
    repeat: Repeat = note.value
    return [Promise("repeat", note.operation_id, item_name(note, repeat.reading.read), note)]


def _again(scene: Scene, first: Prepared, body: Any) -> Prepared:
    """The same request with another body and, when it takes one, a fresh key."""
    headers = {
        name: ApiClient.new_key() if name.lower() == "idempotency-key" else value
        for name, value in first.headers.items()
    }
    schema = request_schema(first.operation)
    return dataclasses.replace(
        first, headers=headers, body=resolve(scene, body, first.exchange(), schema)
    )


def check(scene: Scene, promise: Promise, ledger: Ledger) -> None:
    """Write ``first``, write ``again``, read: the read shows what ``again`` set."""
    repeat: Repeat = promise.value
    operation = scene.contract.by_id(promise.operation_id)
    prepared = prepare(scene, operation, dataclasses.replace(repeat.request, body=repeat.first))
    second = _again(scene, prepared, repeat.again)
    for attempt in (prepared, second):
        sent = send(scene, attempt)
        who = f"{operation.operation_id} {'again ' if attempt is second else ''}"
        if ledger.unsuccessful(promise, operation, scene.client, sent.response, who):
            return
    got = read(scene, repeat.reading, sent.exchange)
    problem = got.problem or expect(scene, repeat.fields, got.object, sent.exchange)
    if problem is not None and got.problem is None:
        problem = f"after {operation.operation_id} twice, {repeat.reading.read} reads {problem}"
    ledger.judge(promise, operation.operation_id, scene.client, got.sent.response, problem)


KIND = KindCheck("repeat", promises, check, writes=lambda _promise: True)
