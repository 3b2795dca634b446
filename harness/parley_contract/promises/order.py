"""``x-parley-order``: a list answers its items sorted by a field, for every sort it offers.

One promise for the default order and one per pair of values of its ``field-parameter`` and
``direction-parameter`` enums, judged as CONTRIBUTING.md's table of kinds says: a page counts
when it holds at least `MIN_DISTINCT_KEYS` distinct keys; ``nulls`` is judged when the two pages
hold items with and without a value.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from typing import Any

from parley_spec import Contract, Operation
from parley_spec.annotations import Annotation, Order, Visibility

from parley_contract.data.schemas import sort_key
from parley_contract.promises.kind import KindCheck, Needs
from parley_contract.promises.promise import Promise
from parley_contract.promises.report import Ledger
from parley_contract.promises.scene import Scene, items_of

__all__ = ["KIND", "MIN_DISTINCT_KEYS"]

MIN_DISTINCT_KEYS = 3
"""An order is observable on a page holding at least this many distinct sort keys."""


def _enum(contract: Contract, operation: Operation, name: str | None) -> list[str | None]:
    param = operation.parameter(name, "query") if name else None
    schema = contract.resolve(param.schema) if param is not None else {}
    return [str(value) for value in schema.get("enum") or []]


def promises(contract: Contract, note: Annotation[Any]) -> list[Promise]:
    """The default order, then one promise per (field, direction) parameter pair."""
    order: Order = note.value
    operation = contract.by_id(note.operation_id)
    found = [Promise("order", note.operation_id, "", note)]
    fields = _enum(contract, operation, order.field_parameter) or [None]
    directions = _enum(contract, operation, order.direction_parameter) or [None]
    for name, way in itertools.product(fields, directions):
        query = {
            key: value
            for key, value in ((order.field_parameter, name), (order.direction_parameter, way))
            if key and value
        }
        if query:
            label = " ".join(f"{k}={v}" for k, v in query.items())
            found.append(Promise("order", note.operation_id, label, note, query=query))
    return found


def needs(contract: Contract, promise: Promise) -> Needs:
    """Items to sort, differing in every field a parameter sorts by; soft-deleted ones."""
    order: Order = promise.value
    operation = contract.by_id(promise.operation_id)
    pair = ((operation, order.items),)
    watched = any(
        isinstance(note.value, Visibility) and note.operation_id == promise.operation_id
        for note in contract.annotations
    )
    return Needs(
        grow=pair,
        diversify=pair if order.field_parameter else (),
        watch=pair if watched else (),
    )


def _collations(value: Any) -> list[Any]:
    """``value`` as each accepted collation orders it."""
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


def _misplaced_null(items: list[Any], field: str, nulls: str) -> tuple[int, str] | None:
    """The index and account of the first item breaking ``nulls`` (``last``/``first``)."""
    valued = [isinstance(item, Mapping) and item.get(field) is not None for item in items]
    for index, pair in enumerate(itertools.pairwise(valued)):
        if nulls == "last" and pair == (False, True):
            return index, (
                f"item {index} has no {field} but item {index + 1} after it has one: items "
                "without it must come last"
            )
        if nulls == "first" and pair == (True, False):
            return index + 1, (
                f"item {index + 1} has no {field} but item {index} before it has one: items "
                "without it must come first"
            )
    return None


def check(scene: Scene, promise: Promise, ledger: Ledger) -> None:
    """Read the list (first and last page) with the promise's query; judge each page's order."""
    order: Order = promise.value
    field = str(promise.query.get(str(order.field_parameter), order.field))
    direction = str(promise.query.get(str(order.direction_parameter), order.direction))
    operation = scene.contract.by_id(promise.operation_id)
    path = scene.path_of(operation)
    first = scene.read(operation, path, dict(promise.query))
    pages = [first]
    total_pages = first.body.get("pages") if isinstance(first.body, Mapping) else None
    if isinstance(total_pages, int) and total_pages > 1:
        last: dict[str, str | int] = {**promise.query, "page": min(total_pages, 10_000)}
        pages.append(scene.read(operation, path, last))
    observed = False
    read: list[Any] = []
    for snap in pages:
        items = items_of(snap.body, order.items)
        if snap.response.status_code != 200 or items is None:
            problem = f"answered {snap.response.status_code} without a list at {order.items!r}"
            ledger.judge(promise, promise.operation_id, scene.client, snap.response, problem)
            return
        read += items
        if _distinct(items, field) < MIN_DISTINCT_KEYS:
            continue
        observed = True
        found = _out_of_order(items, field, direction)
        ledger.judge(promise, promise.operation_id, scene.client, snap.response, found)
        if found:
            return
    if order.nulls and len({isinstance(i, Mapping) and i.get(field) is None for i in read}) == 2:
        # The pages read, in list order, hold items with and without a value.
        observed = True
        misplaced = _misplaced_null(read, field, order.nulls)
        first_length = len(items_of(first.body, order.items) or [])
        at = pages[0 if misplaced is None or misplaced[0] < first_length else -1]
        account = None if misplaced is None else misplaced[1]
        ledger.judge(promise, promise.operation_id, scene.client, at.response, account)
    if not observed:
        ledger.skip(promise, f"no page held {MIN_DISTINCT_KEYS} items with distinct {field}")


KIND = KindCheck("order", promises, check, needs)
