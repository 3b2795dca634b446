"""Bulk seeding through the reference server's own storage layer (``parley_server.db``/``tables``).

The scale benchmark creates its conversations over HTTP (so they are real), then fills them
here with executemany inserts in one transaction per batch, keeping the denormalized counters
(``conversations.message_count``/``next_seq``, ``tenants.live_conversations``) right.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

BATCH = 10_000
_EPOCH = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def _stamp(i: int) -> str:
    return (_EPOCH + dt.timedelta(milliseconds=i)).isoformat(timespec="microseconds")


async def _insert(db: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    from sqlalchemy import insert

    for start in range(0, len(rows), BATCH):
        async with db.write() as conn:
            await conn.execute(insert(table), rows[start : start + BATCH])


async def _add_messages(database_url: str, conversation_id: str, count: int) -> None:
    from parley_server import tables
    from parley_server.db import Database
    from sqlalchemy import select, update

    C = tables.conversations.c
    db = Database(database_url)
    try:
        async with db.read() as conn:
            conv = (
                await conn.execute(select(tables.conversations).where(C.id == conversation_id))
            ).one()
        rows: list[dict[str, Any]] = []
        first = conv.next_seq
        for i in range(count):
            seq = first + i
            user = i % 2 == 0
            rows.append(
                {
                    "id": str(uuid.uuid4()),
                    "tenant_id": conv.tenant_id,
                    "conversation_id": conversation_id,
                    "seq": seq,
                    "role": "user" if user else "assistant",
                    "content": f"seeded message {seq}" + ("?" if user else "."),
                    "rating": None,
                    "feedback": None,
                    "reply_to": None if user else rows[-1]["id"],
                    "created_at": _stamp(seq),
                    "deleted_at": None,
                }
            )
        await _insert(db, tables.messages, rows)
        async with db.write() as conn:
            await conn.execute(
                update(tables.conversations)
                .where(C.id == conversation_id)
                .values(next_seq=C.next_seq + count, message_count=C.message_count + count)
            )
    finally:
        await db.close()


async def _add_conversations(database_url: str, like_id: str, count: int) -> None:
    from parley_server import tables
    from parley_server.db import Database
    from sqlalchemy import select, update

    C = tables.conversations.c
    db = Database(database_url)
    try:
        async with db.read() as conn:
            like = (await conn.execute(select(tables.conversations).where(C.id == like_id))).one()
        base = dict(like._mapping)
        rows = []
        for i in range(count):
            stamp = _stamp(i)
            rows.append(
                {
                    **base,
                    "id": str(uuid.uuid4()),
                    "title": f"seeded {i}",
                    "message_count": 0,
                    "next_seq": 1,
                    "started_at": stamp,
                    "created_at": stamp,
                    "updated_at": stamp,
                    "last_message_at": None,
                }
            )
        await _insert(db, tables.conversations, rows)
        T = tables.tenants.c
        async with db.write() as conn:
            await conn.execute(
                update(tables.tenants)
                .where(T.id == like.tenant_id)
                .values(live_conversations=T.live_conversations + count)
            )
    finally:
        await db.close()


def add_messages(database_url: str, conversation_id: str, count: int) -> None:
    """Appends ``count`` alternating user/assistant messages to a conversation.

    Args:
        database_url: The server's database URL (``EmbeddedServer.database_url``).
        conversation_id: An existing conversation.
        count: How many messages; assistant ones reply to the user message before them.
    """
    if count > 0:
        asyncio.run(_add_messages(database_url, conversation_id, count))


def add_conversations(database_url: str, like_id: str, count: int) -> None:
    """Adds ``count`` empty conversations to the tenant of ``like_id``, copying its fields.

    Seeded conversations are older than any created over HTTP (their ``created_at`` is in
    2025), so page 1 of the default newest-first listing is unchanged in content.
    """
    if count > 0:
        asyncio.run(_add_conversations(database_url, like_id, count))
