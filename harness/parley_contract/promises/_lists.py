"""Checks of what lists promise.

Order (`x-parley-order`), filters (`x-parley-filter`) and
visibility of soft-deleted items (`x-parley-visibility`), judged on the scene's data.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from typing import Any

from parley_contract.promises._document import (
    item_schema,
    pointer_get,
    resolve,
    response_schema,
    sort_key,
)
from parley_contract.promises._inventory import Promise, operations_of
from parley_contract.promises._report import Ledger
from parley_contract.promises._scene import PER_PAGE, Scene, Snapshot

__all__ = ["check_filter", "check_order", "check_visibility", "items_of"]

# An order is observable on a page holding at least this many distinct sort keys.
MIN_DISTINCT_KEYS = 3


def items_of(body: Any, pointer: str) -> list[Any] | None:
    """The list at `pointer` in `body`, or None when there is none."""
    found = pointer_get(body, pointer)
    return found if isinstance(found, list) else None


def _ids(items: list[Any]) -> list[str]:
    return [str(item.get("id")) for item in items if isinstance(item, Mapping)]


def _collations(value: Any) -> list[Any]:
    """`value` as each accepted collation orders it.

    Text by code point, ignoring case, and ignoring case and punctuation (as database locales
    do); anything else as `sort_key` (date-times as instants).
    """
    if isinstance(value, str) and not isinstance(sort_key(value), dt.datetime):
        folded = value.casefold()
        return [value, folded, "".join(ch for ch in folded if ch.isalnum())]
    return [sort_key(value)] * 3


def _out_of_order(items: list[Any], field: str, direction: str) -> str | None:
    """Where the items break the order (under every accepted collation), or None."""
    keyed = [
        (index, item.get(field))
        for index, item in enumerate(items)
        if isinstance(item, Mapping) and item.get(field) is not None
    ]
    first_break: str | None = None
    for collation in range(3):
        broke = None
        for (i, a), (j, b) in itertools.pairwise(keyed):
            x, y = _collations(a)[collation], _collations(b)[collation]
            try:
                wrong = x > y if direction == "asc" else x < y
            except TypeError:
                return f"items {i} and {j} have {field} values that do not compare: {a!r}, {b!r}"
            if wrong:
                broke = f"item {i} has {field} {a!r} and item {j} has {b!r}: not {direction}ending"
                break
        if broke is None:
            return None
        first_break = first_break or broke
    return first_break


def _distinct(items: list[Any], field: str) -> int:
    return len(
        {repr(i.get(field)) for i in items if isinstance(i, Mapping) and i.get(field) is not None}
    )


def check_order(scene: Scene, promise: Promise, ledger: Ledger) -> None:
    """Read the list (first and last page) with the promise's query; judge each page's order."""
    order = promise.annotation
    field = str(promise.query.get(str(order.get("field-parameter")), order["field"]))
    direction = str(promise.query.get(str(order.get("direction-parameter")), order["direction"]))
    path = scene.path_of(scene.spec.by_id(promise.operation_id))
    first = scene.read(promise.operation_id, path, dict(promise.query))
    pages = [first]
    total_pages = first.body.get("pages") if isinstance(first.body, Mapping) else None
    if isinstance(total_pages, int) and total_pages > 1:
        last: dict[str, str | int] = {**promise.query, "page": min(total_pages, 10_000)}
        pages.append(scene.read(promise.operation_id, path, last))
    observed = False
    problem: str | None
    for snap in pages:
        items = items_of(snap.body, str(order.get("items", "")))
        if snap.response.status_code != 200 or items is None:
            problem = (
                f"answered {snap.response.status_code} without a list at {order.get('items')!r}"
            )
            ledger.judge(promise, promise.operation_id, scene.client, snap.response, problem)
            return
        if _distinct(items, field) < MIN_DISTINCT_KEYS:
            continue
        observed = True
        problem = _out_of_order(items, field, direction)
        ledger.judge(promise, promise.operation_id, scene.client, snap.response, problem)
        if problem:
            return
    if not observed:
        ledger.skip(promise, f"no page held {MIN_DISTINCT_KEYS} items with distinct {field}")


def _values(scene: Scene, promise: Promise, items: list[Any], field: str) -> tuple[list[str], bool]:
    """The filter values to try: the parameter's enum (True), else values the list shows."""
    raw = operations_of(scene.document)[promise.operation_id]
    param = next(
        p for p in raw["parameters"] if isinstance(p, Mapping) and p.get("name") == promise.name
    )
    schema = resolve(scene.document, param.get("schema") or {})
    if schema.get("enum"):
        return [str(v) for v in schema["enum"]], True
    seen: list[str] = []
    for item in items:
        value = item.get(field) if isinstance(item, Mapping) else None
        if value is not None and str(value) not in seen:
            seen.append(str(value))
    return seen[:3], False


def _same(a: Any, b: Any) -> bool:
    return str(a).lower() == str(b).lower()


def _filter_problem(
    snap: Snapshot, promise: Promise, pointer: str, field: str, value: str, matching: list[Any]
) -> str | None:
    kept = items_of(snap.body, pointer)
    if snap.response.status_code != 200 or kept is None:
        return f"{promise.name}={value} answered {snap.response.status_code}"
    wrong = [i for i in kept if not (isinstance(i, Mapping) and _same(i.get(field), value))]
    if wrong:
        first = wrong[0] if isinstance(wrong[0], Mapping) else {}
        return (
            f"{promise.name}={value} listed {len(wrong)} items whose {field} differs, e.g. "
            f"{first.get('id')} with {field} {first.get(field)!r}"
        )
    lost = sorted(set(_ids(matching)) - set(_ids(kept)))
    if lost and len(kept) < PER_PAGE:
        return f"{promise.name}={value} left out {len(lost)} matching items, e.g. {lost[0]}"
    return None


def check_filter(scene: Scene, promise: Promise, ledger: Ledger, pointer: str) -> None:
    """For each value: the filtered list keeps exactly the unfiltered items with that value.

    A value is tried when the unfiltered list (first page, default order) shows items on
    both sides of it; an enum value never tried leaves the promise not exercised.
    """
    field = str(promise.annotation["field"])
    path = scene.path_of(scene.spec.by_id(promise.operation_id))
    whole = scene.read(promise.operation_id, path)
    items = items_of(whole.body, pointer) or []
    visibility = operations_of(scene.document)[promise.operation_id].get("x-parley-visibility")
    if isinstance(visibility, Mapping) and visibility.get("soft-deleted") == "hidden":
        # A soft-deleted item shown by mistake is the visibility promise's to judge.
        marker = str(visibility.get("marker", "deleted_at"))
        items = [i for i in items if isinstance(i, Mapping) and i.get(marker) is None]
    values, enum = _values(scene, promise, items, field)
    unseen = []
    for value in values:
        matching = [i for i in items if isinstance(i, Mapping) and _same(i.get(field), value)]
        if not matching or len(matching) == len(items):
            unseen.append(value)
            continue
        snap = scene.read(promise.operation_id, path, {promise.name: value})
        problem = _filter_problem(snap, promise, pointer, field, value, matching)
        ledger.judge(promise, promise.operation_id, scene.client, snap.response, problem)
    if unseen and (enum or len(unseen) == len(values)):
        ledger.incomplete(
            promise, f"the list showed no items on both sides of {promise.name}={', '.join(unseen)}"
        )
    if not values:
        ledger.skip(promise, f"the list showed no {field} value to filter by")


def check_visibility(scene: Scene, promise: Promise, ledger: Ledger, pointer: str) -> None:
    """Around the scene's soft deletes: `hidden` lists drop the items, `only` lists gain them.

    The items in an `only` list's scope are the soft-deleted ones that a `hidden` list with
    items of the same schema showed before the deletes.
    """
    visibility = promise.annotation
    marker = str(visibility.get("marker", "deleted_at"))
    before = scene.before.get(promise.operation_id)
    after = scene.after.get(promise.operation_id)
    if before is None or after is None:
        ledger.skip(promise, "the scene did not read this list around its soft deletes")
        return
    old, new = items_of(before.body, pointer), items_of(after.body, pointer)
    if old is None or new is None:
        failure = f"answered {after.response.status_code} without a list at {pointer!r}"
        ledger.judge(promise, promise.operation_id, scene.client, after.response, failure)
        return
    problem: str | None
    if visibility.get("soft-deleted") == "hidden":
        scope = scene.soft_deleted & set(_ids(old))
        wrong = [i for i in new if isinstance(i, Mapping) and i.get(marker) is not None]
        still = sorted(scope & set(_ids(new)))
        problem = (
            f"lists an item with {marker} set: {wrong[0].get('id')}"
            if wrong
            else f"still lists {still[0]}, soft-deleted since the previous read"
            if still
            else None
        )
    else:
        scope = scene.soft_deleted & _seen_in_hidden(scene, _kind(scene, promise.operation_id))
        wrong = [i for i in new if isinstance(i, Mapping) and i.get(marker) is None]
        missing = sorted(scope - set(_ids(new)))
        problem = (
            f"lists an item without {marker}: {wrong[0].get('id')}"
            if wrong
            else f"does not list {missing[0]}, soft-deleted since the previous read"
            if missing and len(new) < PER_PAGE
            else None
        )
    if not scope and problem is None:
        ledger.skip(promise, "no item the scene soft-deleted was in this list's scope")
        return
    ledger.judge(promise, promise.operation_id, scene.client, after.response, problem)


def _kind(scene: Scene, operation_id: str) -> str | None:
    """The component schema of a list operation's items."""
    raw = operations_of(scene.document)[operation_id]
    pointer = str((raw.get("x-parley-order") or {}).get("items", ""))
    return item_schema(scene.document, response_schema(scene.document, raw), pointer)


def _seen_in_hidden(scene: Scene, kind: str | None) -> set[str]:
    """Ids that `hidden` lists with items of schema `kind` showed before the soft deletes."""
    seen: set[str] = set()
    for operation_id, snap in scene.before.items():
        raw = operations_of(scene.document)[operation_id]
        hidden = (raw.get("x-parley-visibility") or {}).get("soft-deleted") == "hidden"
        if hidden and _kind(scene, operation_id) == kind:
            pointer = str((raw.get("x-parley-order") or {}).get("items", ""))
            seen.update(_ids(items_of(snap.body, pointer) or []))
    return seen
