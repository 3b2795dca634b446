"""``x-parley-effects``: what a write changes in a later read (one promise per effect).

Judged as CONTRIBUTING.md's table of kinds says, on a new resource (the write's feed sent again)
and after the writes ``x-parley-given`` names. An effect whose fields the example request leaves
all unset, and that states no status, is not exercised.
"""

from __future__ import annotations

from typing import Any

from parley_spec import MISSING, Contract, Exchange, evaluate, is_expression, pointer_get
from parley_spec.annotations import LATER, SET, Annotation, Effect

from parley_contract.data.schemas import sort_key
from parley_contract.promises.kind import KindCheck
from parley_contract.promises.promise import Promise
from parley_contract.promises.report import Ledger
from parley_contract.promises.scene import Scene, Snapshot, json_of

__all__ = ["KIND"]


def promises(contract: Contract, note: Annotation[Any]) -> list[Promise]:
    """One promise per effect, named after its read."""
    effect: Effect = note.value
    return [Promise("effect", note.operation_id, effect.read, note)]


def _expected(
    expectation: Any, before: Snapshot | None, pointer: str, sent: Exchange
) -> tuple[str, Any]:
    """How to judge one field: (``set``|``later``|``equal``|``skip``, the value to compare with)."""
    if expectation == SET:
        return "set", None
    if expectation == LATER:
        previous = pointer_get(before.body, pointer) if before is not None else MISSING
        ok = before is not None and before.response.status_code == 200
        return ("later", previous) if ok and previous not in (None, MISSING) else ("skip", None)
    want = evaluate(expectation, sent) if is_expression(expectation) else expectation
    return ("skip", None) if want is MISSING else ("equal", want)


def _wrong(how: str, got: Any, want: Any) -> bool:
    if how == "set":
        return got in (None, MISSING)
    if how == "equal":
        return bool(got != want)
    if how == "later":
        return got in (None, MISSING) or sort_key(got) <= sort_key(want)
    return False


def check(scene: Scene, promise: Promise, ledger: Ledger) -> None:
    """Read before the write, write, read after: the read answers what the effect promises."""
    effect: Effect = promise.value
    world = scene.world
    write = scene.contract.by_id(promise.operation_id)
    read = scene.contract.by_id(effect.read)
    path = world.path_values(write, fresh=True)
    body = world.body_for(write)
    world.prepare(write, path)
    sent = Exchange(method=write.method, path=path, request_body=MISSING if body is None else body)

    def read_path(exchange: Exchange) -> dict[str, str]:
        values = {name: path[name] for name in read.path_parameters if name in path}
        for name, expression in effect.parameters.items():
            value = evaluate(expression, exchange)
            if value is not MISSING:
                values[name] = str(value)
        return values

    later = any(str(v).startswith("$response") for v in effect.parameters.values())
    before = None if later else scene.read(read, read_path(sent))
    response = world.call(write, path, body)
    if ledger.unsuccessful(promise, write, world.client, response, f"{write.operation_id} "):
        return
    answered = Exchange(
        method=write.method,
        path=path,
        request_body=sent.request_body,
        status=response.status_code,
        response_body=MISSING if (answer := json_of(response)) is None else answer,
    )
    after = scene.read(read, read_path(answered))
    problem: str | None = None
    if after.response.status_code != effect.status:
        problem = (
            f"after {write.operation_id}, {read.operation_id} answered "
            f"{after.response.status_code}, not {effect.status}"
        )
    compared = 0
    for pointer, expectation in effect.fields.items():
        if problem is not None:
            break
        how, want = _expected(expectation, before, pointer, answered)
        got = pointer_get(after.body, pointer)
        compared += how != "skip"
        if _wrong(how, got, want):
            expected = {"set": "a value", "later": f"later than {want!r}"}.get(how, repr(want))
            problem = (
                f"after {write.operation_id}, {read.operation_id} reads {pointer} as "
                f"{None if got is MISSING else got!r}, expected {expected}"
            )
    if problem is None and not compared and not effect.status_given:
        ledger.skip(promise, "the write's example request sets none of the fields it names")
        return
    ledger.judge(promise, promise.operation_id, scene.client, after.response, problem)


KIND = KindCheck("effect", promises, check, writes=lambda _promise: True)
