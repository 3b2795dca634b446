"""Values and expectations of the ``x-parley-*`` kinds: what is sent, and what an object must hold.

CONTRIBUTING.md's terms "a value" and "an expectation" (``vocabulary.json``'s
``x-parley-terms``): `resolve` turns a value (a literal, ``$unknown``, an expression, an object
or array of them) into what is sent or compared; `expect` judges an expectation map on an
object (`unjudged`: the expectations it cannot judge); `same` is their equality;
`with_subjects` names more exchanges (``$read#``, ``$before#``...) for the expressions.
`parley_contract.promises.requests` re-exports them.
"""

from __future__ import annotations

import itertools
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from parley_spec import MISSING, Exchange, evaluate, is_expression, pointer_get
from parley_spec.annotations import LATER, SET, UNKNOWN

from parley_contract.data.schemas import schema_at, sort_key
from parley_contract.promises.scene import Scene

__all__ = ["expect", "resolve", "same", "unjudged", "with_subjects"]


def with_subjects(exchange: Exchange, **subjects: Any) -> Exchange:
    """``exchange`` with more subjects (``read=...`` for ``$read#``); ``MISSING`` ones left out."""
    extra = {name: value for name, value in subjects.items() if value is not MISSING}
    return replace(exchange, subjects={**exchange.subjects, **extra})


def _unknown(scene: Scene, schema: Any) -> Any:
    """A value valid for ``schema`` that names nothing the server issued."""
    resolved = scene.contract.resolve(schema) if schema is not None else {}
    resolved = resolved if isinstance(resolved, Mapping) else {}
    if resolved.get("format") == "uuid":
        return str(uuid.uuid4())
    text = "parley-unknown-" + secrets.token_hex(6)
    limit = resolved.get("maxLength")
    return text[:limit] if isinstance(limit, int) else text


def resolve(scene: Scene, value: Any, exchange: Exchange, schema: Any = None) -> Any:
    """A value of an annotation as sent or compared.

    Args:
        scene: The scene (its contract resolves ``$ref``s).
        value: A literal, ``$unknown``, an expression, or an object or array of them.
        exchange: What expressions are evaluated over (with its subjects).
        schema: The value's schema, for ``$unknown`` (and the members of an object).

    Returns:
        The literal; for ``$unknown`` a new id of nothing; for an expression its value
        (``MISSING`` when the exchange has none); objects and arrays member by member.
    """
    if value == UNKNOWN:
        return _unknown(scene, schema)
    if is_expression(value):
        return evaluate(value, exchange)
    if isinstance(value, Mapping):
        return {
            key: resolve(scene, item, exchange, schema_at(scene.contract, schema, f"/{key}"))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [
            resolve(scene, item, exchange, schema_at(scene.contract, schema, f"/{index}"))
            for index, item in enumerate(value)
        ]
    return value


def same(a: Any, b: Any) -> bool:
    """Whether two JSON values are equal as the expectations compare them.

    Objects with the same members and equal values, arrays item by item, date-times as
    instants, numbers by value (a boolean is not a number).
    """
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(sort_key(a) == sort_key(b))


def _shown(value: Any) -> str:
    return "nothing" if value is MISSING else repr(value)


def _sorted_problem(got: Any, by: str, direction: str) -> str | None:
    if not isinstance(got, list):
        return f"is {_shown(got)}, not a list"
    keys = [
        sort_key(item.get(by))
        for item in got
        if isinstance(item, Mapping) and item.get(by) is not None
    ]
    for first, second in itertools.pairwise(keys):
        if (second < first) if direction == "asc" else (second > first):
            return f"is not sorted by {by} {direction}: {first!r} before {second!r}"
    return None


def _problem(
    scene: Scene, expectation: Any, got: Any, previous: Any, exchange: Exchange
) -> str | None:
    """What is wrong with ``got`` for one expectation, or None (also when it cannot judge)."""
    if expectation == SET:
        return f"is {_shown(got)}, expected a value" if got in (None, MISSING) else None
    if expectation == LATER:
        if got in (None, MISSING):
            return f"is {_shown(got)}, expected a date-time"
        later = previous in (None, MISSING) or sort_key(got) > sort_key(previous)
        return None if later else f"is {got!r}, expected later than {previous!r}"
    if isinstance(expectation, Mapping) and set(expectation) == {"at-most"}:
        limit = resolve(scene, expectation["at-most"], exchange)
        size = len(got) if isinstance(got, list) else got
        if limit is MISSING or not isinstance(size, int | float) or isinstance(size, bool):
            return None if limit is MISSING else f"is {_shown(got)}, expected at most {limit!r}"
        return None if size <= limit else f"is {size}, expected at most {limit!r}"
    if isinstance(expectation, Mapping) and set(expectation) == {"sorted-by", "direction"}:
        return _sorted_problem(got, str(expectation["sorted-by"]), str(expectation["direction"]))
    want = resolve(scene, expectation, exchange)
    if want is MISSING:
        return None
    return None if same(got, want) else f"is {_shown(got)}, expected {want!r}"


def expect(
    scene: Scene,
    fields: Mapping[str, Any],
    target: Any,
    exchange: Exchange,
    *,
    before: Any = MISSING,
) -> str | None:
    """Judge an expectation map on one object.

    Args:
        scene: The scene (its contract).
        fields: JSON Pointer into ``target`` (a negative array index counts from the end) ->
            expectation: a literal (equal, see `same`), ``$set`` (not null), ``$later`` (a
            date-time later than at the same pointer of ``before``, when that had one), an
            expression (equal to its value; not judged when the exchange has none),
            ``{at-most: value}`` (a number at most it, or an array with at most that many
            items), ``{sorted-by: field, direction}`` (an array of objects in that order).
        target: The object judged (a body, an object read).
        exchange: What expressions are evaluated over (``$request...``, ``$response...``,
            its subjects: ``$given#``, ``$read#``, ``$before#``...).
        before: The object before the write, for ``$later``.

    Returns:
        The first problem, ``"/pointer is X, expected Y"``, or None when every expectation
        holds.
    """
    for pointer, expectation in fields.items():
        got = pointer_get(target, pointer, from_end=True)
        previous = pointer_get(before, pointer, from_end=True) if before is not MISSING else MISSING
        problem = _problem(scene, expectation, got, previous, exchange)
        if problem is not None:
            return f"{pointer or '(the whole)'} {problem}"
    return None


def unjudged(scene: Scene, fields: Mapping[str, Any], exchange: Exchange) -> tuple[str, ...]:
    """The pointers of ``fields`` that `expect` cannot judge over ``exchange``.

    Those whose expectation is an expression (or an ``at-most`` one) the exchange has no value
    for, e.g. ``$request.body#/feedback`` when the request sent no ``feedback``.
    """
    found = []
    for pointer, expectation in fields.items():
        limit = expectation.get("at-most") if isinstance(expectation, Mapping) else None
        value = limit if limit is not None else expectation
        if is_expression(value) and resolve(scene, value, exchange) is MISSING:
            found.append(pointer)
    return tuple(found)
