"""A database that is unreachable or busy answers 503 with Retry-After; a bug still answers 500."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from parley_server.handlers import HANDLERS
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, ProgrammingError


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


def test_a_503_logs_the_operation_class_and_reference_never_sql_or_values(
    serve_app: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """SQLAlchemy's text carries the statement and bound values; none of it reaches the log."""
    title, token = "Secret launch plan", "tok-7d1e-metadata"

    async def handler(ctx: Any) -> Any:
        statement = "INSERT INTO conversations (title, metadata) VALUES (?, ?)"
        params = (ctx.body["title"], str(ctx.body["metadata"]))
        raise OperationalError(statement, params, Exception(f"database is locked: {title}"))

    monkeypatch.setitem(HANDLERS, "createConversation", handler)
    client, built = serve_app()
    headers = {"X-API-Key": built.tenant.write_key}
    agent = client.post("/v1/agent", json={"name": "a"}, headers=headers).json()["id"]
    with caplog.at_level(logging.DEBUG):
        r = client.post(
            "/v1/conversation",
            json={"agent_id": agent, "title": title, "metadata": {"token": token}},
            headers=headers,
        )
    assert r.status_code == 503
    logged = "\n".join(record.getMessage() + (record.exc_text or "") for record in caplog.records)
    reference = r.json()["detail"].rsplit("reference ", 1)[1].rstrip(").")
    assert f"createConversation: OperationalError (Exception), reference {reference}" in logged
    for secret in (title, token, "INSERT", "conversations (title"):
        assert secret not in logged
    assert all(record.exc_info is None for record in caplog.records)


def test_engine_errors_never_carry_bound_values(tmp_path: Any) -> None:
    """``hide_parameters``: a statement that fails keeps its values out of the error's text."""
    import asyncio

    from parley_server.db import Database
    from sqlalchemy import text

    async def fail(url: str) -> str:
        db = Database(url)
        try:
            async with db.write() as conn:
                await conn.execute(text("SELECT :secret + no_such_column"), {"secret": "s3cr3t"})
        except DBAPIError as exc:
            return str(exc)
        finally:
            await db.close()
        raise AssertionError("the statement should have failed")

    for url in (":memory:", f"sqlite:///{tmp_path / 'x.db'}"):
        message = asyncio.run(fail(url))
        assert "no_such_column" in message
        assert "s3cr3t" not in message
