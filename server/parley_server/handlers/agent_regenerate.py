"""``regenerateAgentAnswer``: replace one bot response in place, keep the rest."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from starlette.responses import Response

from .. import tables
from ..context import Ctx
from ..db import now
from ..problems import not_found, unprocessable
from ..responder import ContextMessage
from .agent_store import AC, AM, context_of, full, load
from .agents import find_agent
from .streaming import reply_text


async def regenerate(ctx: Ctx) -> Response:
    """``regenerateAgentAnswer``: replaces one bot response in place; 200, 404 or 422."""
    await find_agent(ctx, ctx.params["agentKey"])
    cid, mid = ctx.params["conversationId"], ctx.params["messageId"]
    body = ctx.body or {}
    async with ctx.state.db.read() as conn:
        _conv, messages = await load(conn, ctx, cid)
    index = next((i for i, m in enumerate(messages) if m.id == mid), None)
    if index is None:
        raise not_found("Message", mid)
    if messages[index].message_type != "bot_response":
        raise unprocessable(
            "not-a-bot-response",
            "Not a bot response",
            f"Message {mid} is a user query; only bot responses can be regenerated.",
        )
    ask = next(
        (i for i in range(index - 1, -1, -1) if messages[i].message_type == "user_query"), None
    )
    query = messages[ask].content if ask is not None else ""
    context = context_of(messages[: ask if ask is not None else index])
    context.append(ContextMessage("system", "previous answer: " + messages[index].content))
    reply = await reply_text(ctx, context, query)
    stamp = now()
    async with ctx.state.db.write() as conn:
        await load(conn, ctx, cid, lock=True)
        await conn.execute(
            update(tables.agent_messages)
            .where(AM.id == mid)
            .values(content=reply, updated_at=stamp)
        )
        changes: dict[str, Any] = {"updated_at": stamp}
        for wire, column in (("modelKey", "model_key"), ("chatMode", "chat_mode")):
            if body.get(wire):
                changes[column] = body[wire]
        await conn.execute(update(tables.agent_conversations).where(AC.id == cid).values(**changes))
        return await ctx.answer(conn, 200, await full(conn, ctx, cid))
