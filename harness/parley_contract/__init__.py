"""Parley contract-test harness: schemathesis plus the checks a fuzzer cannot know.

From Python, `run_contract_test` runs what `parley contract-test` runs and returns a typed
result::

    from parley_contract import ContractTestOptions, run_contract_test

    result = run_contract_test(ContractTestOptions(include_tags=("qa",), seed=1))
    assert result.passed, result.summary

The names below load on first use, so importing one module does not load the whole harness.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from parley_contract.options import ContractTestOptions, OptionError
    from parley_contract.preflight import PreflightError
    from parley_contract.results import CheckOutcome
    from parley_contract.runner import run_contract_test
    from parley_contract.verdict import (
        CheckReport,
        CheckRow,
        ContractTestResult,
        Failure,
        OperationRow,
    )

__all__ = [
    "CheckOutcome",
    "CheckReport",
    "CheckRow",
    "ContractTestOptions",
    "ContractTestResult",
    "Failure",
    "OperationRow",
    "OptionError",
    "PreflightError",
    "run_contract_test",
]

_HOMES = {
    "CheckOutcome": "results",
    "CheckReport": "verdict",
    "CheckRow": "verdict",
    "ContractTestOptions": "options",
    "ContractTestResult": "verdict",
    "Failure": "verdict",
    "OperationRow": "verdict",
    "OptionError": "options",
    "PreflightError": "preflight",
    "run_contract_test": "runner",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"parley_contract.{home}"), name)
