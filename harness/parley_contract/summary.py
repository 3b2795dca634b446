"""The summary table printed at the end of `parley contract-test`."""

from __future__ import annotations

from collections.abc import Sequence

from parley_contract.results import Tally
from parley_contract.spec import Operation
from parley_contract.wording import counted

__all__ = ["MIN_2XX_SHARE", "render_summary"]

# A reproduction line longer than this is cut in the table; the reports keep it whole.
MAX_CURL_LENGTH = 400

# An operation whose positive cases answered 2xx less often than this was barely exercised:
# the table marks it and a line under the table names it (the run does not fail for it).
MIN_2XX_SHARE = 0.30


def render_summary(tally: Tally, operations: Sequence[Operation]) -> str:
    """A table with one row per operation: cases, failures, 2xx share, first failure's check.

    `Positive` counts schemathesis' cases generated as valid input, `2xx` the share of them
    that answered 2xx (reached the handler and succeeded); a share under `MIN_2XX_SHARE` is
    marked `!` and named under the table.

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
    rows = [("Operation", "Cases", "Failures", "Positive", "2xx", "First failure")]
    shallow: list[str] = []
    details: dict[int, list[str]] = {}
    for label in labels:
        op = tally.operation(label)
        first = op.first_failure
        share = op.share_2xx
        if share is None:
            reached = "-"
        else:
            low = share < MIN_2XX_SHARE
            reached = f"{'!' if low else ''}{share:.0%}"
            if low and label in names:
                shallow.append(f"{names[label]} ({share:.0%})")
        rows.append(
            (
                names.get(label, label),
                str(op.cases),
                str(op.failures),
                str(op.positive),
                reached,
                first.check if first else "",
            )
        )
        if first is not None:
            detail = [f"    {label}: {first.message}", *_curl_lines(first.curl)]
            if len(op.failed_checks) > 1:
                detail.append(f"    failed checks: {', '.join(op.failed_checks)}")
            details[len(rows) - 1] = detail
    widths = [max(len(row[i]) for row in rows) for i in range(6)]
    lines: list[str] = []
    for index, row in enumerate(rows):
        lines.append(
            "  ".join(
                cell.rjust(widths[i]) if i in (1, 2, 3, 4) else cell.ljust(widths[i])
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
    if shallow:
        lines.append(
            f"Under {MIN_2XX_SHARE:.0%} of positive cases answered 2xx (barely exercised): "
            + ", ".join(shallow)
        )
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
