"""``x-parley-effects``: what a write changes in a later read (one promise per item)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._kind import Kind

SET = "$set"
"""An expectation: the field is not null after the write."""
LATER = "$later"
"""An expectation: the field holds a later time than before the write."""


@dataclass(frozen=True)
class Effect:
    """One read a write changes.

    Attributes:
        read: The operationId of the read.
        parameters: The read's parameter values as runtime expressions over the write's
            exchange; parameters not named take the write's path values of the same name.
        status: The status the read answers after the write.
        fields: JSON Pointer into the read's body -> expectation: a literal,
            ``$request.body#/...`` (what the write sent), :data:`SET` or :data:`LATER`.
        status_given: Whether ``status`` was written (else it is the default, 200).
    """

    read: str
    parameters: Mapping[str, str] = field(default_factory=dict)
    status: int = 200
    fields: Mapping[str, Any] = field(default_factory=dict)
    status_given: bool = False


def parse(raw: Any) -> Effect:
    """The typed effect of one valid item of ``x-parley-effects``."""
    return Effect(
        read=raw["read"],
        parameters=dict(raw.get("parameters") or {}),
        status=int(raw.get("status", 200)),
        fields=dict(raw.get("fields") or {}),
        status_given="status" in raw,
    )


KIND = Kind(
    "effect", "x-parley-effects", "operation", parse, per_item=True, names=lambda v: (v.read,)
)
