"""``x-parley-filter``: a query parameter keeps exactly the items whose field equals it.

Judged as CONTRIBUTING.md's table of kinds says; an enum value never seen on both sides leaves
the promise not exercised.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from parley_spec import Contract
from parley_spec.annotations import Annotation, Filter, Visibility

from parley_contract.promises.kind import KindCheck, Needs
from parley_contract.promises.promise import Promise
from parley_contract.promises.report import Ledger
from parley_contract.promises.scene import PER_PAGE, Scene, Snapshot, ids_of, items_of

__all__ = ["KIND"]


def promises(contract: Contract, note: Annotation[Any]) -> list[Promise]:
    """One promise per filter parameter, named after it."""
    return [Promise("filter", note.operation_id, note.parameter, note)]


def needs(contract: Contract, promise: Promise) -> Needs:
    """Items, differing in what the writes that change them set."""
    pair = ((contract.by_id(promise.operation_id), promise.value.items),)
    return Needs(grow=pair, diversify=pair)


def _same(a: Any, b: Any) -> bool:
    return str(a).lower() == str(b).lower()


def _values(scene: Scene, promise: Promise, items: list[Any], field: str) -> tuple[list[str], bool]:
    """The values to try: the parameter's enum (True), else up to 3 values the list shows."""
    operation = scene.contract.by_id(promise.operation_id)
    param = operation.parameter(promise.name, "query")
    schema = scene.contract.resolve(param.schema) if param is not None else {}
    if schema.get("enum"):
        return [str(v) for v in schema["enum"] if v is not None], True
    seen: list[str] = []
    for item in items:
        value = item.get(field) if isinstance(item, Mapping) else None
        if value is not None and str(value) not in seen:
            seen.append(str(value))
    return seen[:3], False


def _problem(
    snap: Snapshot, promise: Promise, value: str, matching: list[Any], filtered: Filter
) -> str | None:
    kept = items_of(snap.body, filtered.items)
    if snap.response.status_code != 200 or kept is None:
        return f"{promise.name}={value} answered {snap.response.status_code}"
    field = filtered.field
    wrong = [i for i in kept if not (isinstance(i, Mapping) and _same(i.get(field), value))]
    if wrong:
        first = wrong[0] if isinstance(wrong[0], Mapping) else {}
        return (
            f"{promise.name}={value} listed {len(wrong)} items whose {field} differs, e.g. "
            f"{first.get('id')} with {field} {first.get(field)!r}"
        )
    lost = sorted(set(ids_of(matching)) - set(ids_of(kept)))
    if lost and len(kept) < PER_PAGE:
        return f"{promise.name}={value} left out {len(lost)} matching items, e.g. {lost[0]}"
    return None


def check(scene: Scene, promise: Promise, ledger: Ledger) -> None:
    """For each value: the filtered list keeps exactly the unfiltered items with that value."""
    filtered: Filter = promise.value
    operation = scene.contract.by_id(promise.operation_id)
    path = scene.path_of(operation)
    items = items_of(scene.read(operation, path).body, filtered.items) or []
    for note in scene.contract.annotations:
        visibility = note.value
        if (
            note.operation_id == operation.operation_id
            and isinstance(visibility, Visibility)
            and visibility.soft_deleted == "hidden"
        ):
            # A soft-deleted item shown by mistake is the visibility promise's to judge.
            marker = visibility.marker
            items = [i for i in items if isinstance(i, Mapping) and i.get(marker) is None]
    values, enum = _values(scene, promise, items, filtered.field)
    unseen = []
    for value in values:
        matching = [
            i for i in items if isinstance(i, Mapping) and _same(i.get(filtered.field), value)
        ]
        if not matching or len(matching) == len(items):
            unseen.append(value)
            continue
        snap = scene.read(operation, path, {promise.name: value})
        problem = _problem(snap, promise, value, matching, filtered)
        ledger.judge(promise, promise.operation_id, scene.client, snap.response, problem)
    if unseen and (enum or len(unseen) == len(values)):
        ledger.incomplete(
            promise, f"the list showed no items on both sides of {promise.name}={', '.join(unseen)}"
        )
    if not values:
        ledger.skip(promise, f"the list showed no {filtered.field} value to filter by")


KIND = KindCheck("filter", promises, check, needs)
