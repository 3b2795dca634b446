"""Checks of what writes and counts promise.

`x-parley-effects` (a read before and after each
write), `x-parley-count` (counts against the items they count) and `x-parley-timestamps`.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import httpx

from parley_contract.checks.world import SetupFailed, World
from parley_contract.promises._document import (
    MISSING,
    evaluate,
    pointer_get,
    response_schema,
    sort_key,
    walk,
)
from parley_contract.promises._inventory import Promise, operations_of
from parley_contract.promises._report import Ledger
from parley_contract.promises._scene import MAX_PAGES, Scene, Snapshot

__all__ = ["check_count", "check_effect", "check_timestamps"]

# Objects whose counts are compared per operation (each costs a read of what it counts).
MAX_COUNTED = 3


class _Unjudgeable(Exception):
    """A count cannot be computed (what it counts answered 404, or no list)."""


def _json(response: httpx.Response) -> Any:
    try:
        return response.json() if response.content else None
    except ValueError:
        return None


def _fill(template: str, values: Mapping[str, str]) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template


def _prepare(
    scene: Scene, operation_id: str, *, messages: bool = False
) -> tuple[World, dict[str, str], Any]:
    """A fresh world, the write's path values and body, and its `x-parley-given` write done.

    With `messages`, the fresh conversation gets one exchange first.
    """
    world = scene.fresh(messages=messages)
    write = scene.spec.by_id(operation_id)
    path = world.path_values(write)
    _, body = world.request_for(write)
    given = operations_of(scene.document)[operation_id].get("x-parley-given")
    if given:
        given_op = scene.spec.by_id(str(given))
        answer = world.call(given_op.operation_id, {k: path[k] for k in given_op.path_params})
        if answer.status_code != given_op.success_status:
            raise SetupFailed(
                scene.problem(
                    given_op.label, f"x-parley-given {given} answered {answer.status_code}", answer
                )
            )
    return world, path, body


def _expected_field(
    expectation: Any, before: Snapshot | None, pointer: str, **sources: Any
) -> tuple[str, Any]:
    """How to judge one field: (`set`|`later`|`equal`|`skip`, the value to compare with)."""
    if expectation == "$set":
        return "set", None
    if expectation == "$later":
        previous = pointer_get(before.body, pointer) if before is not None else MISSING
        ok = before is not None and before.response.status_code == 200
        return ("later", previous) if ok and previous not in (None, MISSING) else ("skip", None)
    want = evaluate(expectation, **sources)
    return ("skip", None) if want is MISSING else ("equal", want)


def check_effect(scene: Scene, promise: Promise, ledger: Ledger) -> None:
    """Read before the write, write, read after: the read answers what the effect promises."""
    effect = promise.annotation
    write = scene.spec.by_id(promise.operation_id)
    read = scene.spec.by_id(str(effect["read"]))
    world, path, body = _prepare(scene, promise.operation_id)
    expressions = dict(effect.get("parameters") or {})

    def read_path(response_body: Any) -> dict[str, str]:
        values = {name: path[name] for name in read.path_params if name in path}
        for name, expression in expressions.items():
            value = evaluate(
                expression, request_path=path, request_body=body, response_body=response_body
            )
            if value is not MISSING:
                values[name] = str(value)
        return values

    later = any(str(v).startswith("$response") for v in expressions.values())
    before = None if later else scene.read(read.operation_id, read_path(MISSING))
    response = world.client.request(write.method, _fill(write.path, path), body=body)
    if response.status_code != write.success_status:
        failure = (
            f"{write.operation_id} answered {response.status_code}, not {write.success_status}"
        )
        ledger.judge(promise, promise.operation_id, world.client, response, failure)
        return
    answer = _json(response)
    after = scene.read(read.operation_id, read_path(answer))
    status = int(effect.get("status", 200))
    problem: str | None = None
    if after.response.status_code != status:
        problem = (
            f"after {write.operation_id}, {read.operation_id} answered "
            f"{after.response.status_code}, not {status}"
        )
    compared = 0
    for pointer, expectation in (effect.get("fields") or {}).items():
        if problem is not None:
            break
        how, want = _expected_field(
            expectation, before, pointer, request_path=path, request_body=body, response_body=answer
        )
        got = pointer_get(after.body, pointer)
        wrong = (
            (how == "set" and got in (None, MISSING))
            or (how == "equal" and got != want)
            or (how == "later" and (got in (None, MISSING) or sort_key(got) <= sort_key(want)))
        )
        compared += how != "skip"
        if wrong:
            expected = {"set": "a value", "later": f"later than {want!r}"}.get(how, repr(want))
            problem = (
                f"after {write.operation_id}, {read.operation_id} reads {pointer} as "
                f"{None if got is MISSING else got!r}, expected {expected}"
            )
    if problem is None and not compared and "status" not in effect:
        ledger.skip(promise, "the write's example request sets none of the fields it names")
        return
    ledger.judge(promise, promise.operation_id, scene.client, after.response, problem)


def _items(scene: Scene, operation_id: str, path: dict[str, str]) -> list[Any]:
    """Every item of a list operation (pages followed), or `[body]` for a single object.

    Raises:
        _Unjudgeable: The read did not answer 200 with a list (404 means 'nothing').
    """
    raw = operations_of(scene.document)[operation_id]
    pointer = (raw.get("x-parley-order") or {}).get("items")
    items: list[Any] = []
    for page in range(1, MAX_PAGES + 1):
        snap = scene.read(operation_id, path, {"page": page} if page > 1 else None)
        if snap.response.status_code != 200:
            raise _Unjudgeable(f"{operation_id} answered {snap.response.status_code}")
        if pointer is None:
            return [snap.body]
        found = pointer_get(snap.body, str(pointer))
        if not isinstance(found, list):
            raise _Unjudgeable(f"{operation_id} has no list at {pointer!r}")
        items += found
        pages = snap.body.get("pages") if isinstance(snap.body, Mapping) else None
        if not isinstance(pages, int) or page >= pages:
            break
    return items


def _matches(item: Any, where: Mapping[str, Any]) -> bool:
    if not isinstance(item, Mapping):
        return False
    for name, want in where.items():
        got = item.get(name)
        if want == "$set":
            if got is None:
                return False
        elif str(got).lower() != str(want).lower():
            return False
    return True


def _count(
    scene: Scene, terms: list[Mapping[str, Any]], path: dict[str, str], obj: Any, gone: bool
) -> int:
    """What the count's terms add up to now; with `gone`, a 404 counts as nothing."""
    total = 0
    for term in terms:
        read = scene.spec.by_id(str(term["of"]))
        values = {}
        for name, expression in (term.get("parameters") or {}).items():
            value = evaluate(expression, request_path=path, obj=obj)
            if value is MISSING:
                raise _Unjudgeable(f"no value for {name}")
            values[name] = str(value)
        where = {
            name: evaluate(value, request_path=path, obj=obj)
            for name, value in (term.get("where") or {}).items()
        }
        try:
            items = _items(scene, read.operation_id, values)
        except _Unjudgeable as exc:
            if gone and "answered 404" in str(exc):
                continue
            raise
        total += int(term.get("times", 1)) * sum(_matches(item, where) for item in items)
    return total


def check_count(scene: Scene, promise: Promise, ledger: Ledger, selected: set[str]) -> None:
    """Each object holding the count (up to 3 per operation) against what it counts."""
    terms = list(promise.annotation)
    schema, prop = promise.name.split(".", 1)
    change = any(term.get("when") == "change" for term in terms)
    for operation_id in (op for op in promise.operations if op in selected):
        try:
            if change:
                _change_count(scene, promise, ledger, operation_id, terms)
            else:
                _read_count(scene, promise, ledger, operation_id, terms)
        except _Unjudgeable as exc:
            ledger.skip(promise, f"on {operation_id}: {exc}")
        except KeyError as exc:
            ledger.skip(promise, f"on {operation_id}: the scene has no value for {exc}")
    del schema, prop


def _holders(
    scene: Scene, promise: Promise, operation_id: str, body: Any
) -> list[Mapping[str, Any]]:
    schema, prop = promise.name.split(".", 1)
    raw = operations_of(scene.document)[operation_id]
    found = [
        obj
        for name, obj in walk(scene.document, response_schema(scene.document, raw), body)
        if name == schema and prop in obj
    ]
    known = scene.known_ids()
    found.sort(key=lambda obj: str(obj.get("id")) not in known)
    return found[:MAX_COUNTED]


def _read_count(
    scene: Scene, promise: Promise, ledger: Ledger, operation_id: str, terms: list[Any]
) -> None:
    operation = scene.spec.by_id(operation_id)
    path = scene.path_of(operation)
    snap = scene.read(operation_id, path)
    if snap.response.status_code != 200:
        ledger.skip(promise, f"{operation_id} answered {snap.response.status_code}")
        return
    prop = promise.name.split(".", 1)[1]
    for obj in _holders(scene, promise, operation_id, snap.body):
        try:
            expected = _count(scene, terms, path, obj, gone=False)
        except _Unjudgeable as exc:
            ledger.skip(promise, f"on {operation_id}: {exc}")
            continue
        problem: str | None = None
        if obj.get(prop) != expected:
            holder = obj.get("id", "the answer")
            problem = f"{prop} of {holder} is {obj.get(prop)!r}; what it counts gives {expected}"
        ledger.judge(promise, operation_id, scene.client, snap.response, problem)


def _change_count(
    scene: Scene, promise: Promise, ledger: Ledger, operation_id: str, terms: list[Any]
) -> None:
    world, path, body = _prepare(scene, operation_id, messages=True)
    write = scene.spec.by_id(operation_id)
    before = _count(scene, terms, path, MISSING, gone=True)
    response = world.client.request(write.method, _fill(write.path, path), body=body)
    after = _count(scene, terms, path, MISSING, gone=True)
    prop = promise.name.split(".", 1)[1]
    holders = _holders(scene, promise, operation_id, _json(response))
    if response.status_code != write.success_status or not holders:
        failure = f"{operation_id} answered {response.status_code} without {prop}"
        ledger.judge(promise, operation_id, world.client, response, failure)
        return
    got, expected = holders[0].get(prop), abs(after - before)
    problem: str | None = None
    if got != expected:
        problem = f"{prop} is {got!r}; what it counts went from {before} to {after}"
    ledger.judge(promise, operation_id, world.client, response, problem)


def check_timestamps(scene: Scene, promise: Promise, ledger: Ledger, selected: set[str]) -> None:
    """Every object of the schema that the operations answer: its timestamps in chain order."""
    chain = [str(name) for name in promise.annotation]
    for operation_id in (op for op in promise.operations if op in selected):
        try:
            path = scene.path_of(scene.spec.by_id(operation_id))
        except KeyError as exc:
            ledger.skip(promise, f"on {operation_id}: the scene has no value for {exc}")
            continue
        snap = scene.read(operation_id, path)
        raw = operations_of(scene.document)[operation_id]
        objects = [
            obj
            for name, obj in walk(scene.document, response_schema(scene.document, raw), snap.body)
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
            stamps = [(name, obj.get(name)) for name in chain if obj.get(name) is not None]
            for (a, x), (b, y) in itertools.pairwise(stamps):
                if sort_key(y) < sort_key(x):
                    problem = f"{promise.name} {obj.get('id')}: {b} {y} is before {a} {x}"
                    break
            if problem:
                break
        ledger.judge(promise, operation_id, scene.client, snap.response, problem)
