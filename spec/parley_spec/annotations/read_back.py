"""``x-parley-read-back``: a later read shows what a write answered (one promise per item)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._kind import Kind
from ._values import Reading, Request, reading_of, request_of

__all__ = ["KIND", "ReadBack"]


@dataclass(frozen=True)
class ReadBack:
    """What a read after a write must show.

    Attributes:
        request: How the write is made.
        reading: The read after it (expressions over the write's exchange).
        answer: The JSON Pointer of the answered object the object read must equal
            (``""``: the whole body), or ``None`` to compare nothing whole.
        fields: JSON Pointer into the object read -> expectation.
        except_fields: Members of the answered object not compared.
    """

    request: Request
    reading: Reading
    answer: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)
    except_fields: tuple[str, ...] = ()


def parse(raw: Any) -> ReadBack:
    """The typed value of one valid item of ``x-parley-read-back``."""
    return ReadBack(
        request_of(raw),
        reading_of(raw),
        raw.get("answer"),
        dict(raw.get("fields") or {}),
        tuple(raw.get("except") or ()),
    )


KIND = Kind(
    "read_back",
    "x-parley-read-back",
    "operation",
    parse,
    per_item=True,
    names=lambda value: (*value.request.operations, value.reading.read),
)
