"""``x-parley-conventions``: document-wide promises, each with the checks that judge it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._kind import Kind

__all__ = ["KIND", "Convention"]


@dataclass(frozen=True)
class Convention:
    """One convention of the whole document (``vocabulary.json`` defines each name).

    Attributes:
        name: The convention (``problem-status``, ``tenancy``...).
        judge: The checks that judge it, by name (the harness's or schemathesis').
        operations: The operations it is limited to; ``()``: every operation.
    """

    name: str
    judge: tuple[str, ...]
    operations: tuple[str, ...] = ()


def parse(raw: Any) -> Convention:
    """The typed value of one valid item of ``x-parley-conventions``."""
    return Convention(raw["convention"], tuple(raw["judge"]), tuple(raw.get("operations") or ()))


KIND = Kind(
    "convention",
    "x-parley-conventions",
    "root",
    parse,
    per_item=True,
    names=lambda value: value.operations,
)
