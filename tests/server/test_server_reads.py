"""The read fast paths: inline SQLite reads and the in-process API-key cache."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from parley_server import tables
from parley_server.auth import (
    CACHE_TTL_SECONDS,
    Authenticator,
    TtlCache,
    create_api_key,
    create_tenant,
)
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


class FakeClock:
    """A clock that moves only when told to (seconds)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_ttl_cache_expires_and_stays_bounded() -> None:
    clock = FakeClock()
    cache: TtlCache[int] = TtlCache(ttl=5.0, size=2, clock=clock)
    cache.put("a", 1)
    cache.put("b", 2)
    clock.now += 1.0
    cache.put("c", 3)  # drops the oldest
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (None, 2, 3)
    clock.now += 4.0  # b's lifetime, to the second
    assert cache.get("b") == 2
    clock.now += 0.001
    assert (cache.get("b"), cache.get("c")) == (None, 3)
    clock.now += 1.0
    assert cache.get("c") is None


def test_known_keys_are_cached_briefly_unknown_ones_never(tmp_path: Path) -> None:
    async def run() -> None:
        db = Database(f"sqlite:///{tmp_path / 'k.db'}")
        await db.create_schema()
        clock = FakeClock()
        auth = Authenticator(db, "s" * 32, clock=clock)  # the server's own TTL
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
        clock.now += CACHE_TTL_SECONDS
        assert (await auth.authenticate({"x-api-key": key})).tenant_id == tenant  # still
        clock.now += 0.001  # a revoked key is refused as soon as the cache entry expires
        with pytest.raises(ProblemError) as raised:
            await auth.authenticate({"x-api-key": key})
        assert raised.value.status == 401
        await db.close()

    asyncio.run(run())
