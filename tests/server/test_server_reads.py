"""The read fast paths: inline SQLite reads and the in-process API-key cache."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from parley_server import tables
from parley_server.auth import Authenticator, TtlCache, create_api_key, create_tenant
from parley_server.db import Database, InlineReader
from parley_server.problems import ProblemError
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import OperationalError


def test_inline_reads_see_commits_only_and_never_write(tmp_path: Path) -> None:
    async def run() -> None:
        db = Database(f"sqlite:///{tmp_path / 'r.db'}")
        await db.create_schema()
        count = select(func.count()).select_from(tables.tenants)
        async with db.write() as conn:
            await create_tenant(conn, "a", "t1")
        async with db.read() as reader:
            assert isinstance(reader, InlineReader)
            assert (await reader.execute(count)).scalar_one() == 1
        async with db.write() as conn:
            await create_tenant(conn, "b", "t2")
            # The write is not committed yet: a read neither waits for it nor sees it.
            async with db.read() as reader:
                assert (await reader.execute(count)).scalar_one() == 1
        async with db.read() as reader:
            assert (await reader.execute(count)).scalar_one() == 2
            row = {"id": "x", "name": "x", "created_at": "x"}
            with pytest.raises(OperationalError, match="readonly"):
                await reader.execute(insert(tables.tenants).values(**row))
        await db.close()

    asyncio.run(run())


def test_ttl_cache_expires_and_stays_bounded() -> None:
    cache: TtlCache[int] = TtlCache(ttl=0.05, size=2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("c", 3)  # drops the oldest
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (None, 2, 3)
    time.sleep(0.06)
    assert cache.get("b") is None


def test_known_keys_are_cached_briefly_unknown_ones_never(tmp_path: Path) -> None:
    async def run() -> None:
        db = Database(f"sqlite:///{tmp_path / 'k.db'}")
        await db.create_schema()
        auth = Authenticator(db, "s" * 32)
        auth.keys = TtlCache(ttl=0.2)
        async with db.write() as conn:
            tenant = await create_tenant(conn)
            key = await create_api_key(conn, tenant, ["read"])
        assert (await auth.authenticate({"x-api-key": key})).tenant_id == tenant
        with pytest.raises(ProblemError):
            await auth.authenticate({"x-api-key": "pk_not-yet"})
        async with db.write() as conn:
            await conn.execute(delete(tables.api_keys))  # revoked by another process
            await create_api_key(conn, tenant, ["read"], key="pk_not-yet")
        assert (await auth.authenticate({"x-api-key": "pk_not-yet"})).tenant_id == tenant
        assert (await auth.authenticate({"x-api-key": key})).tenant_id == tenant  # cached
        await asyncio.sleep(0.25)
        with pytest.raises(ProblemError) as raised:
            await auth.authenticate({"x-api-key": key})
        assert raised.value.status == 401
        await db.close()

    asyncio.run(run())
