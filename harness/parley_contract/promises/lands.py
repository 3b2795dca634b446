"""``x-parley-lands``: a write lands under the parent it names, and nowhere else (per item).

Judged as CONTRIBUTING.md's table of kinds says: parents P and Q made, the request naming P, the
readings of both.
"""

from __future__ import annotations

from typing import Any

from parley_spec import MISSING, Contract
from parley_spec.annotations import Annotation, Lands, Request

from parley_contract.promises.kind import KindCheck
from parley_contract.promises.promise import Promise, item_name
from parley_contract.promises.report import Ledger
from parley_contract.promises.requests import (
    Sent,
    prepare,
    read,
    resolve,
    run,
    same,
    send,
    with_subjects,
)
from parley_contract.promises.scene import Scene

__all__ = ["KIND"]

PARENT = "parent"
"""The subject naming a parent's id (``$parent#``)."""
PATH = "$request.path."


def promises(contract: Contract, note: Annotation[Any]) -> list[Promise]:
    """One promise per item, named after its reading."""
    lands: Lands = note.value
    return [Promise("lands", note.operation_id, item_name(note, lands.reading.read), note)]


def _parent(scene: Scene, lands: Lands) -> tuple[Sent, str]:
    """A new parent: its step's exchange and its id.

    Raises:
        SetupFailed: The step did not answer its success status.
        KeyError: Its answer has no id where ``id`` says.
    """
    operation = scene.contract.by_id(lands.parent.run)
    sent = run(scene, operation, Request(values=lands.parent.values, body=lands.parent.body))
    scene.world.expect(operation, sent.response, f"a parent ({lands.parent.run})")
    found = resolve(scene, lands.id, sent.exchange)
    if found is MISSING:
        raise KeyError(f"{lands.parent.run}'s answer has no {lands.id}")
    return sent, str(found)


def check(scene: Scene, promise: Promise, ledger: Ledger) -> None:
    """Make P and Q, read Q, write naming P: P's reading shows the record, Q's is as before."""
    lands: Lands = promise.value
    operation = scene.contract.by_id(promise.operation_id)
    p_made, p_id = _parent(scene, lands)
    q_made, q_id = _parent(scene, lands)
    at_q = with_subjects(q_made.exchange, **{PARENT: q_id})
    q_before = read(scene, lands.reading, at_q).sent.exchange
    path = None
    if lands.names.startswith(PATH):
        named = lands.names[len(PATH) :]
        wanted = set(operation.path_parameters) - set(p_made.exchange.path) - {named}
        path = {
            **(scene.world.path_values(operation) if wanted else {}),
            **{k: str(v) for k, v in p_made.exchange.path.items()},
            named: p_id,
        }
    prepared = prepare(scene, operation, lands.request, path=path, subjects={PARENT: p_id})
    sent = send(scene, prepared)
    who = f"{operation.operation_id} naming a new parent "
    if ledger.unsuccessful(promise, operation, scene.client, sent.response, who):
        return
    at_p = with_subjects(sent.exchange, **{PARENT: p_id})
    landed = read(scene, lands.reading, at_p)
    problem = landed.problem
    if problem is not None:
        problem = f"after {operation.operation_id} naming {p_id}: {problem}"
        ledger.judge(promise, operation.operation_id, scene.client, landed.sent.response, problem)
        return
    q_after = read(scene, lands.reading, at_q).sent
    unchanged = q_after.exchange.status == q_before.status and same(
        q_after.exchange.response_body, q_before.response_body
    )
    if not unchanged:
        problem = (
            f"after {operation.operation_id} naming {p_id}, {lands.reading.read} of the other "
            f"parent {q_id} changed"
        )
    ledger.judge(promise, operation.operation_id, scene.client, q_after.response, problem)


KIND = KindCheck("lands", promises, check, writes=lambda _promise: True)
