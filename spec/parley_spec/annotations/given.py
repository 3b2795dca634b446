"""``x-parley-given``: the writes that must run first, on the same path (restore: a delete)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._kind import Kind


@dataclass(frozen=True)
class Given:
    """The writes a write needs first.

    Attributes:
        operations: Their operationIds, in the order they run.
    """

    operations: tuple[str, ...]


def parse(raw: Any) -> Given:
    """The typed value of a valid ``x-parley-given`` (one operationId or a list)."""
    return Given(tuple([raw] if isinstance(raw, str) else raw))


KIND = Kind("given", "x-parley-given", "operation", parse, names=lambda v: v.operations)
