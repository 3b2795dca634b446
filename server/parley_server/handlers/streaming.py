"""Running a streamed reply in the background, so it is stored whole even if the client leaves.

The handler does its checks and first writes, then calls :func:`stream_response` with the
work that emits ``delta`` events and stores the result. The work runs as a background task;
the HTTP response only follows the :class:`LiveStream`. With an ``Idempotency-Key`` the
finished event list is stored in the same transaction as the reply (:func:`remember_stream`).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.responses import Response, StreamingResponse

from ..context import Ctx
from ..durable import finish_failed, keep_durable, remember_pending
from ..problems import ProblemError, agent_unavailable
from ..responder import ContextMessage, collect
from ..sse import SSE_MEDIA_TYPE, LiveStream, dump

log = logging.getLogger("parley.server")


async def start_stream(ctx: Ctx, conn: AsyncConnection, live: LiveStream, start: Any) -> None:
    """Emits the ``start`` event and, with an idempotency key, records the stream as pending.

    The record is written in ``conn``'s transaction, the one that stores the user's message.
    """
    await live.emit("start", start)
    if ctx.slot is not None:
        await remember_pending(conn, ctx.slot, list(live.events))


async def remember_stream(ctx: Ctx, conn: AsyncConnection, live: LiveStream, complete: Any) -> None:
    """Stores, in ``conn``'s transaction, the stream's events plus the ``complete`` to come."""
    if ctx.slot is None:
        return
    events = [*live.events, (len(live.events) + 1, "complete", json.dumps(complete))]
    await ctx.slot.remember(conn, 200, SSE_MEDIA_TYPE, dump(events))


async def reply_text(ctx: Ctx, history: Sequence[ContextMessage], message: str) -> str:
    """Returns the responder's whole reply.

    Raises:
        ProblemError: 503 ``agent-unavailable`` when the responder fails.
    """
    try:
        return await collect(ctx.state.responder.reply(history, message))
    except Exception as exc:
        log.exception("responder failed in %s", ctx.op.operation_id)
        raise agent_unavailable() from exc


async def emit_deltas(
    ctx: Ctx, live: LiveStream, history: Sequence[ContextMessage], message: str
) -> str:
    """Emits one ``delta`` per piece (``{content, index}``) and returns the whole text.

    Raises:
        ProblemError: 503 ``agent-unavailable`` when the responder fails (the caller's
            stream then ends with an ``error`` event).
    """
    text: list[str] = []
    try:
        async for piece in ctx.state.responder.reply(history, message):
            await live.emit("delta", {"content": piece, "index": len(text)})
            text.append(piece)
    except Exception as exc:
        log.exception("responder failed in %s", ctx.op.operation_id)
        raise agent_unavailable() from exc
    return "".join(text)


def stream_response(ctx: Ctx, live: LiveStream, work: Callable[[], Awaitable[None]]) -> Response:
    """Starts ``work`` in the background and answers the events as they come.

    ``work`` emits ``delta`` and ``complete`` events; if it raises, an ``error`` event carrying
    a Problem ends the stream (stored as the key's response). With an idempotency key, the
    events are stored as they come (:func:`keep_durable`), so another process can follow;
    the slot is released when the work ends.
    """
    slot = ctx.slot
    if slot is not None:
        slot.live = live
        ctx.state.guard.live[(slot.tenant_id, slot.key)] = live

    async def runner() -> None:
        keeper = None
        if slot is not None:
            keeper = asyncio.get_running_loop().create_task(keep_durable(ctx.state.db, slot, live))
        try:
            await work()
        except Exception as exc:
            if isinstance(exc, ProblemError):
                problem = exc
            else:
                log.exception("stream of %s failed", ctx.op.operation_id)
                problem = ProblemError(
                    500, "reply-failed", "Reply failed", "The agent could not finish the reply."
                )
            await live.emit("error", problem.to_dict())
            if slot is not None:
                try:
                    await finish_failed(ctx.state.db, slot, list(live.events))
                except Exception:
                    log.exception("could not store the failed stream of %s", ctx.op.operation_id)
        finally:
            await live.finish()
            if keeper is not None:
                await asyncio.gather(keeper, return_exceptions=True)
            if slot is not None:
                await ctx.state.guard.release(slot)

    ctx.state.spawn(runner())
    return StreamingResponse(
        live.follow(0),
        media_type=SSE_MEDIA_TYPE,
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
