"""The summary table printed at the end of `parley contract-test`."""

from __future__ import annotations

from collections.abc import Sequence

from parley_contract.results import Tally
from parley_contract.spec import Operation
from parley_contract.wording import counted

__all__ = ["render_summary"]

# A reproduction line longer than this is cut in the table; the reports keep it whole.
MAX_CURL_LENGTH = 400


def render_summary(tally: Tally, operations: Sequence[Operation]) -> str:
    """A table with one row per operation: cases, failures and the first failure's check.

    Under each failing row come the failure's message and a curl line that reproduces it.
    Operations the run never exercised show 0 cases; labels the spec does not know (setup
    steps) come last.

    Args:
        tally: What the run found.
        operations: The operations selected for the run, in spec order.

    Returns:
        The table, lines joined with newlines, ending with a totals line.
    """
    names = {op.label: op.operation_id for op in operations}
    labels = [op.label for op in operations]
    labels += [label for label in tally.operations if label not in names]
    rows = [("Operation", "Cases", "Failures", "First failure")]
    details: dict[int, list[str]] = {}
    for label in labels:
        op = tally.operation(label)
        first = op.first_failure
        rows.append(
            (names.get(label, label), str(op.cases), str(op.failures), first.check if first else "")
        )
        if first is not None:
            detail = [f"    {label}: {first.message}", *_curl_lines(first.curl)]
            if len(op.failed_checks) > 1:
                detail.append(f"    failed checks: {', '.join(op.failed_checks)}")
            details[len(rows) - 1] = detail
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines: list[str] = []
    for index, row in enumerate(rows):
        lines.append(
            "  ".join(
                cell.rjust(widths[i]) if i in (1, 2) else cell.ljust(widths[i])
                for i, cell in enumerate(row)
            ).rstrip()
        )
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
        lines.extend(details.get(index, []))
    cases = sum(tally.operation(label).cases for label in labels)
    failures = sum(tally.operation(label).failures for label in labels)
    untested = [names[label] for label in names if tally.operation(label).cases == 0]
    lines.append("")
    lines.append(
        f"{counted(len(names), 'operation')}, {counted(cases, 'case')}, "
        f"{counted(failures, 'failure')}"
    )
    if untested:
        lines.append(f"Not exercised: {', '.join(untested)}")
    lines.extend(f"Error: {error}" for error in tally.errors)
    return "\n".join(lines)


def _curl_lines(curl: str) -> list[str]:
    """The reproduction, one indented line per request (stateful failures need several)."""
    if not curl:
        return ["    (no request to reproduce)"]
    lines = []
    for line in curl.strip().splitlines():
        if len(line) > MAX_CURL_LENGTH:
            line = line[:MAX_CURL_LENGTH] + " ... (cut; the reports hold it whole)"
        lines.append(f"    {line}")
    return lines
