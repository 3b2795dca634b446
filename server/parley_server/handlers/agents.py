"""Agents (``createAgent``, ``listAgents``, ``getAgent``): what conversations talk to."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row, func, insert, select
from starlette.responses import JSONResponse, Response

from .. import tables
from ..context import Ctx, Handler
from ..db import now
from ..problems import not_found
from .common import Json, envelope, page_args


def agent_out(row: Row[Any]) -> Json:
    """Maps an ``agents`` row to the ``Agent`` schema."""
    return {
        "id": row.id,
        "name": row.name,
        "description": row.description,
        "created_at": row.created_at,
    }


async def create_agent(ctx: Ctx) -> Response:
    """``createAgent``: stores an agent of the caller's tenant; 201 ``Agent``."""
    values = {
        "id": str(uuid.uuid4()),
        "tenant_id": ctx.tenant,
        "name": ctx.body["name"],
        "description": ctx.body.get("description"),
        "created_at": now(),
    }
    async with ctx.state.db.write() as conn:
        await conn.execute(insert(tables.agents).values(**values))
        row = (
            await conn.execute(select(tables.agents).where(tables.agents.c.id == values["id"]))
        ).one()
        return await ctx.answer(conn, 201, agent_out(row))


async def list_agents(ctx: Ctx) -> Response:
    """``listAgents``: one page of the tenant's agents, newest first; 200 ``AgentPage``."""
    page, per_page, offset = page_args(ctx)
    a = tables.agents.c
    async with ctx.state.db.read(scan=True) as conn:
        total = (
            await conn.execute(select(func.count()).where(a.tenant_id == ctx.tenant))
        ).scalar_one()
        rows = (
            await conn.execute(
                select(tables.agents)
                .where(a.tenant_id == ctx.tenant)
                .order_by(a.created_at.desc(), a.id.desc())
                .limit(per_page)
                .offset(offset)
            )
        ).all()
    return JSONResponse(envelope([agent_out(r) for r in rows], page, per_page, total))


async def find_agent(ctx: Ctx, agent_id: str) -> Row[Any]:
    """Returns the tenant's agent ``agent_id``.

    Raises:
        ProblemError: 404 when the tenant has no such agent.
    """
    a = tables.agents.c
    if "\x00" in agent_id:  # never an id we issued; PostgreSQL refuses NUL in text
        raise not_found("Agent", agent_id)
    async with ctx.state.db.read() as conn:
        row = (
            await conn.execute(
                select(tables.agents).where(a.tenant_id == ctx.tenant, a.id == agent_id)
            )
        ).first()
    if row is None:
        raise not_found("Agent", agent_id)
    return row


async def get_agent(ctx: Ctx) -> Response:
    """``getAgent``: one agent of the tenant; 200 ``Agent`` or 404."""
    return JSONResponse(agent_out(await find_agent(ctx, ctx.params["agent_id"])))


HANDLERS: dict[str, Handler] = {
    "createAgent": create_agent,
    "listAgents": list_agents,
    "getAgent": get_agent,
}
