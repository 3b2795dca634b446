"""A conversation's message history: the paginated list, bulk soft delete and bulk restore."""

from __future__ import annotations

from sqlalchemy import bindparam, select, update
from starlette.responses import JSONResponse, Response

from .. import tables
from ..context import Ctx, Handler
from ..db import now
from ..fastread import FastQuery, fetch_all
from .common import (
    bump_tenant,
    envelope,
    live_conversation,
    lock_live_conversation,
    message_out,
    page_args,
)

M = tables.messages.c
C = tables.conversations.c
_PAGE = (
    select(tables.messages)
    .where(M.conversation_id == bindparam("conversation_id"), M.deleted_at.is_(None))
    .order_by(M.seq.asc())
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)
"""One page of a conversation's live messages, oldest first (built once)."""
_PAGE_FAST = FastQuery(_PAGE)


async def list_messages(ctx: Ctx) -> Response:
    """``listConversationMessages``: live messages, oldest first, one page; 200 or 404.

    ``total`` is the conversation's denormalized ``message_count``; the page reads the
    ``(conversation_id, deleted_at, seq)`` index.
    """
    page, per_page, offset = page_args(ctx)
    cid = ctx.params["conversation_id"]
    async with ctx.state.db.read() as conn:
        conv = await live_conversation(conn, ctx, cid)
        params = {"conversation_id": cid, "limit": per_page, "offset": offset}
        rows = await fetch_all(conn, _PAGE_FAST, params)
    return JSONResponse(
        envelope([message_out(r) for r in rows], page, per_page, conv.message_count)
    )


async def delete_all(ctx: Ctx) -> Response:
    """``deleteConversationMessages``: soft-deletes every live message (idempotent); 200."""
    cid = ctx.params["conversation_id"]
    async with ctx.state.db.write() as conn:
        await lock_live_conversation(conn, ctx, cid)
        result = await conn.execute(
            update(tables.messages)
            .where(M.conversation_id == cid, M.deleted_at.is_(None))
            .values(deleted_at=now())
        )
        affected = int(result.rowcount or 0)
        if affected:
            await conn.execute(
                update(tables.conversations)
                .where(C.id == cid)
                .values(
                    message_count=C.message_count - affected,
                    deleted_message_count=C.deleted_message_count + affected,
                    updated_at=now(),
                )
            )
            await bump_tenant(conn, ctx.tenant, deleted_messages=affected)
    return JSONResponse({"conversation_id": cid, "affected": affected})


async def restore_all(ctx: Ctx) -> Response:
    """``restoreAllMessages``: restores every soft-deleted message (idempotent); 200."""
    cid = ctx.params["conversation_id"]
    async with ctx.state.db.write() as conn:
        await lock_live_conversation(conn, ctx, cid)
        result = await conn.execute(
            update(tables.messages)
            .where(M.conversation_id == cid, M.deleted_at.is_not(None))
            .values(deleted_at=None)
        )
        affected = int(result.rowcount or 0)
        if affected:
            await conn.execute(
                update(tables.conversations)
                .where(C.id == cid)
                .values(
                    message_count=C.message_count + affected,
                    deleted_message_count=C.deleted_message_count - affected,
                    updated_at=now(),
                )
            )
            await bump_tenant(conn, ctx.tenant, deleted_messages=-affected)
    return JSONResponse({"conversation_id": cid, "affected": affected})


HANDLERS: dict[str, Handler] = {
    "listConversationMessages": list_messages,
    "deleteConversationMessages": delete_all,
    "restoreAllMessages": restore_all,
}
