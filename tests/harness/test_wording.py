"""Counts the harness prints agree with their number: `1 failure`, `2 failures`."""

from __future__ import annotations

from pathlib import Path

import pytest
from parley_contract import ContractTestResult
from parley_contract.results import CheckOutcome, Tally
from parley_contract.verdict import rows_of
from parley_contract.wording import counted
from parley_spec import load_contract


@pytest.mark.parametrize(
    ("number", "expected"),
    [(0, "0 failures"), (1, "1 failure"), (2, "2 failures"), (-1, "-1 failures")],
)
def test_counted(number: int, expected: str) -> None:
    assert counted(number, "failure") == expected


def test_counted_irregular_plural() -> None:
    assert counted(3, "status", "statuses") == "3 statuses"
    assert counted(1, "status", "statuses") == "1 status"


def test_summary_totals_line_is_singular_for_one() -> None:
    operations = load_contract().select(include_operation_ids=["listAgents"])
    tally = Tally()
    failure = CheckOutcome("GET /v1/agent", "not_a_server_error", False, "500", "curl x")
    tally.operation("GET /v1/agent").add(cases=1, failed=[failure])
    result = ContractTestResult("", Path(), 1, (), rows_of(tally, operations))
    lines = result.summary.splitlines()
    assert "1 operation, 1 case, 1 failure" in lines


def test_help_warns_that_it_writes_data_and_names_exit_codes() -> None:
    from click.testing import CliRunner
    from parley_contract.cli import contract_test

    text = " ".join(CliRunner().invoke(contract_test, ["--help"]).output.split())
    assert "WARNING: it writes data into the target server" in text
    assert "2 when the target cannot be tested" in text
    assert "prints the seed and a command that replays it" in text
