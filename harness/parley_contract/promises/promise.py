"""One promise of the contract: what a server can break while answering schema-valid bodies."""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from parley_spec import Contract, Operation
from parley_spec.annotations import Annotation

from parley_contract.data.schemas import reachable, success_schema

__all__ = ["Promise", "answering", "item_name"]


@dataclass(frozen=True)
class Promise:
    """One promise of the contract.

    Attributes:
        kind: Its kind: an annotation kind of `parley_spec.annotations.KINDS` (``order``...),
            or one the extra checks judge (``scope``, ``tenancy``...).
        operation_id: The operation it is stated on (for a promise on a component schema: the
            first operation whose answer holds that schema).
        name: What it is about within the operation, e.g. ``sort=title order=asc`` (an
            order's query), ``status`` (a filter's parameter), an effect's read operation,
            ``Book.loan_count`` (a count), ``Book`` (timestamps).
        note: The annotation it comes from (None for the extra checks' promises).
        query: For an order: the query parameters that select it (empty for the default).
        operations: Every operation it is judged on (counts, timestamps); else just
            ``operation_id``.
    """

    kind: str
    operation_id: str
    name: str
    note: Annotation[Any] | None = None
    query: Mapping[str, str] = field(default_factory=dict)
    operations: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """A stable, unique id: ``kind operationId name``."""
        return " ".join(part for part in (self.kind, self.operation_id, self.name) if part)

    @property
    def value(self) -> Any:
        """The annotation's typed value (`parley_spec.annotations.Order`...)."""
        return self.note.value if self.note is not None else None

    @property
    def judged_on(self) -> tuple[str, ...]:
        """The operations whose selection brings it into a run."""
        return self.operations or (self.operation_id,)


def answering(contract: Contract, schema: str, *, reads: bool) -> tuple[Operation, ...]:
    """The reads (or the writes) whose success answer holds objects of component ``schema``."""
    return tuple(
        op
        for op in contract.operations
        if (op.method == "GET") == reads and schema in _reach(contract)[op.operation_id]
    )


_REACHED: weakref.WeakKeyDictionary[Contract, dict[str, frozenset[str]]] = (
    weakref.WeakKeyDictionary()
)


def _reach(contract: Contract) -> dict[str, frozenset[str]]:
    """Operation id -> the component schemas its success answer reaches, kept per contract."""
    if contract not in _REACHED:
        _REACHED[contract] = {
            op.operation_id: frozenset(reachable(contract, success_schema(op)))
            for op in contract.operations
        }
    return _REACHED[contract]


def item_name(note: Annotation[Any], name: str) -> str:
    """``name``, with `` #N`` after it for the N-th item (N > 0) of a per-item annotation."""
    index = note.pointer.rsplit("/", 1)[-1]
    return name if index in ("", "0") or not index.isdigit() else f"{name} #{index}"
