"""``getConversationAnalytics``: statistics computed from the stored messages and ratings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, func, select
from starlette.responses import JSONResponse, Response

from .. import tables
from ..context import Ctx, Handler
from .common import live_conversation

M = tables.messages.c


def _minutes(start: str, end: str | None) -> float:
    if end is None:
        return 0.0
    delta = dt.datetime.fromisoformat(end) - dt.datetime.fromisoformat(start)
    return round(max(delta.total_seconds(), 0.0) / 60.0, 4)


async def conversation_analytics(ctx: Ctx) -> Response:
    """``getConversationAnalytics``: message statistics, flow and quality metrics; 200/404.

    Counts are per role over live messages; lengths are in characters; ``duration_minutes``
    runs from the start to the end, or to the last message while the conversation is open.
    """
    cid = ctx.params["conversation_id"]
    live = M.deleted_at.is_(None)
    async with ctx.state.db.read(scan=True) as conn:
        conv = await live_conversation(conn, ctx, cid)
        stats = (
            await conn.execute(
                select(
                    func.sum(case((M.role == "user", 1), else_=0)),
                    func.sum(case((M.role == "assistant", 1), else_=0)),
                    func.avg(func.length(M.content)),
                    func.count(M.rating),
                    func.avg(M.rating),
                    func.count(M.feedback),
                    func.max(M.created_at),
                    func.count(),
                ).where(M.conversation_id == cid, live)
            )
        ).one()
    users, agents, avg_len, rated, avg_rating, feedbacks, last_at, total = stats
    end = conv.ended_at if conv.status != "active" and conv.ended_at else last_at
    body = {
        "conversation_id": cid,
        "message_statistics": {
            "total_messages": int(total or 0),
            "user_message_count": int(users or 0),
            "agent_message_count": int(agents or 0),
            "deleted_message_count": max(int(conv.deleted_message_count), 0),
            "average_message_length": round(float(avg_len or 0.0), 2),
        },
        "conversation_flow": {
            "status": conv.status,
            "started_at": conv.started_at,
            "last_message_at": last_at,
            "ended_at": conv.ended_at,
            "duration_minutes": _minutes(conv.started_at, end),
        },
        "quality_metrics": {
            "satisfaction_rating": conv.rating,
            "rated_message_count": int(rated or 0),
            "average_message_rating": round(float(avg_rating), 2) if rated else None,
            "feedback_count": int(feedbacks or 0) + (1 if conv.feedback else 0),
        },
    }
    return JSONResponse(body)


HANDLERS: dict[str, Handler] = {"getConversationAnalytics": conversation_analytics}
