"""Agent conversations in storage: loading, appending messages, the camelCase wire shape."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from .. import tables
from ..context import Ctx
from ..db import Conn, now
from ..problems import not_found
from ..responder import ContextMessage
from .common import Json

AC = tables.agent_conversations.c
AM = tables.agent_messages.c
CONTEXT = 20
ROLE = {"user_query": "user", "bot_response": "assistant"}


def conversation_out(conv: Row[Any], messages: list[Row[Any]]) -> Json:
    """Maps a conversation row and its message rows to the ``AgentConversation`` schema."""
    return {
        "id": conv.id,
        "agentKey": conv.agent_id,
        "title": conv.title,
        "recordIds": list(conv.record_ids or []),
        "departments": list(conv.departments or []),
        "modelKey": conv.model_key,
        "modelName": conv.model_name,
        "chatMode": conv.chat_mode,
        "messages": [
            {
                "id": m.id,
                "messageType": m.message_type,
                "content": m.content,
                "createdAt": m.created_at,
                "updatedAt": m.updated_at,
            }
            for m in messages
        ],
        "createdAt": conv.created_at,
        "updatedAt": conv.updated_at,
    }


async def load(
    conn: Conn, ctx: Ctx, cid: str, *, lock: bool = False
) -> tuple[Row[Any], list[Row[Any]]]:
    """Returns the conversation ``cid`` of the tenant and ``agentKey``, and its messages.

    Args:
        conn: A read or write connection.
        ctx: The request (tenant, ``agentKey``).
        cid: The conversation's id.
        lock: Lock the conversation until the write transaction ends (``SELECT ... FOR
            UPDATE`` on PostgreSQL), as every read-modify-write of it does first, so they
            interleave as if serial; its messages are read after the lock is held.

    Raises:
        ProblemError: 404 when there is no such conversation for this tenant and agent.
    """
    if "\x00" in cid:  # never an id we issued; PostgreSQL refuses NUL in text
        raise not_found("Conversation", cid)
    query = select(tables.agent_conversations).where(
        AC.tenant_id == ctx.tenant, AC.agent_id == ctx.params["agentKey"], AC.id == cid
    )
    conv = (await conn.execute(query.with_for_update() if lock else query)).first()
    if conv is None:
        raise not_found("Conversation", cid)
    rows = (
        await conn.execute(
            select(tables.agent_messages).where(AM.conversation_id == cid).order_by(AM.seq)
        )
    ).all()
    return conv, list(rows)


async def full(conn: Conn, ctx: Ctx, cid: str) -> Json:
    """Returns the whole ``AgentConversation`` (raises 404 like :func:`load`)."""
    return conversation_out(*(await load(conn, ctx, cid)))


async def append(
    conn: AsyncConnection, cid: str, kind: str, content: str, mid: str | None = None
) -> str:
    """Appends a ``user_query`` or ``bot_response`` (id ``mid`` or a new UUID); returns its id.

    Raises:
        ProblemError: 404 when the conversation was deleted meanwhile.
    """
    mid = mid or str(uuid.uuid4())
    stamp = now()
    after = (
        await conn.execute(
            update(tables.agent_conversations)
            .where(AC.id == cid)
            .values(next_seq=AC.next_seq + 1, updated_at=stamp)
            .returning(AC.next_seq)
        )
    ).first()
    if after is None:  # deleted meanwhile
        raise not_found("Conversation", cid)
    seq = int(after[0]) - 1
    await conn.execute(
        insert(tables.agent_messages).values(
            id=mid,
            conversation_id=cid,
            seq=seq,
            message_type=kind,
            content=content,
            created_at=stamp,
            updated_at=stamp,
        )
    )
    return mid


def context_of(messages: list[Row[Any]]) -> list[ContextMessage]:
    """The last ``CONTEXT`` messages as responder context, oldest first."""
    return [ContextMessage(ROLE[m.message_type], m.content) for m in messages[-CONTEXT:]]
