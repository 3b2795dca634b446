"""Shared fixtures: the repository root and the parsed contract."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from parley_spec import read_document

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    return read_document(ROOT / "openapi.yaml")
