"""Durable streams on SQLite: a follower that polls sees every event once, or the lease end."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from parley_server import tables
from parley_server.db import Database, now
from parley_server.durable import follow_stored, insert_events, remember_pending
from parley_server.idempotency import IdempotencyGuard, Slot
from parley_server.notify import POLL_SECONDS, Notifier
from parley_server.problems import ProblemError
from parley_server.sse import SSE_MEDIA_TYPE, dump
from sqlalchemy import select

TENANT = "t-durable"


def _events(first: int, last: int) -> list[tuple[int, str, str]]:
    return [
        (i, "delta", json.dumps({"content": f"w{i} ", "index": i - 2}))
        for i in range(first, last + 1)
    ]


def _parse(chunks: list[bytes]) -> list[tuple[int, str]]:
    out = []
    for chunk in chunks:
        lines = chunk.decode().strip().splitlines()
        out.append((int(lines[0].split(": ")[1]), lines[1].split(": ")[1]))
    return out


async def _started(db: Database, key: str, lease: float) -> tuple[IdempotencyGuard, Slot]:
    await db.create_schema()
    guard = IdempotencyGuard(db, lease_seconds=lease)
    slot = await guard.claim(Slot(TENANT, key, "f" * 64))
    assert isinstance(slot, Slot)
    async with db.write() as conn:
        await remember_pending(conn, slot, [(1, "start", "{}")])
    return guard, slot


async def _lease_until(db: Database, key: str) -> str:
    """The lease of the record ``key`` as stored (an ISO timestamp, compared as text)."""
    c = tables.idempotency.c
    async with db.read() as conn:
        query = select(c.lease_until).where(c.tenant_id == TENANT, c.key == key)
        until = (await conn.execute(query)).scalar_one()
    assert isinstance(until, str)
    return until


async def _follow(db: Database, key: str, after: int) -> list[bytes]:
    notifier = Notifier(db, lambda _h: None)
    return [chunk async for chunk in follow_stored(db, notifier, TENANT, key, after)]


def test_a_polling_follower_gets_each_event_once_until_complete(tmp_path: Path) -> None:
    async def run() -> list[tuple[int, str]]:
        db = Database(f"sqlite:///{tmp_path / 'd.db'}")
        guard, slot = await _started(db, "k1", lease=3.0)
        follower = asyncio.create_task(_follow(db, "k1", 0))
        for first in (2, 5, 8):  # three small transactions while the follower polls
            await asyncio.sleep(0.15)
            async with db.write() as conn:
                await insert_events(conn, slot, _events(first, first + 2))
        events = [(1, "start", "{}"), *_events(2, 10), (11, "complete", "{}")]
        async with db.write() as conn:
            await slot.remember(conn, 200, SSE_MEDIA_TYPE, dump(events))
        got = await asyncio.wait_for(follower, 10)
        await guard.release(slot)
        await guard.stop()
        await db.close()
        return _parse(got)

    got = asyncio.run(run())
    assert [i for i, _ in got] == list(range(1, 12))
    assert [name for _, name in got].count("complete") == 1 and got[-1] == (11, "complete")


def test_a_follower_ends_with_stream_interrupted_once_the_lease_passes(tmp_path: Path) -> None:
    async def run() -> list[tuple[int, str]]:
        db = Database(f"sqlite:///{tmp_path / 'd.db'}")
        guard, slot = await _started(db, "k2", lease=0.6)
        async with db.write() as conn:
            await insert_events(conn, slot, _events(2, 3))
        await guard.stop()  # the producer's heartbeat stops, as when its process is killed
        until = await _lease_until(db, "k2")
        got = await asyncio.wait_for(_follow(db, "k2", 2), 60)  # a hang guard
        ended = now()
        # The follower stores nothing: the record is still the producer's pending stream.
        again = await guard.claim(Slot(TENANT, "k2", "f" * 64))
        assert type(again).__name__ == "Running"
        await db.close()
        # Not before the lease the last heartbeat wrote has passed (one clock: no load makes
        # this fail by itself).
        assert ended >= until, (ended, until)
        return _parse(got)

    got = asyncio.run(run())
    assert got == [(3, "delta"), (4, "error")]


def test_a_live_heartbeat_keeps_followers_waiting(tmp_path: Path) -> None:
    async def run() -> None:
        db = Database(f"sqlite:///{tmp_path / 'd.db'}")
        # A lease long enough that a heartbeat (every third of it) late by two seconds under
        # load still renews it in time.
        guard, slot = await _started(db, "k3", lease=3.0)
        first = await _lease_until(db, "k3")
        follower = asyncio.create_task(_follow(db, "k3", 1))
        # Wait, on the database's clock, until the lease the claim wrote has passed.
        while now() <= first:
            assert not follower.done(), "the follower gave up while the producer was alive"
            await asyncio.sleep(0.05)
        assert await _lease_until(db, "k3") > first  # the heartbeat renewed it
        await asyncio.sleep(3 * POLL_SECONDS)  # the follower looks again past the first lease
        assert not follower.done()
        async with db.write() as conn:
            done = [(1, "start", "{}"), (2, "complete", "{}")]
            await slot.remember(conn, 200, SSE_MEDIA_TYPE, dump(done))
        assert _parse(await asyncio.wait_for(follower, 5)) == [(2, "complete")]
        await guard.release(slot)
        await guard.stop()
        await db.close()

    asyncio.run(run())


def test_a_second_claim_while_in_flight_is_refused_until_the_lease_passes(
    tmp_path: Path,
) -> None:
    async def run() -> None:
        db = Database(f"sqlite:///{tmp_path / 'd.db'}")
        await db.create_schema()
        first = IdempotencyGuard(db, lease_seconds=0.5)  # two processes' guards
        second = IdempotencyGuard(db, lease_seconds=0.5)
        assert isinstance(await first.claim(Slot(TENANT, "k4", "a" * 64)), Slot)
        with pytest.raises(ProblemError) as refused:
            await second.claim(Slot(TENANT, "k4", "a" * 64))
        assert refused.value.status == 409 and refused.value.slug == "idempotency-key-in-flight"
        await first.stop()  # the first process dies holding the claim
        until = await _lease_until(db, "k4")
        with pytest.raises(ProblemError):  # still refused while the lease runs
            await second.claim(Slot(TENANT, "k4", "a" * 64))
        while now() <= until:  # wait, on the database's clock, until the lease has passed
            await asyncio.sleep(0.02)
        taken = await second.claim(Slot(TENANT, "k4", "a" * 64))
        assert isinstance(taken, Slot) and taken.owner == second.owner
        await second.release(taken)
        await second.stop()
        await db.close()

    asyncio.run(run())
