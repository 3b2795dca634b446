"""Helpers shared by the handlers: paging, row-to-wire mapping, tenant-scoped lookups."""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import Row, Select, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from .. import tables
from ..context import Ctx
from ..db import Conn
from ..fastread import FastQuery, fetch_first
from ..problems import not_found

Json = dict[str, Any]
MAX_OFFSET = 2**62
"""Offsets are capped so huge page numbers stay within a 64-bit SQL OFFSET (and return [])."""


def page_args(ctx: Ctx) -> tuple[int, int, int]:
    """Returns ``(page, per_page, offset)`` from the validated ``page``/``per_page`` parameters."""
    page = int(ctx.params.get("page", 1))
    per_page = int(ctx.params.get("per_page", 20))
    return page, per_page, min((page - 1) * per_page, MAX_OFFSET)


def envelope(items: list[Json], page: int, per_page: int, total: int) -> Json:
    """Returns the page envelope ``{items, page, per_page, total, pages}``."""
    return {
        "items": items,
        "page": page,
        "per_page": per_page,
        "total": max(total, 0),
        "pages": math.ceil(max(total, 0) / per_page),
    }


def conversation_out(row: Row[Any]) -> Json:
    """Maps a ``conversations`` row to the ``Conversation`` schema."""
    return {
        "id": row.id,
        "agent_id": row.agent_id,
        "entity_type": row.entity_type,
        "entity_id": row.entity_id,
        "title": row.title,
        "metadata": row.metadata if isinstance(row.metadata, dict) else {},
        "status": row.status,
        "max_context_length": row.max_context_length,
        "message_count": max(row.message_count, 0),
        "rating": row.rating,
        "feedback": row.feedback,
        "started_at": row.started_at,
        "ended_at": row.ended_at,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "deleted_at": row.deleted_at,
    }


def message_out(row: Row[Any]) -> Json:
    """Maps a ``messages`` row to the ``Message`` schema."""
    return {
        "id": row.id,
        "conversation_id": row.conversation_id,
        "role": row.role,
        "content": row.content,
        "rating": row.rating,
        "feedback": row.feedback,
        "created_at": row.created_at,
        "deleted_at": row.deleted_at,
    }


_C = tables.conversations.c
LIVE_CONVERSATION: Select[Any] = select(tables.conversations).where(
    _C.tenant_id == bindparam("tenant_id"),
    _C.id == bindparam("conversation_id"),
    _C.deleted_at.is_(None),
)
"""One conversation of a tenant that is not soft-deleted (built once: statements are reused)."""
_LIVE_CONVERSATION = FastQuery(LIVE_CONVERSATION)


async def live_conversation(conn: Conn, ctx: Ctx, conversation_id: str) -> Row[Any]:
    """Returns the caller's live conversation.

    Raises:
        ProblemError: 404 when it does not exist, is soft-deleted or is another tenant's.
    """
    params = {"tenant_id": ctx.tenant, "conversation_id": conversation_id}
    row: Row[Any] | None = await fetch_first(conn, _LIVE_CONVERSATION, params)
    if row is None:
        raise not_found("Conversation", conversation_id)
    return row


_LOCKED_CONVERSATION = LIVE_CONVERSATION.with_for_update()


async def lock_live_conversation(conn: AsyncConnection, ctx: Ctx, conversation_id: str) -> Row[Any]:
    """Returns the caller's live conversation, locked until the write transaction ends.

    Every read-modify-write of a conversation (and of its messages) takes this lock first,
    so they interleave as if serial on PostgreSQL (``SELECT ... FOR UPDATE``: a waiting
    writer then reads the row as the one before it left it). SQLite has no row locks and
    needs none: the server runs one write transaction at a time there.

    Raises:
        ProblemError: 404 when it does not exist, is soft-deleted or is another tenant's.
    """
    params = {"tenant_id": ctx.tenant, "conversation_id": conversation_id}
    row: Row[Any] | None = (await conn.execute(_LOCKED_CONVERSATION, params)).first()
    if row is None:
        raise not_found("Conversation", conversation_id)
    return row


async def bump_tenant(conn: AsyncConnection, tenant_id: str, **deltas: int) -> None:
    """Adds ``deltas`` to the tenant's denormalized counters (column name -> change)."""
    if not any(deltas.values()):
        return
    t = tables.tenants.c
    values = {name: getattr(t, name) + change for name, change in deltas.items()}
    await conn.execute(update(tables.tenants).where(t.id == tenant_id).values(**values))


async def tenant_counter(conn: Conn, tenant_id: str, column: str) -> int:
    """Returns one denormalized counter of the tenant."""
    t = tables.tenants.c
    value = (await conn.execute(select(getattr(t, column)).where(t.id == tenant_id))).scalar()
    return int(value or 0)
