"""Durable streams: any process can replay a keyed stream and follow it to its end.

Every event of a stream with an ``Idempotency-Key`` is stored as it is produced, so a repeat
with ``Last-Event-ID`` on any process replays what is stored, then follows until ``complete``
or ``error``.

* The producer's first transaction (the user's message) records the stream as pending with
  its first events (:func:`remember_pending`). While the reply runs,
  :func:`keep_durable` appends new events to ``stream_events`` in small transactions (what
  was produced since the last one, at most every :data:`FLUSH_SECONDS`), each notifying
  followers. The final transaction stores the whole event list in the idempotency record.
* A follower (:func:`follow_stored`) reads the record: complete, it replays the stored
  events; pending, it sends the new rows of ``stream_events`` and waits for a notification
  (PostgreSQL) or polls (SQLite). When the record's lease has passed (the producing process
  stopped renewing it: killed, or cut from the database) the follower ends with an
  ``error`` event ``stream-interrupted``; nothing is stored or produced again.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from . import tables
from .db import Database, now
from .idempotency import PENDING, Slot, lease_expired
from .notify import STREAM_CHANNEL, Notifier, publish, stream_topic
from .problems import ProblemError
from .sse import SSE_MEDIA_TYPE, Event, LiveStream, dump, encode, load

__all__ = [
    "FLUSH_SECONDS",
    "finish_failed",
    "follow_stored",
    "insert_events",
    "keep_durable",
    "remember_pending",
]

FLUSH_SECONDS = 0.02
"""Events produced within this time share one transaction."""

_E = tables.stream_events.c
_I = tables.idempotency.c


async def remember_pending(conn: AsyncConnection, slot: Slot, events: Sequence[Event]) -> None:
    """Records a keyed stream that has started, with its first events (durable from now on).

    Written in ``conn``'s transaction (the one storing the user's message). If the server dies
    before the stream completes, a repeat finds this record and the stored events, followed by
    an ``error`` event once the lease has passed.

    Raises:
        ProblemError: 409 ``concurrent-update`` when another request took the key over.
    """
    await slot.remember(conn, PENDING, SSE_MEDIA_TYPE, dump(list(events)))
    await insert_events(conn, slot, events)
    slot.pending = True


async def insert_events(conn: AsyncConnection, slot: Slot, events: Sequence[Event]) -> None:
    """Appends ``events`` (ids after ``slot.flushed``) to ``stream_events`` in ``conn``."""
    fresh = [e for e in events if e[0] > slot.flushed]
    if not fresh:
        return
    stamp = now()
    await conn.execute(
        insert(tables.stream_events),
        [
            {
                "tenant_id": slot.tenant_id,
                "key": slot.key,
                "id": ident,
                "event": name,
                "data": data,
                "created_at": stamp,
            }
            for ident, name, data in fresh
        ],
    )
    await publish(conn, STREAM_CHANNEL, stream_topic(slot.tenant_id, slot.key))
    slot.flushed = fresh[-1][0]


async def keep_durable(db: Database, slot: Slot, live: LiveStream) -> None:
    """Stores the stream's events as they come until the stream finishes or is stored whole."""
    while not slot.done:
        await live.wait_beyond(slot.flushed)
        if slot.done or len(live.events) <= slot.flushed:
            return
        async with db.write() as conn:
            await insert_events(conn, slot, list(live.events))
        if live.done:
            return
        await asyncio.sleep(FLUSH_SECONDS)


async def finish_failed(db: Database, slot: Slot, events: Sequence[Event]) -> None:
    """Stores a stream that ended with an ``error`` event as its final response (200, SSE)."""
    if not slot.pending or slot.done:
        return
    async with db.write() as conn:
        await conn.execute(
            update(tables.idempotency)
            .where(
                _I.tenant_id == slot.tenant_id,
                _I.key == slot.key,
                _I.owner == slot.owner,
                _I.status == PENDING,
            )
            .values(status=200, media_type=SSE_MEDIA_TYPE, body=dump(events))
        )
        await publish(conn, STREAM_CHANNEL, stream_topic(slot.tenant_id, slot.key))
    slot.done = True


def interrupted(ident: int) -> Event:
    """The ``error`` event ending a stream whose producer is gone."""
    lost = ProblemError(
        503,
        "stream-interrupted",
        "Stream interrupted",
        "The server producing this reply stopped before it was complete; nothing was stored twice.",
    )
    return (ident, "error", json.dumps(lost.to_dict()))


async def follow_stored(
    db: Database, notifier: Notifier, tenant_id: str, key: str, after: int
) -> AsyncIterator[bytes]:
    """Yields the stream's events with id greater than ``after``, until it ends.

    Args:
        db: The database.
        notifier: Wakes the follower when the producer stores events (PostgreSQL).
        tenant_id: The caller's tenant.
        key: The stream's idempotency key.
        after: The ``Last-Event-ID`` the client sent (0 for none).
    """
    sent = after
    with notifier.subscribe(stream_topic(tenant_id, key)) as sub:
        while True:
            async with db.read() as conn:
                record = (
                    await conn.execute(
                        select(_I.status, _I.body, _I.lease_until).where(
                            _I.tenant_id == tenant_id, _I.key == key
                        )
                    )
                ).first()
                rows: Sequence[Any] = ()
                if record is not None and record.status == PENDING:
                    rows = (
                        await conn.execute(
                            select(_E.id, _E.event, _E.data)
                            .where(_E.tenant_id == tenant_id, _E.key == key, _E.id > sent)
                            .order_by(_E.id)
                        )
                    ).all()
            if record is None:  # pruned, or deleted by hand
                return
            if record.status != PENDING:
                for event in load(bytes(record.body)):
                    if event[0] > sent:
                        yield encode(event)
                return
            for row in rows:
                yield encode((row.id, row.event, row.data))
                sent = row.id
            if lease_expired(record.lease_until):
                # Events the client saw but the producer never stored keep their ids.
                yield encode(interrupted(sent + 1))
                return
            await sub.wait()
