"""The ``x-parley-*`` promise annotations: the vocabulary, its kinds, and the parsed annotations.

The vocabulary is one JSON Schema, ``vocabulary.json`` beside this module: one ``$defs`` entry
per annotation key, saying its kind, where it may stand and what it promises. Each kind is one
module here (its typed value and its parser), registered in :data:`KINDS`. Adding a kind is
one module and one entry of the vocabulary; the harness registers its check under the same
name, ``parley diff`` compares the typed values, and ``scripts/lint-spec`` validates every
annotation against the vocabulary (``python -m parley_spec.lint``).

Example::

    from parley_spec import load_contract
    from parley_spec.annotations import Order

    contract = load_contract()
    for note in contract.annotations:
        if isinstance(note.value, Order):
            print(note.operation_id, note.value.field, note.value.direction)
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any

from .._pointer import escape_token, join_pointer
from .._read import SpecError
from . import count, effects, filter, given, order, timestamps, unchecked, visibility
from ._kind import SITES, Annotation, Kind, Site
from .count import Count, CountTerm
from .effects import LATER, SET, Effect
from .filter import Filter
from .given import Given
from .order import Order
from .timestamps import Timestamps
from .unchecked import Unchecked
from .visibility import Visibility

if TYPE_CHECKING:
    from .._model import Contract

__all__ = [
    "KINDS",
    "LATER",
    "SET",
    "SITES",
    "Annotation",
    "Count",
    "CountTerm",
    "Effect",
    "Filter",
    "Given",
    "Kind",
    "Order",
    "Site",
    "Timestamps",
    "Unchecked",
    "Visibility",
    "parse_annotations",
    "vocabulary",
    "vocabulary_table",
]

KINDS: dict[str, Kind[Any]] = {
    kind.key: kind
    for kind in (
        order.KIND,
        filter.KIND,
        visibility.KIND,
        effects.KIND,
        given.KIND,
        count.KIND,
        timestamps.KIND,
        unchecked.KIND,
    )
}
"""Every kind, by annotation key, in the order CONTRIBUTING.md's table lists them."""

PREFIX = "x-parley-"


@functools.cache
def vocabulary() -> Mapping[str, Any]:
    """The vocabulary's JSON Schema (``vocabulary.json``), read once."""
    text = resources.files(__package__ or __name__).joinpath("vocabulary.json").read_text("utf-8")
    loaded: Mapping[str, Any] = json.loads(text)
    return loaded


@functools.cache
def _validator(key: str) -> Any:
    import jsonschema_rs

    defs = vocabulary()["$defs"]
    return jsonschema_rs.Draft202012Validator({"$ref": f"#/$defs/{key}", "$defs": defs})


def _problems(key: str, value: Any, pointer: str) -> list[str]:
    problems = []
    for error in _validator(key).iter_errors(value):
        where = pointer + join_pointer(str(part) for part in error.instance_path)
        problems.append(f"{where}: {error.message}")
    return problems


def _sites(contract: Contract) -> Iterator[tuple[Site, str, Mapping[str, Any], dict[str, str]]]:
    """(site, pointer, node, where) of every node an annotation may stand on."""
    document = contract.document
    yield "root", "", document, {}
    for op in contract.operations:
        yield "operation", op.pointer, op.node, {"operation_id": op.operation_id}
        for param in op.parameters:
            where = {"operation_id": op.operation_id, "parameter": param.name}
            yield "parameter", param.pointer, param.node, where
    schemas = (document.get("components") or {}).get("schemas") or {}
    for name, schema in schemas.items():
        if not isinstance(schema, Mapping):
            continue
        base = f"/components/schemas/{escape_token(str(name))}"
        yield "schema", base, schema, {"schema": str(name)}
        for prop, sub in (schema.get("properties") or {}).items():
            if isinstance(sub, Mapping):
                where = {"schema": str(name), "property_name": str(prop)}
                yield "property", f"{base}/properties/{escape_token(str(prop))}", sub, where


def _stray(node: Any, pointer: str, allowed: set[str]) -> Iterator[str]:
    """Pointers of ``x-parley-*`` keys under ``node`` that stand nowhere they may."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            here = f"{pointer}/{escape_token(str(key))}"
            if str(key).startswith(PREFIX) and here not in allowed:
                yield here
            elif not str(key).startswith(PREFIX):
                yield from _stray(value, here, allowed)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _stray(value, f"{pointer}/{index}", allowed)


def _references(notes: list[Annotation[Any]], contract: Contract) -> list[str]:
    """Problems of operationIds that annotations name and the document does not have."""
    problems = []
    for note in notes:
        value = note.value
        named: tuple[str, ...] = ()
        if isinstance(value, Effect):
            named = (value.read,)
        elif isinstance(value, Given):
            named = value.operations
        elif isinstance(value, Count):
            named = tuple(term.of for term in value.terms)
        elif isinstance(value, Unchecked):
            named = value.operations
        problems += [
            f"{note.pointer}: names the operation {name}, which the document does not have"
            for name in named
            if contract.get(name) is None
        ]
    return problems


def parse_annotations(contract: Contract) -> tuple[Annotation[Any], ...]:
    """Every annotation of ``contract``, validated against the vocabulary and typed.

    An annotation on a shared parameter is reported once per operation that has it.

    Args:
        contract: The contract whose document is read.

    Returns:
        The annotations: the root's, then each operation's (its own, then its parameters'),
        then the component schemas' (the schema's, then its properties').

    Raises:
        SpecError: An ``x-parley-*`` key the vocabulary does not know, one where its kind may
            not stand, a value that breaks the vocabulary's schema, or an operationId that
            the document lacks; every problem is listed, one per line, with its pointer.
    """
    notes: list[Annotation[Any]] = []
    problems: list[str] = []
    allowed: set[str] = set()
    for site, pointer, node, where in _sites(contract):
        for key, kind in KINDS.items():
            if kind.site != site or key not in node:
                continue
            at = f"{pointer}/{key}"
            allowed.add(at)
            found = _problems(key, node[key], at)
            if found:
                problems += found
                continue
            raw = node[key]
            items = list(enumerate(raw)) if kind.per_item else [(None, raw)]
            for index, item in items:
                here = at if index is None else f"{at}/{index}"
                notes.append(Annotation(kind.name, here, kind.parse(item), item, **where))
    known = set(KINDS)
    for pointer in _stray(contract.document, "", allowed):
        key = pointer.rsplit("/", 1)[1]
        if key in known:
            site = KINDS[key].site
            article = "an" if site[0] in "aeiou" else "a"
            problems.append(f"{pointer}: {key} may stand only on {article} {site}")
        else:
            problems.append(f"{pointer}: {key} is not in the vocabulary ({', '.join(known)})")
    problems += _references(notes, contract)
    if problems:
        raise SpecError("x-parley-* annotations break the vocabulary:\n" + "\n".join(problems))
    return tuple(notes)


def vocabulary_table() -> str:
    """CONTRIBUTING.md's table of the vocabulary, rendered from ``vocabulary.json``."""
    defs = vocabulary()["$defs"]
    lines = ["| key | where | value | the check |", "|---|---|---|---|"]
    for key in KINDS:
        entry = defs[key]
        cells = [f"`{key}`", entry["x-parley-where"], entry["description"], entry["x-parley-check"]]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
