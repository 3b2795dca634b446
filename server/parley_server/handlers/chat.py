"""``sendMessage``: store the user's message, ask the responder, store the reply.

JSON: the reply is generated first (outside any transaction), then both messages, the
counters and the idempotency record are written in one transaction, so an answered 200 is
durable and a crash before it leaves nothing behind. SSE: the user message is stored first
(the ``start`` event names it), the reply streams, and is stored whole when it ends.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.responses import Response

from .. import tables
from ..context import Ctx, Handler
from ..db import Conn, now
from ..problems import conflict
from ..responder import ContextMessage
from ..sse import LiveStream
from .common import Json, live_conversation, lock_live_conversation, message_out
from .streaming import emit_deltas, remember_stream, reply_text, start_stream, stream_response

M = tables.messages.c
C = tables.conversations.c

# The statements of a turn, built once (per request they only get their parameters).
_CONTEXT = (
    select(M.role, M.content)
    .where(M.conversation_id == bindparam("conversation_id"), M.deleted_at.is_(None))
    .order_by(M.seq.desc())
    .limit(bindparam("limit"))
)
_RESERVE = (
    update(tables.conversations)
    .where(C.id == bindparam("conversation_id"))
    .values(
        next_seq=C.next_seq + bindparam("messages"),
        message_count=C.message_count + bindparam("stored"),
        updated_at=bindparam("stamp"),
        last_message_at=bindparam("stamp"),
    )
    .returning(C.next_seq)
)
_INSERT = insert(tables.messages).returning(*tables.messages.c)
_QUESTION = tables.messages.alias("question")
_HISTORY = (
    select(
        M.id,
        M.content,
        M.created_at,
        _QUESTION.c.id.label("question_id"),
        _QUESTION.c.content.label("question"),
    )
    .select_from(tables.messages.outerjoin(_QUESTION, _QUESTION.c.id == M.reply_to))
    .where(
        M.conversation_id == bindparam("conversation_id"),
        M.deleted_at.is_(None),
        M.role == "assistant",
        M.reply_to.is_not(None),
    )
    .order_by(M.seq.desc())
    .limit(bindparam("limit"))
)


def _check_open(conv: Row[Any]) -> None:
    if conv.status != "active":
        raise conflict(
            "conversation-closed",
            "Conversation closed",
            f"The conversation is {conv.status} and takes no new messages.",
        )


async def _context(conn: Conn, conv: Row[Any]) -> list[ContextMessage]:
    """The last ``max_context_length`` live messages, oldest first."""
    params = {"conversation_id": conv.id, "limit": conv.max_context_length}
    rows = (await conn.execute(_CONTEXT, params)).all()
    return [ContextMessage(r.role, r.content) for r in reversed(rows)]


async def _open_conversation(conn: Conn, ctx: Ctx) -> Row[Any]:
    conv = await live_conversation(conn, ctx, ctx.params["conversation_id"])
    _check_open(conv)
    return conv


async def _lock_open_conversation(conn: AsyncConnection, ctx: Ctx) -> Row[Any]:
    """The conversation, locked for this transaction, and still open (else 404 or 409).

    An ``endConversation`` that commits first makes this one answer 409; one that waits
    stamps ``ended_at`` after the message is stored.
    """
    conv = await lock_live_conversation(conn, ctx, ctx.params["conversation_id"])
    _check_open(conv)
    return conv


async def _reserve(conn: AsyncConnection, conv_id: str, messages: int, stored: int) -> int:
    """Takes ``messages`` sequence numbers (returns the first); counts ``stored`` more messages.

    One ``UPDATE ... RETURNING`` so concurrent senders never share a sequence number.
    """
    stamp = now()
    params = {"conversation_id": conv_id, "messages": messages, "stored": stored, "stamp": stamp}
    after = (await conn.execute(_RESERVE, params)).scalar_one()
    return int(after) - messages


async def _insert(
    conn: AsyncConnection,
    ctx: Ctx,
    conv_id: str,
    mid: str,
    seq: int,
    role: str,
    content: str,
    reply_to: str | None = None,
) -> Row[Any]:
    """Inserts one message and returns its stored row (``INSERT ... RETURNING``)."""
    values = {
        "id": mid,
        "tenant_id": ctx.tenant,
        "conversation_id": conv_id,
        "seq": seq,
        "role": role,
        "content": content,
        "reply_to": reply_to,
        "created_at": now(),
    }
    return (await conn.execute(_INSERT, values)).one()


async def _history(conn: AsyncConnection, conv: Row[Any]) -> list[Json]:
    """The last ``max_context_length`` turns (live replies with their questions), oldest first."""
    params = {"conversation_id": conv.id, "limit": conv.max_context_length}
    rows = (await conn.execute(_HISTORY, params)).all()
    return [
        {
            "user_message_id": r.question_id,
            "user_message": r.question,
            "assistant_message_id": r.id,
            "assistant_response": r.content,
            "created_at": r.created_at,
        }
        for r in reversed(rows)
        if r.question_id is not None  # a reply whose question no longer exists
    ]


async def send_message(ctx: Ctx) -> Response:
    """``sendMessage``: 200 ``ChatResponse`` (JSON) or an SSE stream; 404, 409 when closed."""
    text: str = ctx.body["message"]
    async with ctx.state.db.read() as conn:
        conv = await _open_conversation(conn, ctx)
        context = await _context(conn, conv)
    if ctx.wants_stream:
        return await _stream(ctx, conv, context, text)
    reply = await reply_text(ctx, context, text)
    async with ctx.state.db.write() as conn:
        conv = await _lock_open_conversation(conn, ctx)
        seq = await _reserve(conn, conv.id, 2, 2)
        user = await _insert(conn, ctx, conv.id, str(uuid.uuid4()), seq, "user", text)
        answer = await _insert(
            conn, ctx, conv.id, str(uuid.uuid4()), seq + 1, "assistant", reply, user.id
        )
        payload = {
            "conversation_id": conv.id,
            "message": message_out(answer),
            "user_message": message_out(user),
            "history": await _history(conn, conv),
        }
        return await ctx.answer(conn, 200, payload)


async def _stream(ctx: Ctx, conv: Row[Any], context: list[ContextMessage], text: str) -> Response:
    answer_id = str(uuid.uuid4())
    live = LiveStream()
    async with ctx.state.db.write() as conn:
        conv = await _lock_open_conversation(conn, ctx)
        seq = await _reserve(conn, conv.id, 2, 1)
        user = await _insert(conn, ctx, conv.id, str(uuid.uuid4()), seq, "user", text)
        start = {"conversation_id": conv.id, "user_message_id": user.id, "message_id": answer_id}
        await start_stream(ctx, conn, live, start)

    async def work() -> None:
        reply = await emit_deltas(ctx, live, context, text)
        async with ctx.state.db.write() as conn:
            answer = await _insert(
                conn, ctx, conv.id, answer_id, seq + 1, "assistant", reply, user.id
            )
            await conn.execute(
                update(tables.conversations)
                .where(C.id == conv.id)
                .values(message_count=C.message_count + 1, updated_at=now())
            )
            complete = message_out(answer)
            await remember_stream(ctx, conn, live, complete)
        await live.emit("complete", complete)

    return stream_response(ctx, live, work)


HANDLERS: dict[str, Handler] = {"sendMessage": send_message}
