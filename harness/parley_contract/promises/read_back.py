"""``x-parley-read-back``: a later read shows what a write answered (one promise per item).

Each item is judged as CONTRIBUTING.md's table of kinds says, its `Request` run through
`promises.requests`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from parley_spec import MISSING, Contract, Exchange, pointer_get
from parley_spec.annotations import Annotation, ReadBack

from parley_contract.promises.kind import KindCheck
from parley_contract.promises.promise import Promise
from parley_contract.promises.report import Ledger
from parley_contract.promises.requests import expect, read, run, same, unjudged
from parley_contract.promises.scene import Scene

__all__ = ["KIND", "differences", "incomplete"]


def promises(contract: Contract, note: Annotation[Any]) -> list[Promise]:
    """One promise per item, named after its read and its index: ``getItem #2``."""
    value: ReadBack = note.value
    index = note.pointer.rsplit("/", 1)[-1]
    return [Promise("read_back", note.operation_id, f"{value.reading.read} #{index}", note)]


def differences(read: Any, answered: Any, ignored: tuple[str, ...] = ()) -> str | None:
    """How an object read differs from the one answered (members of ``ignored`` aside), or None."""
    if not (isinstance(read, Mapping) and isinstance(answered, Mapping)):
        return None if same(read, answered) else f"reads {read!r}, answered {answered!r}"
    for name in sorted(set(read) | set(answered)):
        got, want = read.get(name, MISSING), answered.get(name, MISSING)
        if name not in ignored and not same(got, want):
            return f"reads {name} as {_shown(got)}, the write answered {_shown(want)}"
    return None


def _shown(value: Any) -> str:
    return "nothing" if value is MISSING else repr(value)


def incomplete(
    scene: Scene, promise: Promise, ledger: Ledger, fields: Mapping[str, Any], exchange: Exchange
) -> None:
    """Record in ``ledger`` the expectations of ``fields`` that ``exchange`` has no value for.

    The promise is then not exercised, unless it failed (`Ledger.incomplete`).
    """
    missing = unjudged(scene, fields, exchange)
    if missing:
        ledger.incomplete(promise, f"the exchange has no value for {', '.join(missing)}")


def check(scene: Scene, promise: Promise, ledger: Ledger) -> None:
    """Run ``given``, send the write, take the reading: it shows what the write answered."""
    value: ReadBack = promise.value
    operation = scene.contract.by_id(promise.operation_id)
    sent = run(scene, operation, value.request)
    response = sent.response
    if ledger.unsuccessful(promise, operation, scene.client, response):
        return
    got = read(scene, value.reading, sent.exchange)
    problem = got.problem
    if problem is None and value.answer is not None:
        answered = pointer_get(sent.exchange.response_body, value.answer)
        problem = differences(got.object, answered, value.except_fields)
    if problem is None:
        problem = expect(scene, value.fields, got.object, sent.exchange)
        problem = problem and f"reads {problem}"
    if problem is not None:
        problem = f"after {promise.operation_id}: {problem}"
    incomplete(scene, promise, ledger, value.fields, sent.exchange)
    ledger.judge(promise, promise.operation_id, scene.client, got.sent.response, problem)


KIND = KindCheck("read_back", promises, check, writes=lambda _promise: True)
