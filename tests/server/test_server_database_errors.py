"""A database that is unreachable or busy answers 503 with Retry-After; a bug still answers 500."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from parley_server.handlers import HANDLERS
from parley_server.testing import InProcessApp, build_app
from sqlalchemy.exc import InterfaceError, OperationalError, ProgrammingError

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient


@pytest.fixture
def served() -> Iterator[tuple[TestClient, InProcessApp]]:
    built = build_app(":memory:", validate_responses=True)
    with TestClient(built.app, raise_server_exceptions=False) as client:
        yield client, built


def _failing(error: Exception) -> Any:
    async def handler(_ctx: Any) -> Any:
        raise error

    return handler


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("SELECT 1", {}, Exception("database is locked")),
        InterfaceError("SELECT 1", {}, Exception("connection is closed")),
    ],
    ids=["operational", "interface"],
)
def test_an_unavailable_database_answers_503(
    served: tuple[TestClient, InProcessApp], monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    client, built = served
    monkeypatch.setitem(HANDLERS, "listAgents", _failing(error))
    r = client.get("/v1/agent", headers={"X-API-Key": built.tenant.read_key})
    assert r.status_code == 503
    assert r.headers["retry-after"] == "1"
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"] == "https://parley.dev/problems/database-unavailable"


def test_a_broken_statement_is_still_a_500(
    served: tuple[TestClient, InProcessApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, built = served
    error = ProgrammingError("SELEC 1", {}, Exception("syntax error"))
    monkeypatch.setitem(HANDLERS, "listAgents", _failing(error))
    r = client.get("/v1/agent", headers={"X-API-Key": built.tenant.read_key})
    assert r.status_code == 500
    assert r.json()["type"] == "https://parley.dev/problems/internal"
