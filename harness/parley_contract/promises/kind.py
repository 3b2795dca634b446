"""What a promise kind's module provides: its promises, the data they need, and its check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from parley_spec import Contract, Operation
from parley_spec.annotations import Annotation

from parley_contract.promises.promise import Promise

if TYPE_CHECKING:
    from parley_contract.promises.report import Ledger
    from parley_contract.promises.scene import Scene

__all__ = ["KindCheck", "Needs"]


@dataclass(frozen=True)
class Needs:
    """What a promise's check needs the scene to have made before it reads.

    Attributes:
        grow: Lists (a read and the pointer of its items) that must hold several items.
        diversify: Lists whose items must differ in what the writes that change them set.
        watch: Lists read just before and after the scene's soft deletes and restores.
    """

    grow: tuple[tuple[Operation, str], ...] = ()
    diversify: tuple[tuple[Operation, str], ...] = ()
    watch: tuple[tuple[Operation, str], ...] = ()


def _nothing(_contract: Contract, _promise: Promise) -> Needs:
    """Nothing from the scene: the check makes its own resources."""
    return Needs()


@dataclass(frozen=True)
class KindCheck:
    """How the harness checks one annotation kind.

    Attributes:
        name: The kind's name (`parley_spec.annotations.Kind.name`).
        promises: The promises one annotation of the kind makes.
        check: Judges one promise on the scene, recording into the ledger.
        needs: The data one promise's check needs (see `Needs`); default: nothing.
        writes: Whether checking one promise sends writes (it then runs after every check
            that only reads, outside their shared memo of reads).
    """

    name: str
    promises: Callable[[Contract, Annotation[Any]], list[Promise]]
    check: Callable[[Scene, Promise, Ledger], None]
    needs: Callable[[Contract, Promise], Needs] = _nothing
    writes: Callable[[Promise], bool] = field(default=lambda _promise: False)
