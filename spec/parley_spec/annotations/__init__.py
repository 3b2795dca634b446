"""The ``x-parley-*`` promise annotations: the vocabulary, its kinds, and the parsed annotations.

The vocabulary is one JSON Schema, ``vocabulary.json`` beside this module: one ``$defs`` entry
per annotation key, saying its kind, where it may stand and what it promises. Each kind is one
module here (its typed value and its parser), registered in :data:`KINDS`. Adding a kind is
one module and one entry of the vocabulary; the harness registers its check under the same
name, ``parley diff`` compares the typed values, and ``scripts/lint-spec`` validates every
annotation against the vocabulary (``python -m parley_spec.lint``).

Every kind's value may carry ``says``: the sentences of the prose it formalises. They are not
part of the promise: :class:`Annotation` keeps them apart (``says``), so ``value`` and ``raw``
compare equal however the prose is worded. :mod:`parley_spec.trace` binds the sentences to
them; ``x-parley-informative`` (:data:`INFORMATIVE`) marks the sentences that promise nothing.

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
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .._pointer import escape_token, join_pointer, pointer_get
from .._read import SpecError
from ..prose import descriptions
from . import (
    answer,
    conventions,
    count,
    derived,
    disconnect,
    effects,
    filter,
    given,
    idempotent,
    keeps,
    lands,
    order,
    outcomes,
    read_back,
    repeat,
    stream,
    timestamps,
    unchecked,
    visibility,
)
from ._kind import SITES, Annotation, Kind, Quote, Site
from ._values import UNKNOWN, Reading, Request, Step, split_says
from ._vocabulary import vocabulary, vocabulary_table
from .answer import Answer
from .conventions import Convention
from .count import Count, CountTerm
from .derived import Derived, End, Minutes
from .disconnect import Disconnect
from .effects import LATER, SET, Effect
from .filter import Filter
from .given import Given
from .idempotent import Idempotent
from .keeps import Keep
from .lands import Lands
from .order import Order
from .outcomes import Outcome
from .read_back import ReadBack
from .repeat import Repeat
from .stream import Stored, Stream
from .timestamps import Timestamps
from .unchecked import Unchecked
from .visibility import Visibility

if TYPE_CHECKING:
    from .._model import Contract

__all__ = [
    "INFORMATIVE",
    "KINDS",
    "LATER",
    "SET",
    "SITES",
    "UNKNOWN",
    "Annotation",
    "Answer",
    "Convention",
    "Count",
    "CountTerm",
    "Derived",
    "Disconnect",
    "Effect",
    "End",
    "Filter",
    "Given",
    "Idempotent",
    "Keep",
    "Kind",
    "Lands",
    "Minutes",
    "Order",
    "Outcome",
    "Quote",
    "ReadBack",
    "Reading",
    "Repeat",
    "Request",
    "Site",
    "Step",
    "Stored",
    "Stream",
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
        derived.KIND,
        outcomes.KIND,
        answer.KIND,
        read_back.KIND,
        keeps.KIND,
        repeat.KIND,
        lands.KIND,
        idempotent.KIND,
        stream.KIND,
        disconnect.KIND,
        conventions.KIND,
        unchecked.KIND,
    )
}
"""Every kind, by annotation key, in the order CONTRIBUTING.md's table lists them."""
_KEYS = {kind.name: key for key, kind in KINDS.items()}

PREFIX = "x-parley-"
INFORMATIVE = "x-parley-informative"
"""The key that marks sentences of a description as stating no behaviour (not a promise kind:
any object with a ``description`` may carry it; :mod:`parley_spec.trace` reads it)."""


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
    return [
        f"{note.pointer}: names the operation {name}, which the document does not have"
        for note in notes
        for name in KINDS[_KEYS[note.kind]].names(note.value)
        if contract.get(name) is None
    ]


def _informative(contract: Contract, allowed: set[str]) -> list[str]:
    """Validates every ``x-parley-informative`` that stands on an object with a description."""
    problems: list[str] = []
    for description in descriptions(contract.document):
        node = pointer_get(contract.document, description.at)
        if isinstance(node, Mapping) and INFORMATIVE in node:
            at = f"{description.at}/{INFORMATIVE}"
            allowed.add(at)
            problems += _problems(INFORMATIVE, node[INFORMATIVE], at)
    return problems


def parse_annotations(contract: Contract) -> tuple[Annotation[Any], ...]:
    """Every annotation of ``contract``, validated against the vocabulary and typed.

    An annotation on a shared parameter is reported once per operation that has it.

    Args:
        contract: The contract whose document is read.

    Returns:
        The annotations: the root's, then each operation's (its own, then its parameters'),
        then the component schemas' (the schema's, then its properties'); each with its
        ``says`` quotes apart (a plain quote is of the description where the annotation
        stands, the root's of ``/info``).

    Raises:
        SpecError: An ``x-parley-*`` key the vocabulary does not know, one where its kind may
            not stand (``x-parley-informative``: beside a description), a value that breaks
            the vocabulary's schema, or an operationId that the document lacks; every problem
            is listed, one per line, with its pointer.
    """
    notes: list[Annotation[Any]] = []
    problems: list[str] = []
    allowed: set[str] = set()
    for site, pointer, node, where in _sites(contract):
        described = "/info" if site == "root" else pointer
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
                value, says = split_says(item, described, here)
                notes.append(
                    Annotation(kind.name, here, kind.parse(value), value, **where, says=says)
                )
    problems += _informative(contract, allowed)
    known = {*KINDS, INFORMATIVE}
    for pointer in _stray(contract.document, "", allowed):
        key = pointer.rsplit("/", 1)[1]
        if key == INFORMATIVE:
            problems.append(f"{pointer}: {key} may stand only beside a description")
        elif key in KINDS:
            site = KINDS[key].site
            article = "an" if site[0] in "aeiou" else "a"
            problems.append(f"{pointer}: {key} may stand only on {article} {site}")
        else:
            problems.append(
                f"{pointer}: {key} is not in the vocabulary ({', '.join(sorted(known))})"
            )
    problems += _references(notes, contract)
    if problems:
        raise SpecError("x-parley-* annotations break the vocabulary:\n" + "\n".join(problems))
    return tuple(notes)
