"""Without PARLEY_TEST_DATABASE_URL, PostgreSQL cases are collected and shown as skipped.

One pytest subprocess over the three files with PostgreSQL cases (about 15 s, mostly imports).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.postgres import SKIP_REASON

ROOT = Path(__file__).resolve().parents[2]
FILES = [
    "tests/server/test_server_hostile_json.py",  # the ``api`` fixture's backends
    "tests/server/test_server_process.py",
    "tests/contract/test_contract_schemathesis.py",
]


def test_postgres_cases_are_reported_skipped_with_the_reason() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PARLEY_TEST_DATABASE_URL"}
    command = [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider"]
    run = subprocess.run(
        [*command, "-k", "postgres", *FILES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    summary = run.stdout.strip().splitlines()[-1]
    assert " skipped" in summary and "passed" not in summary, summary
    skipped = [line for line in run.stdout.splitlines() if line.startswith("SKIPPED [")]
    for name in FILES:
        assert any(name in line and SKIP_REASON in line for line in skipped), (name, skipped)
