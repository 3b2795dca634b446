"""Storage (schema version, WAL, index-only plans), the Responder protocol, the access log."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from parley_server import ContextMessage, DeterministicResponder
from parley_server.db import Database
from parley_server.tables import SCHEMA_VERSION, schema_version
from parley_server.testing import build_app
from sqlalchemy import event, insert
from starlette.testclient import TestClient


def test_schema_version_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "s.db"

    async def run() -> None:
        db = Database(f"sqlite:///{path}")
        await db.create_schema()
        await db.create_schema()  # idempotent
        async with db.write() as conn:
            await conn.execute(
                insert(schema_version).values(version=SCHEMA_VERSION + 1, applied_at="x")
            )
        with pytest.raises(RuntimeError, match="newer"):
            await db.create_schema()
        await db.close()

    asyncio.run(run())
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        versions = [r[0] for r in conn.execute("SELECT version FROM parley_schema_version")]
        assert versions == [SCHEMA_VERSION, SCHEMA_VERSION + 1]


def test_lists_and_history_read_indexes_only(tmp_path: Path) -> None:
    path = tmp_path / "plan.db"
    built = build_app(f"sqlite:///{path}")
    statements: list[tuple[str, Any]] = []
    db = built.app.state.parley.db

    def record(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "LIMIT" in statement.upper():
            statements.append((statement, params))

    for engine in (db.engine.sync_engine, db.reader):  # writes, and reads of a SQLite file
        if engine is not None:
            event.listen(engine, "before_cursor_execute", record)

    w = {"X-API-Key": built.tenant.write_key}
    with TestClient(built.app) as client:
        agent = client.post("/v1/agent", json={"name": "a"}, headers=w).json()["id"]
        cid = client.post("/v1/conversation", json={"agent_id": agent}, headers=w).json()["id"]
        client.post(f"/v1/conversation/{cid}/chat", json={"message": "m"}, headers=w)
        statements.clear()
        for sort_by in ("created_at", "updated_at", "started_at", "ended_at", "title"):
            for order in ("asc", "desc"):
                client.get(
                    "/v1/conversation", params={"sort_by": sort_by, "sort_order": order}, headers=w
                )
        for url in (
            "/v1/conversation/deleted",
            "/v1/conversation/entity",
            "/v1/message/deleted",
            f"/v1/conversation/{cid}/messages",
            "/v1/agent",
        ):
            assert client.get(url, params={"page": 2}, headers=w).status_code == 200
        client.post(f"/v1/conversation/{cid}/chat", json={"message": "m2"}, headers=w)
    assert len(statements) >= 15
    with sqlite3.connect(path) as conn:
        for statement, params in statements:
            plan = " | ".join(
                r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + statement, params)
            )
            assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, (statement, plan)
            assert "TEMP B-TREE" not in plan, (statement, plan)
            assert "SCAN" not in plan, (statement, plan)


class RecordingResponder:
    """A custom Responder: records what it is given, answers in two pieces."""

    def __init__(self) -> None:
        self.seen: list[int] = []

    async def reply(self, history: Sequence[ContextMessage], message: str) -> AsyncIterator[str]:
        self.seen.append(len(history))
        yield "echo: "
        yield message


def test_custom_responder_gets_at_most_max_context_length() -> None:
    responder = RecordingResponder()
    built = build_app(responder=responder, validate_responses=True)
    w = {"X-API-Key": built.tenant.write_key}
    with TestClient(built.app) as client:
        agent = client.post("/v1/agent", json={"name": "a"}, headers=w).json()["id"]
        cid = client.post(
            "/v1/conversation", json={"agent_id": agent, "max_context_length": 3}, headers=w
        ).json()["id"]
        for i in range(4):
            r = client.post(f"/v1/conversation/{cid}/chat", json={"message": f"m{i}"}, headers=w)
        assert r.json()["message"]["content"] == "echo: m3"
    assert responder.seen == [0, 2, 3, 3]


def test_deterministic_responder_is_pure() -> None:
    history = [ContextMessage("user", "a"), ContextMessage("assistant", "b")]
    first = DeterministicResponder.compose(history, "q")
    assert first == DeterministicResponder.compose(list(history), "q")
    assert first != DeterministicResponder.compose(history[:1], "q")

    async def pieces() -> str:
        return "".join([p async for p in DeterministicResponder(0.001).reply(history, "q")])

    assert asyncio.run(pieces()) == first


def test_one_access_log_line_per_request(caplog: pytest.LogCaptureFixture) -> None:
    built = build_app()
    with caplog.at_level(logging.INFO, logger="parley.access"), TestClient(built.app) as client:
        client.get("/v1/agent", headers={"X-API-Key": built.tenant.read_key})
        client.get("/v1/agent")
        client.get("/nowhere")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "parley.access"]
    assert [(x["method"], x["path"], x["status"]) for x in lines] == [
        ("GET", "/v1/agent", 200),
        ("GET", "/v1/agent", 401),
        ("GET", "/nowhere", 404),
    ]
    assert all(x["duration_ms"] >= 0 for x in lines)


class BrokenResponder:
    """A Responder that fails after one piece."""

    async def reply(self, history: Sequence[ContextMessage], message: str) -> AsyncIterator[str]:
        yield "partial "
        raise RuntimeError("model unavailable")


def test_failing_responder_gives_503_or_error_event(caplog: pytest.LogCaptureFixture) -> None:
    built = build_app(responder=BrokenResponder())
    w = {"X-API-Key": built.tenant.write_key}
    with caplog.at_level(logging.CRITICAL), TestClient(built.app) as client:
        agent = client.post("/v1/agent", json={"name": "a"}, headers=w).json()["id"]
        cid = client.post("/v1/conversation", json={"agent_id": agent}, headers=w).json()["id"]
        r = client.post(f"/v1/conversation/{cid}/chat", json={"message": "x"}, headers=w)
        assert r.status_code == 503 and r.headers["retry-after"] == "5"
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["type"].endswith("agent-unavailable")
        with client.stream(
            "POST",
            f"/v1/conversation/{cid}/chat",
            json={"message": "x"},
            headers={**w, "Accept": "text/event-stream"},
        ) as s:
            text = "".join(s.iter_text())
        events = [b.split("\n") for b in text.strip().split("\n\n")]
        assert [e[1] for e in events] == ["event: start", "event: delta", "event: error"]
        assert '"status": 503' in events[-1][2]
        # Neither reply was stored; the user message of the stream was (its start event names it).
        r = client.get(f"/v1/conversation/{cid}/messages", headers=w)
        assert [m["role"] for m in r.json()["items"]] == ["user"]


def test_old_idempotency_records_are_pruned_at_start(tmp_path: Path) -> None:
    from parley_server import tables
    from parley_server.db import Database

    url = f"sqlite:///{tmp_path / 'p.db'}"

    async def seed() -> None:
        db = Database(url)
        await db.create_schema()
        async with db.write() as conn:
            for key, stamp in (("old", "2000-01-01T00:00:00.000000+00:00"), ("new", "9999")):
                await conn.execute(
                    insert(tables.idempotency).values(
                        tenant_id="t",
                        key=key,
                        fingerprint="f",
                        status=200,
                        media_type="application/json",
                        body=b"{}",
                        created_at=stamp,
                    )
                )
        await db.close()

    asyncio.run(seed())
    built = build_app(url)
    with TestClient(built.app):
        pass
    with sqlite3.connect(tmp_path / "p.db") as conn:
        keys = [r[0] for r in conn.execute("SELECT key FROM idempotency_records")]
    assert keys == ["new"]
