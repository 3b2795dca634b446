"""Conversation lifecycle (Conversations API v1).

Create, list (filters, sorting, entity, deleted), get, update, soft delete, restore and end.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.responses import JSONResponse, Response

from .. import tables
from ..context import Ctx, Handler
from ..db import now
from ..problems import not_found
from .agents import find_agent
from .common import (
    Json,
    bump_tenant,
    conversation_out,
    envelope,
    live_conversation,
    lock_live_conversation,
    page_args,
    tenant_counter,
)

C = tables.conversations.c


async def create_conversation(ctx: Ctx) -> Response:
    """``createConversation``: starts a conversation of the caller's entity; 201 or 404."""
    body = ctx.body
    await find_agent(ctx, body["agent_id"].lower())
    stamp = now()
    values = {
        "id": str(uuid.uuid4()),
        "tenant_id": ctx.tenant,
        "agent_id": body["agent_id"].lower(),
        "entity_type": body.get("entity_type") or ctx.principal.entity_type,
        "entity_id": ctx.principal.entity_id,
        "title": body.get("title"),
        "metadata": body.get("metadata") or {},
        "status": "active",
        "max_context_length": body.get("max_context_length", 20),
        "message_count": 0,
        "deleted_message_count": 0,
        "next_seq": 1,
        "started_at": stamp,
        "created_at": stamp,
        "updated_at": stamp,
    }
    async with ctx.state.db.write() as conn:
        await conn.execute(insert(tables.conversations).values(**values))
        await bump_tenant(conn, ctx.tenant, live_conversations=1)
        row = (await conn.execute(select(tables.conversations).where(C.id == values["id"]))).one()
        return await ctx.answer(conn, 201, conversation_out(row))


async def _page(
    ctx: Ctx, where: list[ColumnElement[bool]], order: list[Any], total: int | None
) -> Response:
    page, per_page, offset = page_args(ctx)
    async with ctx.state.db.read(scan=total is None) as conn:
        if total is None:
            total = (await conn.execute(select(func.count()).where(*where))).scalar_one()
        rows = (
            await conn.execute(
                select(tables.conversations)
                .where(*where)
                .order_by(*order)
                .limit(per_page)
                .offset(offset)
            )
        ).all()
    return JSONResponse(envelope([conversation_out(r) for r in rows], page, per_page, total))


async def list_conversations(ctx: Ctx) -> Response:
    """``listConversations``: live conversations, filtered by agent/status, sorted; 200."""
    where: list[ColumnElement[bool]] = [C.tenant_id == ctx.tenant, C.deleted_at.is_(None)]
    filtered = False
    if "agent_id" in ctx.params:
        where.append(C.agent_id == str(ctx.params["agent_id"]).lower())
        filtered = True
    if "status" in ctx.params:
        where.append(C.status == ctx.params["status"])
        filtered = True
    column = getattr(C, ctx.params.get("sort_by", "created_at"))
    descending = ctx.params.get("sort_order", "desc") == "desc"
    key = column.desc() if descending else column.asc()
    if column.nullable:  # nulls last in either order, on both backends (the contract says so)
        key = key.nulls_last()
    order = [key, C.id.desc() if descending else C.id.asc()]
    total = None
    if not filtered:
        async with ctx.state.db.read() as conn:
            total = await tenant_counter(conn, ctx.tenant, "live_conversations")
    return await _page(ctx, where, order, total)


async def list_for_entity(ctx: Ctx) -> Response:
    """``listConversationsForEntity``: the caller entity's live conversations, newest first."""
    where = [
        C.tenant_id == ctx.tenant,
        C.entity_id == ctx.principal.entity_id,
        C.deleted_at.is_(None),
    ]
    return await _page(ctx, where, [C.created_at.desc(), C.id.desc()], None)


async def list_deleted(ctx: Ctx) -> Response:
    """``listDeletedConversations``: soft-deleted conversations, most recently deleted first."""
    async with ctx.state.db.read() as conn:
        total = await tenant_counter(conn, ctx.tenant, "deleted_conversations")
    where = [C.tenant_id == ctx.tenant, C.deleted_at.is_not(None)]
    return await _page(ctx, where, [C.deleted_at.desc(), C.id.desc()], total)


async def get_conversation(ctx: Ctx) -> Response:
    """``getConversation``: one live conversation; 404 when deleted or unknown."""
    async with ctx.state.db.read() as conn:
        row = await live_conversation(conn, ctx, ctx.params["conversation_id"])
    return JSONResponse(conversation_out(row))


async def _reload(conn: AsyncConnection, conversation_id: str) -> Json:
    row = (await conn.execute(select(tables.conversations).where(C.id == conversation_id))).one()
    return conversation_out(row)


async def update_conversation(ctx: Ctx) -> Response:
    """``updateConversation``: changes title, metadata and/or status; 200 or 404."""
    cid = ctx.params["conversation_id"]
    async with ctx.state.db.write() as conn:
        row = await lock_live_conversation(conn, ctx, cid)
        stamp = now()
        values: dict[str, Any] = {"updated_at": stamp}
        if "title" in ctx.body:
            values["title"] = ctx.body["title"]
        if "metadata" in ctx.body:
            values["metadata"] = ctx.body["metadata"]
        status = ctx.body.get("status")
        if status is not None and status != row.status:
            values["status"] = status
            if status == "ended":
                values["ended_at"] = stamp
            elif status == "active":
                values["ended_at"] = None
        await conn.execute(update(tables.conversations).where(C.id == cid).values(**values))
        return JSONResponse(await _reload(conn, cid))


async def delete_conversation(ctx: Ctx) -> Response:
    """``deleteConversation``: soft delete; 204, or 404 when unknown or already deleted."""
    cid = ctx.params["conversation_id"]
    async with ctx.state.db.write() as conn:
        stamp = now()
        # Conditional update: of two concurrent deletes, only one changes the row and counters.
        result = await conn.execute(
            update(tables.conversations)
            .where(C.tenant_id == ctx.tenant, C.id == cid, C.deleted_at.is_(None))
            .values(deleted_at=stamp, updated_at=stamp)
        )
        if not result.rowcount:
            raise not_found("Conversation", cid)
        await bump_tenant(conn, ctx.tenant, live_conversations=-1, deleted_conversations=1)
    return Response(status_code=204)


async def restore_conversation(ctx: Ctx) -> Response:
    """``restoreConversation``: undoes a soft delete (idempotent); 200 or 404."""
    cid = ctx.params["conversation_id"]
    async with ctx.state.db.write() as conn:
        row = (
            await conn.execute(
                select(tables.conversations)
                .where(C.tenant_id == ctx.tenant, C.id == cid)
                .with_for_update()
            )
        ).first()
        if row is None:
            raise not_found("Conversation", cid)
        if row.deleted_at is not None:
            result = await conn.execute(
                update(tables.conversations)
                .where(C.id == cid, C.deleted_at.is_not(None))
                .values(deleted_at=None, updated_at=now())
            )
            if result.rowcount:
                await bump_tenant(conn, ctx.tenant, live_conversations=1, deleted_conversations=-1)
        return JSONResponse(await _reload(conn, cid))


async def end_conversation(ctx: Ctx) -> Response:
    """``endConversation``: status ``ended``, ``ended_at``, optional rating/feedback; 200."""
    cid = ctx.params["conversation_id"]
    body = ctx.body or {}
    async with ctx.state.db.write() as conn:
        row = await lock_live_conversation(conn, ctx, cid)
        stamp = now()
        values: dict[str, Any] = {"status": "ended", "updated_at": stamp}
        if row.status != "ended" or row.ended_at is None:
            values["ended_at"] = stamp
        for field in ("rating", "feedback"):
            if field in body:
                values[field] = body[field]
        await conn.execute(update(tables.conversations).where(C.id == cid).values(**values))
        return await ctx.answer(conn, 200, await _reload(conn, cid))


HANDLERS: dict[str, Handler] = {
    "createConversation": create_conversation,
    "listConversations": list_conversations,
    "listConversationsForEntity": list_for_entity,
    "listDeletedConversations": list_deleted,
    "getConversation": get_conversation,
    "updateConversation": update_conversation,
    "deleteConversation": delete_conversation,
    "restoreConversation": restore_conversation,
    "endConversation": end_conversation,
}
