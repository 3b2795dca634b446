"""What a run found, per operation: schemathesis' cases and the extra checks, in one shape."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["CheckOutcome", "OperationTally", "Tally"]


@dataclass(frozen=True)
class CheckOutcome:
    """One run of one check on one operation, as schemathesis reports its own checks.

    Attributes:
        label: The operation as `METHOD /path`.
        check: The check's name, e.g. `not_a_server_error` or `tenant_isolation`.
        passed: Whether the check held.
        message: What went wrong (empty when it passed).
        curl: A curl command line that reproduces the request the check judged.
        source: `schemathesis` or `parley` (the extra checks).
    """

    label: str
    check: str
    passed: bool
    message: str = ""
    curl: str = ""
    source: str = "parley"


@dataclass
class OperationTally:
    """Cases and failures of one operation across the whole run.

    Attributes:
        label: The operation as `METHOD /path`.
        cases: How many test cases (schemathesis cases plus extra checks) exercised it.
        failures: How many distinct failures (check and message) those cases found.
        first_failure: The first failure seen, if any.
        failed_checks: The names of the checks that failed, in first-seen order.
        positive: Schemathesis cases generated as valid input that got a response.
        positive_2xx: How many of those answered 2xx (they reached the handler and passed).
        responses: Schemathesis cases, of any kind, that got a response.
        rejected: How many of those answered 401 or 403.
        ran: The names of the schemathesis checks that judged a case of it, passed or not.
    """

    label: str
    cases: int = 0
    failures: int = 0
    first_failure: CheckOutcome | None = None
    failed_checks: list[str] = field(default_factory=list)
    positive: int = 0
    positive_2xx: int = 0
    responses: int = 0
    rejected: int = 0
    ran: set[str] = field(default_factory=set)
    _seen: set[tuple[str, str]] = field(default_factory=set, repr=False)

    @property
    def share_2xx(self) -> float | None:
        """`positive_2xx / positive`, or None when no positive case got a response."""
        return self.positive_2xx / self.positive if self.positive else None

    def add_response(self, status: int) -> None:
        """Count one schemathesis response with HTTP `status`."""
        self.responses += 1
        self.rejected += int(status in (401, 403))

    def add_positive(self, *, reached: bool) -> None:
        """Count one positive case; `reached` when it answered 2xx."""
        self.positive += 1
        self.positive_2xx += int(reached)

    def add(self, *, cases: int, failed: Iterable[CheckOutcome]) -> None:
        """Count `cases` more cases, `failed` being the failures among them.

        A failure already seen (same check, same message) is not counted again: shrinking
        and stateful replays repeat the same failure many times.
        """
        self.cases += cases
        for outcome in failed:
            key = (outcome.check, outcome.message)
            if key in self._seen:
                continue
            self._seen.add(key)
            self.failures += 1
            if outcome.check not in self.failed_checks:
                self.failed_checks.append(outcome.check)
            if self.first_failure is None:
                self.first_failure = outcome


@dataclass
class Tally:
    """Per-operation tallies, in the order operations were first seen."""

    operations: dict[str, OperationTally] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def operation(self, label: str) -> OperationTally:
        """The tally of `label`, created empty on first use."""
        return self.operations.setdefault(label, OperationTally(label=label))

    def add_outcomes(self, outcomes: Iterable[CheckOutcome]) -> None:
        """Count each outcome as one case of its operation."""
        for outcome in outcomes:
            self.operation(outcome.label).add(cases=1, failed=[] if outcome.passed else [outcome])

    @property
    def failed(self) -> bool:
        """Whether any case failed or the run hit an error."""
        return bool(self.errors) or any(op.failures for op in self.operations.values())
