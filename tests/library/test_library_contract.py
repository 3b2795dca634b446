"""A second contract, unrelated to Parley's, checked by the harness with no change to it.

The library API (`tests/library/openapi.yaml`: books, loans, soft delete, orders, filters,
counts, links, timestamps, effects, given) is served by `tests/library/server.py`.
`parley contract-test --spec` passes the healthy server with every promise exercised
(`--strict`), and fails each broken variant (one per promise kind the harness checks) on that
kind's promise alone.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from parley_contract import ContractTestOptions, run_contract_test
from parley_contract.promises import CHECKS, inventory
from parley_spec import load_contract

from tests.harness.serving import serve
from tests.library.server import DOCUMENT, FAULTS, Keys, create_app

# For each fault: the operation its promise is judged on, and the promise that must fail.
CAUGHT_BY = {
    "order": ("listBooks", "order listBooks"),
    "filter": ("listLoans", "filter listLoans status"),
    "visibility": ("listBooks", "visibility listBooks"),
    "effect": ("updateBook", "effect updateBook getBook"),
    "count": ("listBooks", "count listBooks Book.loan_count"),
    "timestamps": ("listLoans", "timestamps listLoans Loan"),
    "derived": ("listLoans", "derived listLoans Loan.minutes_out"),
    "keep": ("updateBook", "keep updateBook getBook /author,/genre,/created_at"),
    "repeat": ("updateBook", "repeat updateBook getBook"),
    "lands": ("lendBook", "lands lendBook listLoans"),
    "idempotent": ("restoreBook", "idempotent restoreBook"),
    "stream": ("writeBlurb", "stream writeBlurb"),
    "disconnect": ("writeBlurb", "disconnect writeBlurb"),
    "outcome": ("returnLoan", "outcome returnLoan 409 #0"),
    "read_back": ("lendBook", "read_back lendBook getLoan #0"),
    "answer": ("returnLoan", "answer returnLoan #0"),
    "convention": ("getBook", "convention listBooks problem-status"),
}


def test_the_document_has_a_promise_and_a_fault_of_every_checked_kind() -> None:
    kinds = {promise.kind for promise in inventory(load_contract(DOCUMENT))}
    assert set(CHECKS) <= kinds
    assert set(FAULTS) == set(CHECKS) == set(CAUGHT_BY)
    keys = {promise.key for promise in inventory(load_contract(DOCUMENT))}
    assert {key for _, key in CAUGHT_BY.values()} <= keys


@pytest.mark.slow
def test_a_default_strict_run_passes_the_healthy_server(tmp_path: Path) -> None:
    keys = Keys()
    with serve(create_app(keys), log_level="error") as url:
        result = subprocess.run(
            [
                *(sys.executable, "-m", "parley_contract", url, "--spec", str(DOCUMENT)),
                *("--api-key", keys.writer, "--read-only-api-key", keys.reader),
                *("--other-tenant-api-key", keys.other),
                *("--max-examples", "3", "--seed", "1", "--strict"),
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    total = len(inventory(load_contract(DOCUMENT)))
    counts = re.search(r"(\d+) promises: (\d+) passed, 0 failed, 0 not exercised", result.stdout)
    assert counts is not None, result.stdout[-4000:]
    # Every annotation's promises, and the scope, tenancy, idempotency, pagination and format
    # promises the extra checks judge.
    assert int(counts.group(1)) == int(counts.group(2)) > total
    assert "13 operations" in result.stdout and ", 0 failures" in result.stdout


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_each_broken_variant_fails_its_kinds_promise_alone(fault: str) -> None:
    operation_id, promise = CAUGHT_BY[fault]
    keys = Keys()
    with serve(create_app(keys, fault), log_level="error") as url:
        result = run_contract_test(
            ContractTestOptions(
                url=url,
                api_key=keys.writer,
                spec_path=DOCUMENT,
                include_operation_ids=(operation_id,),
                phases=("examples",),
                max_examples=1,
                seed=1,
            )
        )
    (report,) = result.reports
    kind, operation, *name = promise.split(" ", 2)
    expected = f"{operation} {kind} {name[0] if name else '(default)'}"
    assert [row.subject for row in report.rows if row.status == "failed"] == [expected]
    assert result.exit_status == 1
