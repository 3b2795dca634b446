"""Fail a run in which every operation answered schemathesis only 401 or 403.

schemathesis reports such a run as passed with a warning ("N operations returned only 401/403
responses"): nothing behind authentication was tested. This module counts, per operation, the
responses schemathesis received and how many were 401/403, through the same public extension
point as `tally` (`schemathesis.cli.handler`), and :func:`only_rejected` turns the count into
the error that makes `parley contract-test` exit 1, with or without the extra checks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from parley_contract.wording import counted

__all__ = ["StatusCount", "counting", "only_rejected", "record_statuses"]

_REJECTED = frozenset({401, 403})
_CURRENT: ContextVar[StatusCount | None] = ContextVar("parley_status_count", default=None)
_registered = False


@dataclass
class StatusCount:
    """Responses per operation label (`METHOD /path`): all of them and the 401/403 ones."""

    responses: Counter[str] = field(default_factory=Counter)
    rejected: Counter[str] = field(default_factory=Counter)

    def add(self, label: str, status: int) -> None:
        """Count one response of `label` with HTTP `status`."""
        self.responses[label] += 1
        if status in _REJECTED:
            self.rejected[label] += 1


def only_rejected(count: StatusCount) -> str | None:
    """The error for a run whose every answered operation got only 401/403, else None.

    Returns:
        One sentence naming how many operations and responses, or None when at least one
        operation got another status (or nothing was answered at all).
    """
    labels = [label for label, total in count.responses.items() if total]
    if not labels or any(count.rejected[label] < count.responses[label] for label in labels):
        return None
    total = sum(count.responses[label] for label in labels)
    return (
        f"every operation answered only 401/403 ({counted(len(labels), 'operation')}, "
        f"{counted(total, 'response')}): the credential does not work, so nothing behind it "
        "was tested"
    )


@contextmanager
def counting(count: StatusCount) -> Iterator[StatusCount]:
    """Count the responses of the schemathesis runs started inside this block into `count`."""
    _register()
    token = _CURRENT.set(count)
    try:
        yield count
    finally:
        _CURRENT.reset(token)


def record_statuses(count: StatusCount, event: Any) -> None:
    """Fold the responses of one finished schemathesis scenario into `count`."""
    from schemathesis.engine import events

    if isinstance(event, events.ScenarioFinished) and event.is_test_scenario:
        recorder = event.recorder
        for case_id, interaction in recorder.interactions.items():
            node = recorder.cases.get(case_id)
            if node is None or interaction.response is None:
                continue
            count.add(node.value.operation.label, interaction.response.status_code)


def _register() -> None:
    global _registered
    if _registered:
        return
    import schemathesis.cli
    from schemathesis.cli import EventHandler

    class ParleyStatusHandler(EventHandler[Any]):
        def __init__(self, *args: Any, **params: Any) -> None:
            self.count = _CURRENT.get()

        def handle_event(self, ctx: Any, event: Any) -> None:
            if self.count is not None:
                record_statuses(self.count, event)

    schemathesis.cli.handler()(ParleyStatusHandler)
    _registered = True
