"""Hot reads on the driver return exactly the rows SQLAlchemy returns, on every backend."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import pytest
from parley_server import tables
from parley_server.db import Database, InlineReader
from parley_server.fastread import FastQuery, fetch_all, fetch_first
from parley_server.handlers.common import LIVE_CONVERSATION
from parley_server.testing import build_app
from sqlalchemy import bindparam, func, select, text
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.testclient import TestClient

PG_URL = os.environ.get("PARLEY_TEST_DATABASE_URL")

C = tables.conversations.c
ONE = FastQuery(LIVE_CONVERSATION)
ALL = FastQuery(
    select(tables.conversations)
    .where(C.tenant_id == bindparam("tenant_id"), C.status == "active")  # a bound literal too
    .order_by(C.id)
)


def _db(api: Any) -> Database:
    db: Database = api.built.app.state.parley.db
    return db


def test_fast_rows_equal_sqlalchemy_rows(api) -> None:  # type: ignore[no-untyped-def]
    metadata = {"plan": "pro", "tags": ["a", "b"], "nested": {"n": 1.5, "none": None}}
    first = api.conversation(title="T\x1bwith escape", metadata=metadata)
    second = api.conversation(title=None)
    api.client.post(f"/v1/conversation/{second['id']}/end", headers=api.write)
    third = api.conversation()
    db = _db(api)
    tenant = api.built.tenant.tenant_id

    async def check() -> None:
        params = {"tenant_id": tenant, "conversation_id": first["id"]}
        async with db.read() as conn:
            fast = await fetch_first(conn, ONE, params)
            slow = (await conn.execute(LIVE_CONVERSATION, params)).first()
            missing = await fetch_first(conn, ONE, {**params, "conversation_id": "nope"})
            listed = await fetch_all(conn, ALL, {"tenant_id": tenant})
            expected = (await conn.execute(ALL.statement, {"tenant_id": tenant})).all()
        assert slow is not None and fast is not None
        assert tuple(fast) == tuple(slow)
        assert fast.metadata == metadata and fast.title == "T\x1bwith escape"
        assert fast.id == first["id"] and fast._fields == tuple(slow._fields)
        assert missing is None
        assert [tuple(r) for r in listed] == [tuple(r) for r in expected]
        assert sorted(r.id for r in listed) == sorted([first["id"], third["id"]])
        async with db.write() as conn:  # inside a transaction: SQLAlchemy's own path
            inside = await fetch_first(conn, ONE, params)
        assert inside is not None and tuple(inside) == tuple(slow)

    api.client.portal.call(check)


def test_each_backend_takes_its_fast_path(api, database_url: str) -> None:  # type: ignore[no-untyped-def]
    db = _db(api)
    used: list[str] = []

    async def check() -> None:
        async with db.read() as conn:
            if isinstance(conn, InlineReader):
                used.append("sqlite3")
            elif conn.dialect.driver == "asyncpg" and not conn.in_transaction():
                used.append("asyncpg")
            else:
                used.append("sqlalchemy")

    api.client.portal.call(check)
    expected = {":memory:": "sqlalchemy"}.get(database_url)
    if expected is None:
        expected = "sqlite3" if database_url.startswith("sqlite") else "asyncpg"
    assert used == [expected]


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="PARLEY_TEST_DATABASE_URL is not set (PostgreSQL only)")
def test_a_connection_killed_under_a_fast_read_is_a_503_error_and_is_replaced() -> None:
    assert PG_URL is not None
    built = build_app(PG_URL)
    with TestClient(built.app) as client:
        _kill_under_a_read(client, built.app.state.parley.db, PG_URL)
        headers = {"X-API-Key": built.tenant.write_key}
        agent = client.post("/v1/agent", json={"name": "a"}, headers=headers).json()["id"]
        body = {"agent_id": agent}
        cid = client.post("/v1/conversation", json=body, headers=headers).json()["id"]
        assert client.get(f"/v1/conversation/{cid}", headers=headers).status_code == 200


def _kill_under_a_read(client: TestClient, db: Database, database_url: str) -> None:
    pid_query = FastQuery(select(func.pg_backend_pid().label("pid")))

    async def check() -> None:
        killer = Database(database_url)
        try:
            async with db.read() as conn:
                pid = (await fetch_first(conn, pid_query, {})).pid
                async with killer.write() as other:
                    await other.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
                with pytest.raises((OperationalError, InterfaceError)):
                    await fetch_first(conn, pid_query, {})
            async with db.read() as conn:  # the dead connection was dropped from the pool
                assert (await fetch_first(conn, pid_query, {})).pid != pid
        finally:
            await killer.close()

    assert client.portal is not None
    client.portal.call(check)


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="PARLEY_TEST_DATABASE_URL is not set (PostgreSQL only)")
def test_postgres_reads_reuse_an_idle_connection_until_a_read_fails() -> None:
    assert PG_URL is not None
    pid_query = FastQuery(select(func.pg_backend_pid().label("pid")))

    async def pid(db: Database, fail: bool = False) -> int:
        async with db.read() as conn:
            found = int((await fetch_first(conn, pid_query, {})).pid)
            if fail:
                raise RuntimeError("handler failed")
            return found

    async def run() -> None:
        db = Database(PG_URL)
        pool = db.engine.pool  # close() replaces it: check this one
        try:
            first = await pid(db)
            assert await pid(db) == first  # kept checked out, lent again
            with pytest.raises(RuntimeError):
                await pid(db, fail=True)  # closes (returns) the connection instead
            assert db.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
            await pid(db)
            assert db.engine.pool.checkedout() == 1  # type: ignore[attr-defined]
        finally:
            await db.close()
        assert pool.checkedout() == 0  # type: ignore[attr-defined]  # kept ones closed too

    asyncio.run(run())


def test_message_pages_through_the_driver(api) -> None:  # type: ignore[no-untyped-def]
    cid = api.conversation()["id"]
    api.send(cid, "first")
    api.send(cid, "second")
    url = f"/v1/conversation/{cid}/messages"
    r = api.client.get(url, params={"page": 2, "per_page": 1}, headers=api.read)
    assert r.status_code == 200, r.text
    assert [m["content"] for m in r.json()["items"]] == [api_reply(api, cid, 1)]
    assert r.json()["total"] == 4
    r = api.client.get(url, params={"page": 10**18, "per_page": 100}, headers=api.read)
    assert r.status_code == 200, r.text
    assert r.json()["items"] == []


def api_reply(api: Any, cid: str, index: int) -> str:
    r = api.client.get(f"/v1/conversation/{cid}/messages", headers=api.read)
    return str(r.json()["items"][index]["content"])
