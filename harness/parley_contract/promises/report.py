"""What the promise checks found: a verdict per promise, and its rendering for the summary."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from parley_spec import Contract, Operation

from parley_contract.client import ApiClient
from parley_contract.promises.promise import Promise
from parley_contract.results import CheckOutcome

__all__ = [
    "FAILED",
    "PASSED",
    "UNEXERCISED",
    "Ledger",
    "PromiseResult",
    "PromisesReport",
    "render_promises",
]

PASSED, FAILED, UNEXERCISED = "passed", "failed", "not exercised"


@dataclass(frozen=True)
class PromiseResult:
    """The verdict on one promise.

    Attributes:
        promise: The promise.
        status: `passed`, `failed` or `not exercised`.
        detail: The first failure's message, or why the promise was not exercised.
        curl: A curl line reproducing the failing request (failed only).
        judged: How many times it was judged (requests or objects compared).
    """

    promise: Promise
    status: str
    detail: str = ""
    curl: str = ""
    judged: int = 0


@dataclass
class PromisesReport:
    """Every promise of the run's operations with its verdict, and the outcomes for the tally.

    Attributes:
        results: One per promise, in inventory order.
        outcomes: One `CheckOutcome` per judgement (check `promise_<kind>`), for the summary
            table, the reports and the exit code.
        unjudgeable: The promises of the document's prose no check can judge on a server
            under test (`x-parley-unchecked`), each not exercised with its reason; listed
            apart, they do not fail `--strict`.
    """

    results: list[PromiseResult] = field(default_factory=list)
    outcomes: list[CheckOutcome] = field(default_factory=list)
    unjudgeable: list[PromiseResult] = field(default_factory=list)

    @property
    def failed(self) -> list[PromiseResult]:
        """The promises a judgement failed."""
        return [r for r in self.results if r.status == FAILED]

    @property
    def unexercised(self) -> list[PromiseResult]:
        """The promises the run could not judge."""
        return [r for r in self.results if r.status == UNEXERCISED]

    def result(self, key: str) -> PromiseResult:
        """The verdict on the promise with this key.

        Raises:
            KeyError: No promise of the run has it.
        """
        for result in self.results:
            if result.promise.key == key:
                return result
        raise KeyError(key)


class Ledger:
    """Collects judgements while the checks run; `report()` turns them into verdicts."""

    def __init__(self, contract: Contract, promises: list[Promise]) -> None:
        self.contract = contract
        self.promises = promises
        self._passes: dict[str, int] = {}
        self._failure: dict[str, tuple[str, str]] = {}
        self._reasons: dict[str, str] = {}
        self._incomplete: dict[str, str] = {}
        self.outcomes: list[CheckOutcome] = []

    def judge(
        self,
        promise: Promise,
        operation_id: str,
        client: ApiClient | None,
        response: httpx.Response | None,
        problem: str | None,
    ) -> None:
        """Record one judgement of `promise` on `operation_id`'s answer: passed when no problem."""
        curl = client.curl(response) if client is not None and response is not None else ""
        label = self.contract.by_id(operation_id).label
        message = f"{promise.key}: {problem}" if problem else ""
        self.outcomes.append(
            CheckOutcome(label, f"promise_{promise.kind}", problem is None, message, curl)
        )
        if problem is None:
            self._passes[promise.key] = self._passes.get(promise.key, 0) + 1
        else:
            self._failure.setdefault(promise.key, (problem, curl))

    def unsuccessful(
        self,
        promise: Promise,
        operation: Operation,
        client: ApiClient,
        response: httpx.Response,
        who: str = "",
    ) -> bool:
        """Whether ``response`` lacks ``operation``'s success status; if so, judged failed.

        ``who`` starts the problem, before ``answered 500, not 200``; True tells the check to
        stop there.
        """
        if response.status_code == operation.success_status:
            return False
        problem = f"{who}answered {response.status_code}, not {operation.success_status}"
        self.judge(promise, operation.operation_id, client, response, problem)
        return True

    def skip(self, promise: Promise, reason: str) -> None:
        """Record why one attempt at `promise` could not judge it (the first reason is kept)."""
        self._reasons.setdefault(promise.key, reason)

    def incomplete(self, promise: Promise, reason: str) -> None:
        """Record that part of `promise` could not be judged: unless it failed, not exercised."""
        self._incomplete.setdefault(promise.key, reason)

    def report(self) -> PromisesReport:
        """The verdicts: failed if any judgement failed, passed if one held, else not exercised."""
        results = []
        for promise in self.promises:
            key = promise.key
            judged = self._passes.get(key, 0) + (key in self._failure)
            if key in self._failure:
                problem, curl = self._failure[key]
                results.append(PromiseResult(promise, FAILED, problem, curl, judged))
            elif key in self._incomplete:
                results.append(
                    PromiseResult(promise, UNEXERCISED, self._incomplete[key], judged=judged)
                )
            elif judged:
                results.append(PromiseResult(promise, PASSED, judged=judged))
            else:
                reason = self._reasons.get(key, "no check reached it")
                results.append(PromiseResult(promise, UNEXERCISED, reason))
        return PromisesReport(results, list(self.outcomes))


def render_promises(report: PromisesReport, replay: Callable[[str], str] | None = None) -> str:
    """The promises section of the summary: one line per promise, then the totals.

    Args:
        report: What `check_promises` found.
        replay: Given an operationId, the command that replays it (see `repro.replay_command`);
            printed under each failed promise with the failing request's curl line.

    Returns:
        Lines joined with newlines: `operation  kind  what  verdict`, details indented.
    """
    rows = [("Operation", "Kind", "Promise", "Verdict")]
    details: dict[int, list[str]] = {}
    for result in report.results:
        promise = result.promise
        rows.append(
            (promise.operation_id, promise.kind, promise.name or "(default)", result.status)
        )
        lines = []
        if result.status == FAILED:
            lines.append(f"    {result.detail}")
            if result.curl:
                lines.append(f"    {result.curl}")
            if replay is not None:
                lines.append(f"    {replay(promise.operation_id)}")
        elif result.status == UNEXERCISED:
            lines.append(f"    why: {result.detail}")
        details[len(rows) - 1] = lines
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    out: list[str] = []
    for index, row in enumerate(rows):
        out.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if index == 0:
            out.append("  ".join("-" * width for width in widths))
        out.extend(details.get(index, []))
    counts = {
        status: sum(r.status == status for r in report.results)
        for status in (PASSED, FAILED, UNEXERCISED)
    }
    out.append("")
    out.append(
        f"{len(report.results)} promises: {counts[PASSED]} passed, {counts[FAILED]} failed, "
        f"{counts[UNEXERCISED]} not exercised"
    )
    if report.unjudgeable:
        out.append("")
        out.append(
            f"{len(report.unjudgeable)} more, of the prose, no check can judge on a server under "
            "test (x-parley-unchecked): not exercised"
        )
        for result in report.unjudgeable:
            out.append(f"  {result.promise.operation_id}: {result.promise.name}")
            out.append(f"    why: {result.detail}")
    return "\n".join(out)
