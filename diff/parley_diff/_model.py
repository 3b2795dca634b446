"""What a contract difference is: a check id, a verdict, a location and one sentence."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = ["Change", "Context", "Verdict", "escape_pointer"]


class Verdict(StrEnum):
    """Who a difference breaks.

    ``client``: a client built from the old document may fail against a server of the new one
    (its requests rejected, or a response it cannot read). ``server``: a server built from the
    old document no longer meets the new one (it must send, accept or implement more).
    ``compatible``: neither.
    """

    CLIENT = "breaking-for-clients"
    SERVER = "breaking-for-servers"
    COMPATIBLE = "compatible"


@dataclass(frozen=True)
class Change:
    """One difference between two OpenAPI documents.

    Attributes:
        check: The stable check id, e.g. ``request-property-removed``.
        verdict: Who it breaks.
        operation: The operationId it concerns ("" for document-wide changes).
        pointer: A JSON pointer into the document that holds the changed part (the new one,
            or the old one for something removed), e.g. ``/paths/~1v1~1agent/post``.
        message: One sentence for a human.
        impact: For a breaking change, what it does to Parley's generated client and
            overlays, e.g. ``client.conversations.create_conversation: keyword title removed``.
    """

    check: str
    verdict: Verdict
    operation: str
    pointer: str
    message: str
    impact: tuple[str, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        """The change as a JSON object (the ``--format json`` item)."""
        return {
            "check": self.check,
            "verdict": self.verdict.value,
            "operation": self.operation,
            "pointer": self.pointer,
            "message": self.message,
            "impact": list(self.impact),
        }


def escape_pointer(token: str) -> str:
    """One JSON pointer token (RFC 6901): ``~`` as ``~0``, ``/`` as ``~1``."""
    return token.replace("~", "~0").replace("/", "~1")


@dataclass
class Context:
    """Where a comparison is, and the changes found so far.

    Attributes:
        operation: The operationId being compared ("" outside operations).
        pointer: The JSON pointer of the node being compared.
        label: How a message names the node, e.g. ``request body property `title```.
        side: ``request`` (what clients send) or ``response`` (what servers send).
        changes: Where every finding is appended; shared by child contexts.
        today: The ISO date ``x-sunset`` dates are compared with.
        kind: The prefix of schema check ids here: ``request``, ``response``, ``parameter``,
            ``response-header``, ``stream-event``; the side when empty.
    """

    operation: str
    pointer: str
    label: str
    side: str
    changes: list[Change]
    today: str = ""
    kind: str = ""

    @property
    def prefix(self) -> str:
        """The prefix of schema check ids at this place."""
        return self.kind or self.side

    def at(
        self,
        token: str,
        label: str | None = None,
        side: str | None = None,
        kind: str | None = None,
    ) -> Context:
        """A child context one pointer token deeper."""
        return Context(
            self.operation,
            f"{self.pointer}/{escape_pointer(token)}",
            self.label if label is None else label,
            self.side if side is None else side,
            self.changes,
            self.today,
            self.kind if kind is None else kind,
        )

    def add(self, check: str, verdict: Verdict, message: str) -> None:
        """Records a finding at this context's location."""
        self.changes.append(Change(check, verdict, self.operation, self.pointer, message))

    def tighter(self) -> Verdict:
        """Who a tightened constraint breaks: the side that sends the data."""
        return Verdict.CLIENT if self.side == "request" else Verdict.SERVER

    def looser(self) -> Verdict:
        """Who a loosened constraint breaks: the side that receives the data."""
        return Verdict.SERVER if self.side == "request" else Verdict.CLIENT
