"""What a handler receives: the server state, the caller, the validated request."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.responses import Response

from .auth import Authenticator, Principal
from .config import DEFAULT_MAX_BODY_BYTES
from .db import Database
from .idempotency import IdempotencyGuard, Slot
from .notify import Notifier
from .responder import Responder
from .spec import CompiledContract, CompiledOperation

log = logging.getLogger("parley.server")

OnReady = Callable[[Database], Awaitable[None]]

"""The largest request body the reference server accepts by default (1 MiB)."""


@dataclass
class ServerState:
    """Everything shared by the requests of one app.

    Attributes:
        db: The database.
        contract: The contract, compiled for serving.
        auth: Credential checks.
        responder: The agent.
        guard: Idempotency keys in flight.
        notifier: Cross-process wake-ups (PostgreSQL ``LISTEN``).
        validate_responses: Whether every JSON response is checked against the contract.
        max_body_bytes: The largest request body accepted; a larger one gets a 413 problem.
        on_ready: Callbacks run once after the schema exists (tests seed tenants here).
    """

    db: Database
    contract: CompiledContract
    auth: Authenticator
    responder: Responder
    guard: IdempotencyGuard
    notifier: Notifier
    validate_responses: bool = False
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    on_ready: Sequence[OnReady] = ()
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    draining: bool = False
    _ready: bool = False
    _ready_lock: asyncio.Lock | None = None

    async def ready(self) -> None:
        """Creates the schema and runs ``on_ready`` once (first request or start-up)."""
        if self._ready:
            return
        if self._ready_lock is None:
            self._ready_lock = asyncio.Lock()
        async with self._ready_lock:
            if not self._ready:
                await self.db.create_schema()
                await self.notifier.start()
                await self.guard.prune()
                for callback in self.on_ready:
                    await callback(self.db)
                self._ready = True

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        """Runs ``coro`` in the background; shutdown waits for it."""
        task = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def drain(self, timeout: float = 15.0) -> None:
        """Waits (at most ``timeout`` seconds) for background work, e.g. streams being stored."""
        self.draining = True
        if self.tasks:
            await asyncio.wait(list(self.tasks), timeout=timeout)
        await self.guard.stop()
        await self.notifier.close()


@dataclass
class Ctx:
    """One validated, authenticated request.

    Attributes:
        state: The server state.
        op: The operation being served.
        principal: The caller.
        params: Validated parameters by name.
        body: The validated JSON body, or ``None``.
        slot: The idempotency slot when an ``Idempotency-Key`` was sent.
        wants_stream: Whether the client asked for ``text/event-stream``.
    """

    state: ServerState
    op: CompiledOperation
    principal: Principal
    params: dict[str, Any]
    body: Any
    slot: Slot | None
    wants_stream: bool = False

    @property
    def tenant(self) -> str:
        """The caller's tenant id."""
        return self.principal.tenant_id

    async def answer(self, conn: AsyncConnection, status: int, payload: Any) -> Response:
        """Builds the JSON response; with an idempotency key, stores it in ``conn``'s transaction.

        A replay then returns exactly this response.
        """
        body = json.dumps(payload).encode()
        if self.slot is not None:
            await self.slot.remember(conn, status, "application/json", body)
        return Response(body, status_code=status, media_type="application/json")


Handler = Callable[[Ctx], Awaitable[Response]]
