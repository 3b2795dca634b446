"""Fixtures of the hostile suite: an in-process server on each backend (PostgreSQL if set)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from parley_server.testing import InProcessApp, build_app

from tests.postgres import postgres_param

with warnings.catch_warnings():
    # Starlette asks for httpx2 in its test client; httpx is what this project pins.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

BACKENDS = [pytest.param("sqlite-file", id="sqlite"), postgres_param()]


@pytest.fixture(params=BACKENDS)
def app(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[TestClient, InProcessApp]]:
    """A client of a fresh app (responses checked against the contract) and the app."""
    url = f"sqlite:///{tmp_path / 'parley.db'}" if request.param == "sqlite-file" else request.param
    built = build_app(str(url), validate_responses=True)
    with TestClient(built.app, raise_server_exceptions=False) as client:
        yield client, built
