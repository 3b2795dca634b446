"""A schemathesis CLI event handler that tallies cases and failures per operation.

Registered through schemathesis' public extension point (`schemathesis.cli.handler`); it
writes into the `Tally` that `collecting()` installs for the duration of one run, so a run
needs no global state of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from parley_contract.results import CheckOutcome, Tally

__all__ = ["collecting", "record_event"]

_CURRENT: ContextVar[Tally | None] = ContextVar("parley_tally", default=None)
_registered = False


@contextmanager
def collecting(tally: Tally) -> Iterator[Tally]:
    """Tally the events of the schemathesis runs started inside this block into `tally`."""
    _register()
    token = _CURRENT.set(tally)
    try:
        yield tally
    finally:
        _CURRENT.reset(token)


def record_event(tally: Tally, event: Any) -> None:
    """Fold one schemathesis engine event into `tally`.

    Finished scenarios add their cases (one per request) and failed checks to the operation
    each case called (a stateful scenario spans several), count every response and the 401/403
    ones, and each positive case that got a response and whether it answered 2xx; non-fatal
    errors count as a failure of their operation.
    """
    from schemathesis.engine import Status, events

    if isinstance(event, events.ScenarioFinished) and event.is_test_scenario:
        recorder = event.recorder
        for case_id, node in recorder.cases.items():
            label = node.value.operation.label
            interaction = recorder.interactions.get(case_id)
            response = interaction.response if interaction is not None else None
            if response is not None:
                tally.operation(label).add_response(response.status_code)
                if _positive(node.value):
                    tally.operation(label).add_positive(reached=200 <= response.status_code < 300)
            checks = recorder.checks.get(case_id, [])
            tally.operation(label).ran.update(check.name for check in checks)
            failed = [
                CheckOutcome(
                    label=label,
                    check=check.name,
                    passed=False,
                    message=check.failure_info.failure.title,
                    curl=check.failure_info.code_sample,
                    source="schemathesis",
                )
                for check in checks
                if check.status == Status.FAILURE and check.failure_info is not None
            ]
            tally.operation(label).add(cases=1, failed=failed[:1])
    elif isinstance(event, events.NonFatalError):
        outcome = CheckOutcome(
            label=event.label,
            check="error",
            passed=False,
            message=event.info.title,
            curl=event.info.code_sample or "",
            source="schemathesis",
        )
        tally.operation(event.label).add(cases=0, failed=[outcome])
    elif isinstance(event, events.FatalError):
        tally.errors.append(f"schemathesis stopped: {event.exception}")


def _positive(case: Any) -> bool:
    """Whether schemathesis counts `case` as valid input (after any hook's edits)."""
    meta = case.meta
    return meta is None or bool(meta.generation.mode.is_positive)


def _register() -> None:
    global _registered
    if _registered:
        return
    import schemathesis.cli
    from schemathesis.cli import EventHandler

    class ParleyTallyHandler(EventHandler[Any]):
        def __init__(self, *args: Any, **params: Any) -> None:
            self.tally = _CURRENT.get()

        def handle_event(self, ctx: Any, event: Any) -> None:
            if self.tally is not None:
                record_event(self.tally, event)

    schemathesis.cli.handler()(ParleyTallyHandler)
    _registered = True
