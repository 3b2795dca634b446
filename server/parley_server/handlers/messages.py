"""Single messages: soft delete, restore, rate, and the tenant's deleted-messages list."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.responses import JSONResponse, Response

from .. import tables
from ..context import Ctx, Handler
from ..db import now
from ..problems import not_found
from .common import bump_tenant, envelope, message_out, page_args, tenant_counter

M = tables.messages.c
C = tables.conversations.c


async def _message(conn: AsyncConnection, ctx: Ctx, *, deleted_ok: bool) -> Row[Any]:
    """Returns the tenant's message (in a live conversation), or raises 404.

    Its conversation is locked first (``FOR UPDATE OF conversations``, as every write of a
    conversation or its messages does), then the message is read again: on PostgreSQL a
    writer that waited for the lock reads what the one before it committed.
    """
    mid = ctx.params["message_id"]
    found = (
        await conn.execute(
            select(M.id)
            .join(tables.conversations, C.id == M.conversation_id)
            .where(M.id == mid, M.tenant_id == ctx.tenant, C.deleted_at.is_(None))
            .with_for_update(of=tables.conversations)
        )
    ).first()
    row = None if found is None else await _reload(conn, mid)
    if row is None or (not deleted_ok and row.deleted_at is not None):
        raise not_found("Message", mid)
    return row


async def _reload(conn: AsyncConnection, message_id: str) -> Row[Any]:
    return (await conn.execute(select(tables.messages).where(M.id == message_id))).one()


async def _count(conn: AsyncConnection, ctx: Ctx, conversation_id: str, change: int) -> None:
    await conn.execute(
        update(tables.conversations)
        .where(C.id == conversation_id)
        .values(
            message_count=C.message_count + change,
            deleted_message_count=C.deleted_message_count - change,
        )
    )
    await bump_tenant(conn, ctx.tenant, deleted_messages=-change)


async def delete_message(ctx: Ctx) -> Response:
    """``deleteMessage``: soft-deletes one message; 204, or 404 (unknown or deleted)."""
    async with ctx.state.db.write() as conn:
        row = await _message(conn, ctx, deleted_ok=False)
        result = await conn.execute(
            update(tables.messages)
            .where(M.id == row.id, M.deleted_at.is_(None))
            .values(deleted_at=now())
        )
        if not result.rowcount:  # a concurrent delete won
            raise not_found("Message", row.id)
        await _count(conn, ctx, row.conversation_id, -1)
    return Response(status_code=204)


async def restore_message(ctx: Ctx) -> Response:
    """``restoreMessage``: brings a message back (idempotent); 200 ``Message`` or 404."""
    async with ctx.state.db.write() as conn:
        row = await _message(conn, ctx, deleted_ok=True)
        if row.deleted_at is not None:
            result = await conn.execute(
                update(tables.messages)
                .where(M.id == row.id, M.deleted_at.is_not(None))
                .values(deleted_at=None)
            )
            if result.rowcount:
                await _count(conn, ctx, row.conversation_id, 1)
        return JSONResponse(message_out(await _reload(conn, row.id)))


async def rate_message(ctx: Ctx) -> Response:
    """``rateMessage``: records (or replaces) a 1-5 rating and feedback; 200 or 404."""
    async with ctx.state.db.write() as conn:
        row = await _message(conn, ctx, deleted_ok=False)
        await conn.execute(
            update(tables.messages)
            .where(M.id == row.id)
            .values(rating=ctx.body["rating"], feedback=ctx.body.get("feedback"))
        )
        return await ctx.answer(conn, 200, message_out(await _reload(conn, row.id)))


async def list_deleted_messages(ctx: Ctx) -> Response:
    """``listDeletedMessages``: the tenant's soft-deleted messages, latest deletion first."""
    page, per_page, offset = page_args(ctx)
    async with ctx.state.db.read() as conn:
        total = await tenant_counter(conn, ctx.tenant, "deleted_messages")
        rows = (
            await conn.execute(
                select(tables.messages)
                .where(M.tenant_id == ctx.tenant, M.deleted_at.is_not(None))
                .order_by(M.deleted_at.desc(), M.id.desc())
                .limit(per_page)
                .offset(offset)
            )
        ).all()
    return JSONResponse(envelope([message_out(r) for r in rows], page, per_page, total))


HANDLERS: dict[str, Handler] = {
    "deleteMessage": delete_message,
    "restoreMessage": restore_message,
    "rateMessage": rate_message,
    "listDeletedMessages": list_deleted_messages,
}
