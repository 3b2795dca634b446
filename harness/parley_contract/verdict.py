"""What `run_contract_test` returns: the summary table's rows, failures and their replays.

Plain frozen values, built once at the end of a run from its `Tally`; the summary, the
reproduction lines and the promises report are rendered from them (`summary.py`). The
command line prints them, a test suite or a notebook reads them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from parley_spec import Contract, Operation

from parley_contract.promises import PromisesReport, render_promises
from parley_contract.promises.tracing import (
    SentenceVerdict,
    render_trace,
    trace_summary,
    trace_verdicts,
)
from parley_contract.repro import ReplayOptions, replay_command
from parley_contract.results import CheckOutcome, OperationTally, Tally
from parley_contract.summary import render_reproduction, render_summary

__all__ = [
    "CheckReport",
    "CheckRow",
    "ContractTestResult",
    "Failure",
    "OperationRow",
    "failures_of",
    "promises_report",
    "rows_of",
    "traced",
]


@dataclass(frozen=True)
class OperationRow:
    """One row of the summary table: what the run did to one operation.

    Attributes:
        operation_id: The operationId, or None for a request outside the selected operations
            (a setup step the extra checks made).
        label: The operation as `METHOD /path`.
        cases: schemathesis' cases plus the extra checks' requests that exercised it.
        failures: Distinct failures (check and message) among them.
        positive: schemathesis cases generated as valid input that got a response.
        share_2xx: The share of those that answered 2xx (0.0 to 1.0), or None when none did.
        first_failure: The first failure seen, if any.
        failed_checks: Names of the checks that failed, in first-seen order.
    """

    operation_id: str | None
    label: str
    cases: int
    failures: int
    positive: int
    share_2xx: float | None
    first_failure: CheckOutcome | None
    failed_checks: tuple[str, ...]


@dataclass(frozen=True)
class Failure:
    """A failing operation and the command that replays it.

    Attributes:
        operation_id: The failing operation.
        label: It as `METHOD /path`.
        check: The check of its first failure, e.g. `response_schema_conformance`.
        message: What went wrong, first failure.
        curl: A curl command (one line per request) that reproduces the first failure;
            credentials appear as `$PARLEY_API_KEY`-style variable references.
        failed_checks: Every check that failed on the operation, in first-seen order.
        command: The `parley contract-test ... --seed N --include-operation-id ID` command
            that replays the run on this operation alone.
    """

    operation_id: str
    label: str
    check: str
    message: str
    curl: str
    failed_checks: tuple[str, ...]
    command: str


@dataclass(frozen=True)
class CheckRow:
    """One verdict of an extra check report: one promise, operation or resource.

    Attributes:
        subject: What was checked, e.g. `GET /books` or a promise's name.
        status: `passed`, `failed`, or `unchecked` (the check could not judge it).
        message: Why it failed or was not checked (empty when it passed).
    """

    subject: str
    status: Literal["passed", "failed", "unchecked"]
    message: str = ""


@dataclass(frozen=True)
class CheckReport:
    """A named group of verdicts that joins a run's result (e.g. the promises checked).

    A failed row fails the run, as a failed case does; an unchecked one does not.

    Attributes:
        name: The report's heading, e.g. `promises`.
        rows: Its verdicts, in the order they were reached.
        text: The report as the command prints it ("" for the plain counts and rows).
    """

    name: str
    rows: tuple[CheckRow, ...]
    text: str = ""

    def count(self, status: Literal["passed", "failed", "unchecked"]) -> int:
        """How many rows have `status` (`passed`, `failed` or `unchecked`)."""
        return sum(row.status == status for row in self.rows)

    @property
    def passed(self) -> bool:
        """Whether no row failed."""
        return self.count("failed") == 0


@dataclass(frozen=True)
class ContractTestResult:
    """What one contract test found: the summary table, failures, checks and reports.

    Attributes:
        base_url: The server tested (the embedded one's address is gone once the run ends).
        spec_path: The OpenAPI document the server was tested against.
        seed: The run's seed; `Failure.command` repeats it.
        phases: The schemathesis phases that ran (stateful is dropped when no link joins
            two selected operations).
        operations: The summary table's rows: every selected operation in spec order, then
            requests outside them.
        failures: One per failing selected operation, in the order they first failed.
        checks: Every outcome of Parley's own checks, `response_validated` included.
        errors: Problems of the run as a whole (schemathesis stopped, every answer was
            401/403); each fails the run.
        report_files: The report files written (`junit.xml`, `events.ndjson`).
        elapsed: Wall time of the run, in seconds, server start-up included.
        reports: Further check reports joined to the run: `promises`, one row per promise
            of the contract (`unchecked`: not exercised, with the reason).
        strict: Whether an unchecked row fails the run (`--strict`).
        embedded: Whether the embedded reference server was tested (its replays boot one).
        trace: Every behavioural sentence of the contract's prose with the verdict of its
            promises (`parley_contract.promises.tracing`); empty without the extra checks.
    """

    base_url: str
    spec_path: Path
    seed: int
    phases: tuple[str, ...]
    operations: tuple[OperationRow, ...]
    failures: tuple[Failure, ...] = ()
    checks: tuple[CheckOutcome, ...] = ()
    errors: tuple[str, ...] = ()
    report_files: tuple[Path, ...] = ()
    elapsed: float = 0.0
    reports: tuple[CheckReport, ...] = ()
    strict: bool = False
    embedded: bool = False
    trace: tuple[SentenceVerdict, ...] = ()

    @property
    def summary(self) -> str:
        """The summary table as `parley contract-test` prints it."""
        return render_summary(self)

    @property
    def reproduce(self) -> tuple[str, ...]:
        """The reproduction section as printed (empty when nothing failed)."""
        return render_reproduction(self)

    @property
    def exit_status(self) -> int:
        """The exit code `parley contract-test` gives: 0 when nothing failed, else 1.

        With `strict`, a report row left unchecked (a promise not exercised) fails too. A
        target the run refused (exit code 2) raises `PreflightError` instead of returning.
        """
        failed = self.errors or any(row.failures for row in self.operations)
        failed = failed or not all(report.passed for report in self.reports)
        unchecked = any(report.count("unchecked") for report in self.reports)
        return 1 if failed or (self.strict and unchecked) else 0

    @property
    def passed(self) -> bool:
        """Whether nothing failed (`exit_status` is 0)."""
        return self.exit_status == 0

    def row(self, operation_id: str) -> OperationRow:
        """The summary row of `operation_id`, an operation selected for the run.

        Raises:
            KeyError: The operation was not selected for the run.
        """
        for row in self.operations:
            if row.operation_id == operation_id:
                return row
        raise KeyError(operation_id)


def rows_of(tally: Tally, operations: Sequence[Operation]) -> tuple[OperationRow, ...]:
    """The summary table's rows, as `render_summary` prints them.

    One per selected operation, in spec order (0 cases when never exercised), then one per
    request label outside them.
    """
    names = {op.label: op.operation_id for op in operations}
    labels = [op.label for op in operations]
    labels += [label for label in tally.operations if label not in names]
    rows = []
    for label in labels:
        counted = tally.operations.get(label) or OperationTally(label)
        rows.append(
            OperationRow(
                operation_id=names.get(label),
                label=label,
                cases=counted.cases,
                failures=counted.failures,
                positive=counted.positive,
                share_2xx=counted.share_2xx,
                first_failure=counted.first_failure,
                failed_checks=tuple(counted.failed_checks),
            )
        )
    return tuple(rows)


def failures_of(
    tally: Tally, operations: Sequence[Operation], replay: ReplayOptions
) -> tuple[Failure, ...]:
    """One `Failure` per failing selected operation, in the order they first failed.

    `replay` is what a replay repeats of the run, for the replay commands.
    """
    ids = {op.label: op.operation_id for op in operations}
    failures = []
    for label, counted in tally.operations.items():
        first = counted.first_failure
        if first is None or not counted.failures or label not in ids:
            continue
        failures.append(
            Failure(
                operation_id=ids[label],
                label=label,
                check=first.check,
                message=first.message,
                curl=first.curl,
                failed_checks=tuple(counted.failed_checks),
                command=replay_command(replay, ids[label]),
            )
        )
    return tuple(failures)


def promises_report(
    promises: PromisesReport | None,
    replay: ReplayOptions,
    trace: Sequence[SentenceVerdict] = (),
    *,
    full_trace: bool = False,
) -> CheckReport:
    """The ``promises`` report of the result: a row per promise and the printed table.

    Args:
        promises: What the promise checks found (None: the extra checks were off).
        replay: How failures are replayed (their commands are printed).
        trace: The trace's verdicts; their summary line ends the printed table.
        full_trace: Print the trace section whole (``--trace``), not just its summary.
    """
    if promises is None:
        reason = "the extra checks, which judge the promises, were off (--no-extra-checks)"
        return CheckReport("promises", (CheckRow("every promise", "unchecked", reason),), "")
    status: dict[str, Literal["passed", "failed", "unchecked"]] = {
        "passed": "passed",
        "failed": "failed",
        "not exercised": "unchecked",
    }
    rows = tuple(
        CheckRow(
            f"{result.promise.operation_id} {result.promise.kind} "
            f"{result.promise.name or '(default)'}",
            status[result.status],
            result.detail,
        )
        for result in promises.results
    )
    table = render_promises(promises, lambda op: replay_command(replay, op))
    heading = (
        "Promises (x-parley-* annotations of the contract, see CONTRIBUTING.md; and the\n"
        "security roles, tenancy, Idempotency-Key, streams, pagination and formats the\n"
        "extra checks judge)"
    )
    if trace:
        table += "\n\n" + (render_trace(trace) if full_trace else trace_summary(trace))
    return CheckReport("promises", rows, f"{heading}\n\n{table}")


def traced(contract: Contract, promises: PromisesReport | None) -> tuple[SentenceVerdict, ...]:
    """The trace's verdicts of a run (none when the extra checks were off)."""
    return () if promises is None else trace_verdicts(contract, promises.results)
