"""Plain schemathesis, no Parley hook, passes the reference server with the project's settings.

The run is the one a user types in a checkout: the `schemathesis` command of this environment,
`run openapi.yaml --url ... -H "X-API-Key: ..."`, the repository's `schemathesis.toml` (every
phase, every check, the per-operation settings and their reasons), a fixed seed and 30 examples
per operation, against `parley serve` on SQLite. It runs in a temporary folder, with the
configuration named by `--config-file` (what a run from the checkout discovers by itself), so
no example database of an earlier run is replayed.

It ends with two schemathesis warnings, each explained and checked here:

* **Missing test data**: plain schemathesis knows no id of an existing resource, so the
  operations whose path names an agent (`agentKey`) or a conversation are called with drawn ids
  and rightly answer 404; its stateful phase reaches some of them through the document's links,
  not every one within its step budget. `parley contract-test` supplies real ids
  (`parley_contract.depth`) and its run has no warning (`tests/harness/test_healthy_servers.py`).
* **Schema validation mismatch**: schemathesis sends `Idempotency-Key: 0` with every body
  variant of its coverage phase. Once one request stored a response under that key, every
  other request with it gets the documented 422 `idempotency-key-reused`, which the warning
  counts as validation. It names only operations that take an `Idempotency-Key`.

Time: about 45 s on two shared cores (the schemathesis run takes 30-45 s of it).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from parley_server.testing import start_server

pytestmark = pytest.mark.slow  # over 10 s: left out of scripts/test --quick

ROOT = Path(__file__).resolve().parents[2]
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
SEED = 8592
EXPLAINED_WARNINGS = {"Missing test data", "Schema validation mismatch"}


def _labels(section: str) -> set[str]:
    return set(re.findall(r"^  - ((?:GET|POST|PATCH|PUT|DELETE) \S+)$", section, re.MULTILINE))


def _operations() -> tuple[set[str], set[str]]:
    """Labels of the operations with path parameters, and of those taking an Idempotency-Key."""
    document = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    with_path, keyed = set(), set()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            label = f"{method.upper()} {path}"
            refs = [p.get("$ref", "") for p in operation.get("parameters", [])]
            if "{" in path:
                with_path.add(label)
            if any(ref.endswith("/IdempotencyKey") for ref in refs):
                keyed.add(label)
    return with_path, keyed


def test_plain_schemathesis_passes_with_the_project_configuration(tmp_path: Path) -> None:
    with start_server() as server:
        key = server.tenant.write_key
        result = subprocess.run(
            [
                str(SCHEMATHESIS),
                "--config-file",
                str(ROOT / "schemathesis.toml"),
                "run",
                str(ROOT / "openapi.yaml"),
                "--url",
                server.base_url,
                "-H",
                f"X-API-Key: {key}",
                "--seed",
                str(SEED),
                "--max-examples",
                "30",
            ],
            cwd=tmp_path,
            env={**os.environ, "PARLEY_API_KEY": key},  # the configuration's auth reads it
            capture_output=True,
            text=True,
            timeout=280,
            check=False,
        )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    summary = output.rpartition("SUMMARY")[2]
    for phase in ("Examples", "Coverage", "Fuzzing", "Stateful"):
        assert f"\u2705 {phase}" in summary, summary
    assert "Failures:" not in summary and "Errors:" not in summary, summary
    assert re.search(r"(\d+) generated, \1 passed", summary), summary
    found = set(re.findall(r"\u26a0\ufe0f (.+?):", summary))
    assert found <= EXPLAINED_WARNINGS, f"unexplained schemathesis warnings: {found}\n{output}"
    sections = output.partition("WARNINGS")[2].partition("SUMMARY")[0]
    missing, _, mismatch = sections.partition("Schema validation mismatch")
    with_path, keyed = _operations()
    assert _labels(missing) <= with_path | {"POST /api/v1/chat"}, missing
    assert _labels(mismatch) <= keyed, mismatch


def test_the_reused_key_setting_covers_exactly_the_keyed_operations() -> None:
    """`schemathesis.toml` expects 422 on every operation taking an Idempotency-Key, no other."""
    from schemathesis.config._checks import POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES

    config = tomllib.loads((ROOT / "schemathesis.toml").read_text())
    tuned = [
        entry
        for entry in config.get("operations", [])
        if "positive_data_acceptance" in entry.get("checks", {})
    ]
    assert len(tuned) == 1
    document = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    keyed = {
        operation["operationId"]
        for item in document["paths"].values()
        for method, operation in item.items()
        if method != "parameters"
        and any(
            p.get("$ref", "").endswith("/IdempotencyKey") for p in operation.get("parameters", [])
        )
    }
    assert set(tuned[0]["include-operation-id"]) == keyed
    statuses = tuned[0]["checks"]["positive_data_acceptance"]["expected-statuses"]
    assert sorted(statuses) == sorted([*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "422"])
