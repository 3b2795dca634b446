"""The summary table and the reproduction lines printed at the end of `parley contract-test`.

Both are rendered from a `ContractTestResult` alone: its rows, failures and errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from parley_contract.wording import counted

if TYPE_CHECKING:
    from parley_contract.verdict import ContractTestResult

__all__ = ["MIN_2XX_SHARE", "render_reproduction", "render_summary"]

# A reproduction line longer than this is cut in the table; the reports keep it whole.
MAX_CURL_LENGTH = 400

# An operation whose positive cases answered 2xx less often than this was barely exercised:
# the table marks it and a line under the table names it (the run does not fail for it).
MIN_2XX_SHARE = 0.30


def render_summary(result: ContractTestResult) -> str:
    """A table with one row per operation: cases, failures, 2xx share, first failure's check.

    `Positive` counts schemathesis' cases generated as valid input, `2xx` the share of them
    that answered 2xx (reached the handler and succeeded); a share under `MIN_2XX_SHARE` is
    marked `!` and named under the table.

    Under each failing row come the failure's message and a curl line that reproduces it.
    Operations the run never exercised show 0 cases; requests outside the selected operations
    (setup steps) come last.

    Args:
        result: What the run found.

    Returns:
        The table, lines joined with newlines, ending with a totals line.
    """
    rows = [("Operation", "Cases", "Failures", "Positive", "2xx", "First failure")]
    shallow: list[str] = []
    details: dict[int, list[str]] = {}
    for row in result.operations:
        first = row.first_failure
        share = row.share_2xx
        reached = "-"
        if share is not None:
            low = share < MIN_2XX_SHARE
            reached = f"{'!' if low else ''}{share:.0%}"
            if low and row.operation_id is not None:
                shallow.append(f"{row.operation_id} ({share:.0%})")
        rows.append(
            (
                row.operation_id or row.label,
                str(row.cases),
                str(row.failures),
                str(row.positive),
                reached,
                first.check if first else "",
            )
        )
        if first is not None:
            detail = [f"    {row.label}: {first.message}", *_curl_lines(first.curl)]
            if len(row.failed_checks) > 1:
                detail.append(f"    failed checks: {', '.join(row.failed_checks)}")
            details[len(rows) - 1] = detail
    widths = [max(len(cells[i]) for cells in rows) for i in range(6)]
    lines: list[str] = []
    for index, cells in enumerate(rows):
        lines.append(
            "  ".join(
                cell.rjust(widths[i]) if i in (1, 2, 3, 4) else cell.ljust(widths[i])
                for i, cell in enumerate(cells)
            ).rstrip()
        )
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
        lines.extend(details.get(index, []))
    selected = [row for row in result.operations if row.operation_id is not None]
    cases = sum(row.cases for row in result.operations)
    failures = sum(row.failures for row in result.operations)
    untested = [str(row.operation_id) for row in selected if row.cases == 0]
    lines.append("")
    lines.append(
        f"{counted(len(selected), 'operation')}, {counted(cases, 'case')}, "
        f"{counted(failures, 'failure')}"
    )
    if untested:
        lines.append(f"Not exercised: {', '.join(untested)}")
    if shallow:
        lines.append(
            f"Under {MIN_2XX_SHARE:.0%} of positive cases answered 2xx (barely exercised): "
            + ", ".join(shallow)
        )
    lines.extend(f"Error: {error}" for error in result.errors)
    return "\n".join(lines)


def render_reproduction(result: ContractTestResult) -> tuple[str, ...]:
    """The reproduction section printed after the summary: empty when nothing failed.

    Args:
        result: What the run found.

    Returns:
        Lines: a heading naming the seed, then one command per failing operation.
    """
    if not result.failures:
        return ()
    lines = [f"Reproduce (seed {result.seed}); each command replays one failing operation:"]
    if result.embedded:
        lines.append("  (each boots a fresh embedded reference server, as this run did)")
    lines += [f"  {failure.command}" for failure in result.failures]
    return tuple(lines)


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
