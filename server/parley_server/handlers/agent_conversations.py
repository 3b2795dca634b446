"""Agent conversations (``/agents/{agentKey}/conversations``), camelCase on the wire.

``agentKey`` is the id of an agent of the caller's tenant (else 404). Messages alternate
``user_query`` / ``bot_response``; regenerating replaces one bot response in place and keeps
the rest of the history.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.responses import JSONResponse, Response

from .. import tables
from ..context import Ctx, Handler
from ..db import now
from ..responder import ContextMessage
from ..sse import LiveStream
from . import agent_regenerate
from .agent_store import AC, AM, append, context_of, conversation_out, full, load
from .agents import find_agent
from .streaming import (
    emit_deltas,
    remember_stream,
    reply_text,
    start_stream,
    stream_response,
)


async def _insert_conversation(conn: AsyncConnection, ctx: Ctx) -> str:
    """Stores a new conversation and its first ``user_query``; returns its id."""
    body = ctx.body
    flat = " ".join(body["query"].split()) or body["query"]
    cid = str(uuid.uuid4())
    stamp = now()
    await conn.execute(
        insert(tables.agent_conversations).values(
            id=cid,
            tenant_id=ctx.tenant,
            agent_id=ctx.params["agentKey"],
            title=flat if len(flat) <= 100 else flat[:97] + "...",
            record_ids=body.get("recordIds") or [],
            departments=body.get("departments") or [],
            model_key=body.get("modelKey"),
            model_name=body.get("modelName"),
            chat_mode=body.get("chatMode"),
            next_seq=1,
            created_at=stamp,
            updated_at=stamp,
        )
    )
    await append(conn, cid, "user_query", body["query"])
    return cid


async def _take_query(conn: AsyncConnection, ctx: Ctx, cid: str) -> list[Row[Any]]:
    """Applies the follow-up's model settings and stores its ``user_query``.

    Returns:
        The messages before the new query, oldest first.

    Raises:
        ProblemError: 404 when the conversation is not the tenant's (or was deleted).
    """
    conv, messages = await load(conn, ctx, cid, lock=True)
    body = ctx.body
    if body.get("modelKey") or body.get("modelName") or body.get("chatMode"):
        await conn.execute(
            update(tables.agent_conversations)
            .where(AC.id == cid)
            .values(
                model_key=body.get("modelKey") or conv.model_key,
                model_name=body.get("modelName") or conv.model_name,
                chat_mode=body.get("chatMode") or conv.chat_mode,
            )
        )
    await append(conn, cid, "user_query", body["query"])
    return messages


def _answer_stream(
    ctx: Ctx, live: LiveStream, cid: str, context: list[ContextMessage], answer_id: str
) -> Response:
    async def work() -> None:
        reply = await emit_deltas(ctx, live, context, ctx.body["query"])
        async with ctx.state.db.write() as conn:
            await append(conn, cid, "bot_response", reply, answer_id)
            complete = await full(conn, ctx, cid)
            await remember_stream(ctx, conn, live, complete)
        await live.emit("complete", complete)

    return stream_response(ctx, live, work)


async def create_conversation(ctx: Ctx) -> Response:
    """``createAgentConversation``: new conversation with its first exchange; 201 or 404.

    The reply is generated first; conversation, query, reply and idempotency record are then
    stored in one transaction.
    """
    await find_agent(ctx, ctx.params["agentKey"])
    reply = await reply_text(ctx, [], ctx.body["query"])
    async with ctx.state.db.write() as conn:
        cid = await _insert_conversation(conn, ctx)
        await append(conn, cid, "bot_response", reply)
        return await ctx.answer(conn, 201, await full(conn, ctx, cid))


async def stream_conversation(ctx: Ctx) -> Response:
    """``streamAgentConversation``: as create, answered as SSE (start, delta..., complete)."""
    await find_agent(ctx, ctx.params["agentKey"])
    live, answer_id = LiveStream(), str(uuid.uuid4())
    async with ctx.state.db.write() as conn:
        cid = await _insert_conversation(conn, ctx)
        await start_stream(ctx, conn, live, {"conversationId": cid, "messageId": answer_id})
    return _answer_stream(ctx, live, cid, [], answer_id)


async def add_message(ctx: Ctx) -> Response:
    """``addAgentMessage``: a follow-up query and its answer; 200 whole conversation or 404."""
    await find_agent(ctx, ctx.params["agentKey"])
    cid = ctx.params["conversationId"]
    async with ctx.state.db.read() as conn:
        _conv, before = await load(conn, ctx, cid)
    reply = await reply_text(ctx, context_of(before), ctx.body["query"])
    async with ctx.state.db.write() as conn:
        await _take_query(conn, ctx, cid)
        await append(conn, cid, "bot_response", reply)
        return await ctx.answer(conn, 200, await full(conn, ctx, cid))


async def stream_message(ctx: Ctx) -> Response:
    """``streamAgentMessage``: as ``addAgentMessage``, answered as SSE."""
    await find_agent(ctx, ctx.params["agentKey"])
    cid = ctx.params["conversationId"]
    live, answer_id = LiveStream(), str(uuid.uuid4())
    async with ctx.state.db.write() as conn:
        before = await _take_query(conn, ctx, cid)
        await start_stream(ctx, conn, live, {"conversationId": cid, "messageId": answer_id})
    return _answer_stream(ctx, live, cid, context_of(before), answer_id)


async def list_conversations(ctx: Ctx) -> Response:
    """``listAgentConversations``: the tenant's conversations with the agent, latest first."""
    await find_agent(ctx, ctx.params["agentKey"])
    async with ctx.state.db.read() as conn:
        convs = (
            await conn.execute(
                select(tables.agent_conversations)
                .where(AC.tenant_id == ctx.tenant, AC.agent_id == ctx.params["agentKey"])
                .order_by(AC.updated_at.desc(), AC.id.desc())
            )
        ).all()
        by_conv: dict[str, list[Row[Any]]] = {c.id: [] for c in convs}
        if convs:
            for m in (
                await conn.execute(
                    select(tables.agent_messages)
                    .where(AM.conversation_id.in_(list(by_conv)))
                    .order_by(AM.conversation_id, AM.seq)
                )
            ).all():
                by_conv[m.conversation_id].append(m)
    return JSONResponse([conversation_out(c, by_conv[c.id]) for c in convs])


async def get_conversation(ctx: Ctx) -> Response:
    """``getAgentConversation``: the conversation and all its messages; 200 or 404."""
    await find_agent(ctx, ctx.params["agentKey"])
    async with ctx.state.db.read() as conn:
        return JSONResponse(await full(conn, ctx, ctx.params["conversationId"]))


async def delete_conversation(ctx: Ctx) -> Response:
    """``deleteAgentConversation``: deletes the conversation and its messages; 204 or 404."""
    await find_agent(ctx, ctx.params["agentKey"])
    cid = ctx.params["conversationId"]
    async with ctx.state.db.write() as conn:
        await load(conn, ctx, cid, lock=True)
        await conn.execute(delete(tables.agent_messages).where(AM.conversation_id == cid))
        await conn.execute(delete(tables.agent_conversations).where(AC.id == cid))
    return Response(status_code=204)


HANDLERS: dict[str, Handler] = {
    "listAgentConversations": list_conversations,
    "createAgentConversation": create_conversation,
    "streamAgentConversation": stream_conversation,
    "getAgentConversation": get_conversation,
    "deleteAgentConversation": delete_conversation,
    "addAgentMessage": add_message,
    "streamAgentMessage": stream_message,
    "regenerateAgentAnswer": agent_regenerate.regenerate,
}
