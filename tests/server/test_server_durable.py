"""Durable streams on SQLite: a follower that polls sees every event once, or the lease end."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest
from parley_server.db import Database
from parley_server.durable import follow_stored, insert_events, remember_pending
from parley_server.idempotency import IdempotencyGuard, Slot
from parley_server.notify import Notifier
from parley_server.problems import ProblemError
from parley_server.sse import SSE_MEDIA_TYPE, dump

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
    async def run() -> tuple[list[tuple[int, str]], float]:
        db = Database(f"sqlite:///{tmp_path / 'd.db'}")
        guard, slot = await _started(db, "k2", lease=0.6)
        async with db.write() as conn:
            await insert_events(conn, slot, _events(2, 3))
        await guard.stop()  # the producer's heartbeat stops, as when its process is killed
        started = time.monotonic()
        got = await asyncio.wait_for(_follow(db, "k2", 2), 10)
        waited = time.monotonic() - started
        # The follower stores nothing: the record is still the producer's pending stream.
        again = await guard.claim(Slot(TENANT, "k2", "f" * 64))
        assert type(again).__name__ == "Running"
        await db.close()
        return _parse(got), waited

    got, waited = asyncio.run(run())
    assert got == [(3, "delta"), (4, "error")]
    assert waited < 3.0


def test_a_live_heartbeat_keeps_followers_waiting(tmp_path: Path) -> None:
    async def run() -> None:
        db = Database(f"sqlite:///{tmp_path / 'd.db'}")
        guard, slot = await _started(db, "k3", lease=0.6)
        follower = asyncio.create_task(_follow(db, "k3", 1))
        await asyncio.sleep(1.5)  # more than twice the lease: the heartbeat renews it
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
        await asyncio.sleep(0.7)
        taken = await second.claim(Slot(TENANT, "k4", "a" * 64))
        assert isinstance(taken, Slot) and taken.owner == second.owner
        await second.release(taken)
        await second.stop()
        await db.close()

    asyncio.run(run())
