"""A contract test from Python: the same run as `parley contract-test`, as a typed result.

``PARLEY_API_KEY=pk_... python examples/contract_test.py`` (against `parley serve`).
"""

import os

from parley_contract import ContractTestOptions, run_contract_test

url = os.environ.get("PARLEY_BASE_URL", "http://127.0.0.1:8080")
options = ContractTestOptions(
    url=url,
    api_key=os.environ["PARLEY_API_KEY"],  # keys are values: nothing is read from os.environ
    include_tags=("qa",),
    max_examples=5,
    seed=42,
)
result = run_contract_test(options, progress=print)  # progress: parley's lines; omit for none
for failure in result.failures:
    print(failure.operation_id, failure.check, failure.message, failure.command, sep="\n  ")
print(f"{len(result.operations)} operations, exit status {result.exit_status}")
assert result.passed, result.summary
