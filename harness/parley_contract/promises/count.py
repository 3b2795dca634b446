"""``x-parley-count``: an integer property counts items of another read (a sum of terms).

Judged as CONTRIBUTING.md's table of kinds says: up to `MAX_COUNTED` objects per read (ids the
scene made first); a count of a change (``when: change``) on a new resource that first gets one
item of each counted list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from parley_spec import MISSING, Contract, Exchange, evaluate, is_expression, pointer_get
from parley_spec.annotations import SET, Annotation, Count, CountTerm

from parley_contract.data.schemas import success_schema, walk
from parley_contract.promises.kind import KindCheck, Needs
from parley_contract.promises.promise import Promise, answering
from parley_contract.promises.report import Ledger
from parley_contract.promises.scene import MAX_PAGES, Scene, json_of

__all__ = ["KIND", "MAX_COUNTED", "Unjudgeable", "holders", "matches", "term_inputs", "term_items"]

MAX_COUNTED = 3
"""Objects whose counts are compared per read (each costs reads of what it counts)."""


class Unjudgeable(Exception):
    """A count cannot be computed (what it counts answered 404, or no list)."""


def promises(contract: Contract, note: Annotation[Any]) -> list[Promise]:
    """One promise per count, judged where its schema appears.

    On reads; on writes for a count of a change.
    """
    count: Count = note.value
    sites = answering(contract, note.schema, reads=not count.on_change)
    if not sites:
        return []
    name = f"{note.schema}.{note.property_name}"
    ids = tuple(op.operation_id for op in sites)
    return [Promise("count", ids[0], name, note, operations=ids)]


def needs(contract: Contract, promise: Promise) -> Needs:
    """Items in the lists its terms count (a count of a change makes its own)."""
    count: Count = promise.value
    if count.on_change:
        return Needs()
    return Needs(
        grow=tuple(
            (contract.by_id(term.of), term.items) for term in count.terms if term.items is not None
        )
    )


def term_items(scene: Scene, term: CountTerm, path: dict[str, str]) -> list[Any]:
    """Every item the term's read answers (pages followed), or ``[body]`` for one object.

    Raises:
        Unjudgeable: The read did not answer 200 with a list (404 means 'nothing').
    """
    operation = scene.contract.by_id(term.of)
    items: list[Any] = []
    for page in range(1, MAX_PAGES + 1):
        snap = scene.read(operation, path, {"page": page} if page > 1 else None)
        if snap.response.status_code != 200:
            raise Unjudgeable(f"{term.of} answered {snap.response.status_code}")
        if term.items is None:
            return [snap.body]
        found = pointer_get(snap.body, term.items)
        if not isinstance(found, list):
            raise Unjudgeable(f"{term.of} has no list at {term.items!r}")
        items += found
        pages = snap.body.get("pages") if isinstance(snap.body, Mapping) else None
        if not isinstance(pages, int) or page >= pages:
            break
    return items


def matches(item: Any, where: Mapping[str, Any]) -> bool:
    """Whether ``item`` meets a term's ``where``: ``$set`` is not null, values match as text."""
    if not isinstance(item, Mapping):
        return False
    for name, want in where.items():
        got = item.get(name)
        if want == SET:
            if got is None:
                return False
        elif str(got).lower() != str(want).lower():
            return False
    return True


def term_inputs(term: CountTerm, source: Exchange) -> tuple[dict[str, str], dict[str, Any]]:
    """A term's read parameters and its ``where``, their expressions evaluated over ``source``.

    Raises:
        Unjudgeable: A parameter has no value.
    """
    values = {}
    for name, expression in term.parameters.items():
        value = evaluate(expression, source)
        if value is MISSING:
            raise Unjudgeable(f"no value for {name}")
        values[name] = str(value)
    where = {
        name: evaluate(value, source) if is_expression(value) else value
        for name, value in term.where.items()
    }
    return values, where


def _total(scene: Scene, count: Count, source: Exchange, *, gone: bool) -> int:
    """What the count's terms add up to now; with ``gone``, a 404 counts as nothing."""
    total = 0
    for term in count.terms:
        values, where = term_inputs(term, source)
        try:
            items = term_items(scene, term, values)
        except Unjudgeable as exc:
            if gone and "answered 404" in str(exc):
                continue
            raise
        total += term.times * sum(matches(item, where) for item in items)
    return total


def holders(
    scene: Scene, promise: Promise, operation_id: str, body: Any
) -> list[Mapping[str, Any]]:
    """The objects of ``body`` (an answer of the operation) holding the promise's property.

    At most `MAX_COUNTED`, those whose ids the scene made first.
    """
    note = promise.note
    assert note is not None
    operation = scene.contract.by_id(operation_id)
    found = [
        obj
        for name, obj in walk(scene.contract, success_schema(operation), body)
        if name == note.schema and note.property_name in obj
    ]
    known = scene.known_ids()
    found.sort(key=lambda obj: str(obj.get("id")) not in known)
    return found[:MAX_COUNTED]


def _read_count(scene: Scene, promise: Promise, ledger: Ledger, operation_id: str) -> None:
    operation = scene.contract.by_id(operation_id)
    path = scene.path_of(operation)
    snap = scene.read(operation, path)
    if snap.response.status_code != 200:
        ledger.skip(promise, f"{operation_id} answered {snap.response.status_code}")
        return
    prop = promise.name.split(".", 1)[1]
    for obj in holders(scene, promise, operation_id, snap.body):
        try:
            expected = _total(
                scene, promise.value, Exchange(path=path, subjects={"object": obj}), gone=False
            )
        except Unjudgeable as exc:
            ledger.skip(promise, f"on {operation_id}: {exc}")
            continue
        problem: str | None = None
        if obj.get(prop) != expected:
            holder = obj.get("id", "the answer")
            problem = f"{prop} of {holder} is {obj.get(prop)!r}; what it counts gives {expected}"
        ledger.judge(promise, operation_id, scene.client, snap.response, problem)


def _change_count(scene: Scene, promise: Promise, ledger: Ledger, operation_id: str) -> None:
    count: Count = promise.value
    world = scene.world
    write = scene.contract.by_id(operation_id)
    path = world.path_values(write, fresh=True)
    source = Exchange(path=path)
    for term in count.terms:
        if term.items is not None:
            counted = scene.contract.by_id(term.of)
            values = {name: str(evaluate(e, source)) for name, e in term.parameters.items()}
            world.grow(counted, 1, items=term.items, values=values)
    body = world.body_for(write)
    world.prepare(write, path)
    before = _total(scene, count, source, gone=True)
    response = world.call(write, path, body)
    after = _total(scene, count, source, gone=True)
    prop = promise.name.split(".", 1)[1]
    held = holders(scene, promise, operation_id, json_of(response))
    if response.status_code != write.success_status or not held:
        failure = f"{operation_id} answered {response.status_code} without {prop}"
        ledger.judge(promise, operation_id, world.client, response, failure)
        return
    got, expected = held[0].get(prop), abs(after - before)
    problem: str | None = None
    if got != expected:
        problem = f"{prop} is {got!r}; what it counts went from {before} to {after}"
    ledger.judge(promise, operation_id, world.client, response, problem)


def check(scene: Scene, promise: Promise, ledger: Ledger) -> None:
    """Each object holding the count against what it counts, on each selected site."""
    judge = _change_count if promise.value.on_change else _read_count
    for operation_id in promise.operations:
        if not scene.ctx.selected(scene.contract.by_id(operation_id)):
            continue
        try:
            judge(scene, promise, ledger, operation_id)
        except Unjudgeable as exc:
            ledger.skip(promise, f"on {operation_id}: {exc}")


KIND = KindCheck("count", promises, check, needs, writes=lambda p: bool(p.value.on_change))
