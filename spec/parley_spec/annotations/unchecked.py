"""``x-parley-unchecked``: a promise of the prose that no check can judge, with the reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._kind import Kind


@dataclass(frozen=True)
class Unchecked:
    """A promise left unchecked.

    Attributes:
        promise: The promise, in words.
        reason: Why no check on a server under test can judge it.
        operations: The operations it is about (none: the whole document).
    """

    promise: str
    reason: str
    operations: tuple[str, ...] = ()


def parse(raw: Any) -> Unchecked:
    """The typed value of one valid item of ``x-parley-unchecked``."""
    return Unchecked(raw["promise"], raw["reason"], tuple(raw.get("operations") or ()))


KIND = Kind(
    "unchecked", "x-parley-unchecked", "root", parse, per_item=True, names=lambda v: v.operations
)
