"""Shared fixtures: the repository root and the parsed contract."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from parley_spec import read_document

from tests.ci import choose_fuzz_seed, fuzz_seed, in_ci

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    return read_document(ROOT / "openapi.yaml")


def pytest_configure(config: pytest.Config) -> None:
    # Fixed here, once per session, before any xdist worker starts: every worker inherits it.
    choose_fuzz_seed()


def pytest_report_header(config: pytest.Config) -> list[str]:
    seed = fuzz_seed()
    database = os.environ.get("PARLEY_TEST_DATABASE_URL") or "unset (PostgreSQL cases skip)"
    database = re.sub(r"//([^:/@]+):[^@/]*@", r"//\1:***@", database)  # never a password
    return [
        f"parley: CI={'true' if in_ci() else 'false'}, fuzzing seed {seed}"
        f" (replay: PARLEY_FUZZ_SEED={seed} pytest ...), PARLEY_TEST_DATABASE_URL={database}"
    ]
