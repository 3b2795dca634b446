"""``x-parley-visibility``: which soft-deleted items a list shows.

Judged as CONTRIBUTING.md's table of kinds says, on the scene's reads around its soft deletes
(`Scene.before`, `after`, `again`); the scope of an ``only`` list is what a ``hidden`` list of
the same item schema showed before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from parley_spec import Contract
from parley_spec.annotations import Annotation, Visibility

from parley_contract.data.schemas import item_schema
from parley_contract.promises.kind import KindCheck, Needs
from parley_contract.promises.promise import Promise
from parley_contract.promises.report import Ledger
from parley_contract.promises.scene import PER_PAGE, Scene, Snapshot, ids_of, items_of

__all__ = ["KIND"]


def promises(contract: Contract, note: Annotation[Any]) -> list[Promise]:
    """One promise per annotated list."""
    return [Promise("visibility", note.operation_id, "", note)]


def needs(contract: Contract, promise: Promise) -> Needs:
    """The list read around the scene's soft deletes and restores.

    For an ``only`` list, the ``hidden`` lists of the same items too: its scope is what they
    showed.
    """
    visibility: Visibility = promise.value
    listed = contract.by_id(promise.operation_id)
    watch = [(listed, visibility.items)]
    if visibility.soft_deleted == "only":
        kind = item_schema(contract, listed, visibility.items)
        watch += [
            (contract.by_id(note.operation_id), note.value.items)
            for note in _hidden_lists(contract)
            if item_schema(contract, contract.by_id(note.operation_id), note.value.items) == kind
        ]
    return Needs(watch=tuple(watch))


def _hidden_lists(contract: Contract) -> list[Annotation[Any]]:
    return [
        note
        for note in contract.annotations
        if isinstance(note.value, Visibility) and note.value.soft_deleted == "hidden"
    ]


def _deleted(hidden: bool, scope: set[str], new: list[Any], marker: str) -> str | None:
    """What the read after the soft deletes got wrong, or None."""
    ids = set(ids_of(new))
    if hidden:
        wrong = [i for i in new if isinstance(i, Mapping) and i.get(marker) is not None]
        if wrong:
            return f"lists an item with {marker} set: {wrong[0].get('id')}"
        still = sorted(scope & ids)
        return f"still lists {still[0]}, soft-deleted since the previous read" if still else None
    wrong = [i for i in new if isinstance(i, Mapping) and i.get(marker) is None]
    if wrong:
        return f"lists an item without {marker}: {wrong[0].get('id')}"
    missing = sorted(scope - ids)
    if missing and len(new) < PER_PAGE:
        return f"does not list {missing[0]}, soft-deleted since the previous read"
    return None


def _restored(hidden: bool, restored: set[str], again: list[Any]) -> str | None:
    """What the read after the restores got wrong, or None."""
    ids = set(ids_of(again))
    if hidden:
        back = sorted(restored - ids)
        if back and len(again) < PER_PAGE:
            return f"does not list {back[0]} again, restored since the previous read"
        return None
    kept = sorted(restored & ids)
    return f"still lists {kept[0]}, restored since the previous read" if kept else None


def check(scene: Scene, promise: Promise, ledger: Ledger) -> None:
    """Judge the list's reads around the scene's soft deletes and restores."""
    visibility: Visibility = promise.value
    before = scene.before.get(promise.operation_id)
    after = scene.after.get(promise.operation_id)
    if before is None or after is None:
        ledger.skip(promise, "the scene did not read this list around its soft deletes")
        return
    old, new = items_of(before.body, visibility.items), items_of(after.body, visibility.items)
    if old is None or new is None:
        failure = f"answered {after.response.status_code} without a list at {visibility.items!r}"
        ledger.judge(promise, promise.operation_id, scene.client, after.response, failure)
        return
    hidden = visibility.soft_deleted == "hidden"
    seen = set(ids_of(old)) if hidden else _seen_in_hidden(scene, promise)
    scope = scene.soft_deleted & seen
    problem = _deleted(hidden, scope, new, visibility.marker)
    shown: Snapshot = after
    again = scene.again.get(promise.operation_id)
    restored_items = items_of(again.body, visibility.items) if again is not None else None
    if problem is None and again is not None and restored_items is not None:
        problem = _restored(hidden, scene.restored & scope, restored_items)
        shown = again
    if not scope and problem is None:
        ledger.skip(promise, "no item the scene soft-deleted was in this list's scope")
        return
    ledger.judge(promise, promise.operation_id, scene.client, shown.response, problem)


def _seen_in_hidden(scene: Scene, promise: Promise) -> set[str]:
    """Ids that ``hidden`` lists with items of the same schema showed before the deletes."""
    contract = scene.contract
    kind = item_schema(contract, contract.by_id(promise.operation_id), promise.value.items)
    seen: set[str] = set()
    for note in _hidden_lists(contract):
        snap = scene.before.get(note.operation_id)
        listed = contract.by_id(note.operation_id)
        if snap is not None and item_schema(contract, listed, note.value.items) == kind:
            seen.update(ids_of(items_of(snap.body, note.value.items) or []))
    return seen


KIND = KindCheck("visibility", promises, check, needs)
