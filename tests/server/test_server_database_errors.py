"""A database that is unreachable or busy answers 503 with Retry-After; a bug still answers 500."""

from __future__ import annotations

from typing import Any

import pytest
from parley_server.handlers import HANDLERS
from sqlalchemy.exc import InterfaceError, OperationalError, ProgrammingError


def _list_agents_failing_with(serve_app: Any, monkeypatch: Any, error: Exception) -> Any:
    async def handler(_ctx: Any) -> Any:
        raise error

    monkeypatch.setitem(HANDLERS, "listAgents", handler)
    client, built = serve_app()
    return client.get("/v1/agent", headers={"X-API-Key": built.tenant.read_key})


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("SELECT 1", {}, Exception("database is locked")),
        InterfaceError("SELECT 1", {}, Exception("connection is closed")),
    ],
    ids=["operational", "interface"],
)
def test_an_unavailable_database_answers_503(
    serve_app: Any, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    r = _list_agents_failing_with(serve_app, monkeypatch, error)
    assert r.status_code == 503
    assert r.headers["retry-after"] == "1"
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"] == "https://parley.dev/problems/database-unavailable"


def test_a_broken_statement_is_still_a_500(serve_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    error = ProgrammingError("SELEC 1", {}, Exception("syntax error"))
    r = _list_agents_failing_with(serve_app, monkeypatch, error)
    assert r.status_code == 500
    assert r.json()["type"] == "https://parley.dev/problems/internal"
