"""``x-parley-outcomes``: the status a state or an input must get (one promise per item).

Each item is judged as CONTRIBUTING.md's table of kinds says, its `Request` run through
`promises.requests` on a new resource.
"""

from __future__ import annotations

from typing import Any

from parley_spec import Contract
from parley_spec.annotations import Annotation, Outcome

from parley_contract.checks.context import PROBLEM, media_type
from parley_contract.promises.kind import KindCheck
from parley_contract.promises.promise import Promise
from parley_contract.promises.report import Ledger
from parley_contract.promises.requests import Sent, run
from parley_contract.promises.scene import Scene

__all__ = ["KIND", "problem_of"]


def promises(contract: Contract, note: Annotation[Any]) -> list[Promise]:
    """One promise per item, named after its status and its index: ``409 #1``."""
    outcome: Outcome = note.value
    index = note.pointer.rsplit("/", 1)[-1]
    return [Promise("outcome", note.operation_id, f"{outcome.status} #{index}", note)]


def problem_of(sent: Sent, status: int, problem: str | None) -> str | None:
    """What is wrong with an answer that must have ``status`` (and Problem ``type``), or None."""
    response = sent.response
    if response.status_code != status:
        return f"answered {response.status_code}, not {status}: {response.text[:200]}"
    if status < 400:
        return None
    media = media_type(response)
    body = sent.exchange.response_body
    if media != PROBLEM or not isinstance(body, dict):
        return f"answered {status} with {media or 'no media type'}, not a Problem ({PROBLEM})"
    if body.get("status") != status:
        return f"answered {status} with a Problem whose status is {body.get('status')!r}"
    kind = body.get("type")
    if problem is not None and not (
        kind == problem or (isinstance(kind, str) and kind.endswith("/" + problem))
    ):
        return f"answered a Problem of type {kind!r}, not {problem!r}"
    return None


def check(scene: Scene, promise: Promise, ledger: Ledger) -> None:
    """Run ``given``, send the request with ``with`` and ``body``: it answers ``status``."""
    outcome: Outcome = promise.value
    operation = scene.contract.by_id(promise.operation_id)
    sent = run(scene, operation, outcome.request)
    problem = problem_of(sent, outcome.status, outcome.problem)
    ledger.judge(promise, promise.operation_id, scene.client, sent.response, problem)


KIND = KindCheck("outcome", promises, check, writes=lambda _promise: True)
