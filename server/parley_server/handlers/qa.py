"""The Q&A history surface (``/api/v1``): ask, list, read and permanently delete."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row, delete, insert, select, update
from starlette.responses import JSONResponse, Response

from .. import tables
from ..context import Ctx, Handler
from ..db import Conn, now
from ..problems import not_found
from ..responder import ContextMessage, sources_for
from .common import Json
from .streaming import reply_text

Q = tables.qa_conversations.c
QM = tables.qa_messages.c
CONTEXT_EXCHANGES = 10


def _title(question: str) -> str:
    flat = " ".join(question.split()) or question
    return flat if len(flat) <= 60 else flat[:57].rstrip() + "..."


def qa_message_out(row: Row[Any]) -> Json:
    """Maps a ``qa_messages`` row to the ``QaMessage`` schema."""
    return {
        "id": row.id,
        "question": row.question,
        "answer": row.answer,
        "sources": list(row.sources or []),
        "timestamp": row.timestamp,
    }


async def _conversation(conn: Conn, ctx: Ctx, cid: str, *, lock: bool = False) -> Row[Any]:
    """The tenant's Q&A conversation (locked for the transaction when ``lock``), else 404."""
    query = select(tables.qa_conversations).where(Q.tenant_id == ctx.tenant, Q.id == cid)
    row = (await conn.execute(query.with_for_update() if lock else query)).first()
    if row is None:
        raise not_found("Conversation", cid)
    return row


async def qa_chat(ctx: Ctx) -> Response:
    """``qaChat``: answers a question, creating the conversation when none is given; 200/404."""
    question: str = ctx.body["question"]
    cid = ctx.body.get("conversation_id")
    context: list[ContextMessage] = []
    if cid is not None:
        cid = cid.lower()
        async with ctx.state.db.read() as conn:
            await _conversation(conn, ctx, cid)
            rows = (
                await conn.execute(
                    select(QM.question, QM.answer)
                    .where(QM.conversation_id == cid)
                    .order_by(QM.seq.desc())
                    .limit(CONTEXT_EXCHANGES)
                )
            ).all()
        for r in reversed(rows):
            context += [ContextMessage("user", r.question), ContextMessage("assistant", r.answer)]
    answer = await reply_text(ctx, context, question)
    stamp = now()
    async with ctx.state.db.write() as conn:
        if cid is None:
            cid = str(uuid.uuid4())
            await conn.execute(
                insert(tables.qa_conversations).values(
                    id=cid,
                    tenant_id=ctx.tenant,
                    title=_title(question),
                    message_count=0,
                    timestamp=stamp,
                    created_at=stamp,
                )
            )
        counted = (
            await conn.execute(
                update(tables.qa_conversations)
                .where(Q.id == cid, Q.tenant_id == ctx.tenant)
                .values(message_count=Q.message_count + 2, timestamp=stamp)
                .returning(Q.message_count)
            )
        ).first()
        if counted is None:  # deleted meanwhile
            raise not_found("Conversation", cid)
        seq = int(counted[0]) // 2
        mid = str(uuid.uuid4())
        await conn.execute(
            insert(tables.qa_messages).values(
                id=mid,
                conversation_id=cid,
                seq=seq,
                question=question,
                answer=answer,
                sources=sources_for(question),
                timestamp=stamp,
            )
        )
        row = (await conn.execute(select(tables.qa_messages).where(QM.id == mid))).one()
        return await ctx.answer(conn, 200, {"conversation_id": cid, "message": qa_message_out(row)})


async def list_qa(ctx: Ctx) -> Response:
    """``listQaConversations``: every Q&A conversation of the tenant, most recent first."""
    async with ctx.state.db.read() as conn:
        rows = (
            await conn.execute(
                select(tables.qa_conversations)
                .where(Q.tenant_id == ctx.tenant)
                .order_by(Q.timestamp.desc(), Q.id.desc())
            )
        ).all()
    items = [
        {"id": r.id, "title": r.title, "timestamp": r.timestamp, "message_count": r.message_count}
        for r in rows
    ]
    return JSONResponse({"conversations": items})


async def get_qa(ctx: Ctx) -> Response:
    """``getQaConversation``: the conversation's questions and answers, oldest first; 200/404."""
    cid = ctx.params["conversation_id"]
    async with ctx.state.db.read() as conn:
        await _conversation(conn, ctx, cid)
        rows = (
            await conn.execute(
                select(tables.qa_messages).where(QM.conversation_id == cid).order_by(QM.seq)
            )
        ).all()
    return JSONResponse({"messages": [qa_message_out(r) for r in rows]})


async def delete_qa(ctx: Ctx) -> Response:
    """``deleteQaConversation``: permanent delete; 200 ``{deleted: N}`` (N counts Q and A)."""
    cid = ctx.params["conversation_id"]
    async with ctx.state.db.write() as conn:
        conv = await _conversation(conn, ctx, cid, lock=True)
        await conn.execute(delete(tables.qa_messages).where(QM.conversation_id == cid))
        await conn.execute(delete(tables.qa_conversations).where(Q.id == cid))
    return JSONResponse({"deleted": int(conv.message_count)})


HANDLERS: dict[str, Handler] = {
    "qaChat": qa_chat,
    "listQaConversations": list_qa,
    "getQaConversation": get_qa,
    "deleteQaConversation": delete_qa,
}
