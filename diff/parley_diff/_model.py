"""What a contract difference is: a check id, a verdict, a level, a location and one sentence."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from parley_spec import escape_token

__all__ = ["Change", "Context", "Level", "Settings", "Verdict"]


class Verdict(StrEnum):
    """Who a difference breaks.

    ``client``: a client built from the old document may fail against a server of the new one
    (its requests rejected, or a response it cannot read). ``server``: a server built from the
    old document no longer meets the new one (it must send, accept or implement more).
    ``compatible``: neither. ``policy``: a rule of the versioning policy (``info.version``,
    deprecation notice, stability) that the new document breaks; it breaks no deployed code
    and is never counted as a break.
    """

    CLIENT = "breaking-for-clients"
    SERVER = "breaking-for-servers"
    COMPATIBLE = "compatible"
    POLICY = "policy"


class Level(StrEnum):
    """How serious a finding is: what ``--fail-on`` compares with.

    ``error``: breaks clients or servers (a policy finding: the policy forbids it).
    ``warning``: may break some (clients that validate responses strictly, users of a beta
    operation). ``info``: breaks nobody.
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """2 for error, 1 for warning, 0 for info."""
        return {"error": 2, "warning": 1, "info": 0}[self.value]


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
        impact: For a change that breaks clients, what it does to Parley's generated client
            and overlays, e.g. ``client.conversations.create_conversation: keyword title
            removed``.
        level: Its level (see :class:`Level`): the check's default, lowered for an operation
            that is not ``x-stability-level: stable``, or set by an override.
        reason: Why the level is not the check's default ("" when it is).
    """

    check: str
    verdict: Verdict
    operation: str
    pointer: str
    message: str
    impact: tuple[str, ...] = field(default=())
    level: Level = Level.INFO
    reason: str = ""

    @property
    def policy(self) -> bool:
        """Whether it is a finding of the versioning policy rather than a break."""
        return self.verdict is Verdict.POLICY

    def as_json(self) -> dict[str, Any]:
        """The change as a JSON object (the ``--format json`` item)."""
        return {
            "check": self.check,
            "level": self.level.value,
            "verdict": self.verdict.value,
            "operation": self.operation,
            "pointer": self.pointer,
            "message": self.message,
            "impact": list(self.impact),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Settings:
    """What a comparison is judged against besides the two documents.

    Attributes:
        today: The ISO date (``YYYY-MM-DD``) ``x-sunset`` dates are compared with.
        sunset_notice_days: The least number of days between the day an ``x-sunset`` date is
            set and that date (``sunset-notice-too-short`` below it); 0 turns the rule off.
    """

    today: str
    sunset_notice_days: int = 0


@dataclass
class Context:
    """Where a comparison is, and the changes found so far.

    Attributes:
        operation: The operationId being compared ("" outside operations).
        pointer: The JSON pointer of the node being compared.
        label: How a message names the node, e.g. ``request body property `title```.
        side: ``request`` (what clients send) or ``response`` (what servers send).
        changes: Where every finding is appended; shared by child contexts.
        settings: The date and the deprecation notice the comparison is judged against.
        kind: The prefix of schema check ids here: ``request``, ``response``, ``parameter``,
            ``response-header``, ``stream-event``; the side when empty.
    """

    operation: str
    pointer: str
    label: str
    side: str
    changes: list[Change]
    settings: Settings
    kind: str = ""

    @property
    def prefix(self) -> str:
        """The prefix of schema check ids at this place."""
        return self.kind or self.side

    @property
    def today(self) -> str:
        """The ISO date ``x-sunset`` dates are compared with."""
        return self.settings.today

    def at(
        self,
        token: str,
        label: str | None = None,
        side: str | None = None,
        kind: str | None = None,
    ) -> Context:
        """A child context one pointer token deeper."""
        return self.moved(f"{self.pointer}/{escape_token(token)}", label, side, kind)

    def moved(
        self,
        pointer: str,
        label: str | None = None,
        side: str | None = None,
        kind: str | None = None,
    ) -> Context:
        """A context at another pointer of the same operation, sharing the findings."""
        return Context(
            self.operation,
            pointer,
            self.label if label is None else label,
            self.side if side is None else side,
            self.changes,
            self.settings,
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
