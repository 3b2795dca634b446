"""Idempotency keys: per tenant and key, the first response is stored with a request fingerprint.

* Same key, same request: the stored response is replayed (JSON, or the stored events of a
  stream after ``Last-Event-ID``) and nothing is created again.
* Same key, different request: 422 ``idempotency-key-reused``.
* Same key while the first request still runs: 409 ``idempotency-key-in-flight``, except for a
  running stream with the same request, which the repeat follows from ``Last-Event-ID``.
* A stream records a *pending* response together with its first writes; a repeat after a crash
  replays what was sent and an ``error`` event, and stores nothing again.

Stored responses are kept for ``RETENTION`` (24 h) and pruned when the server starts.

The record is written by the handler inside the same transaction as its effects
(:meth:`Slot.remember`), so a crash either loses both or keeps both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from . import tables
from .db import Database, now
from .problems import conflict, unprocessable
from .sse import SSE_MEDIA_TYPE, LiveStream

RETENTION = dt.timedelta(hours=24)
"""How long a stored response can be replayed; older ones are pruned at start-up."""
PENDING = 0
"""The ``status`` of a stream record whose stream has not completed (yet, or ever)."""


def fingerprint(operation_id: str, path_params: dict[str, Any], body: Any) -> str:
    """Returns the hex SHA-256 of the operation, its path parameters and its canonical body.

    ``path_params`` may carry other request traits that change the response (streaming).
    """
    canonical = json.dumps([operation_id, path_params, body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class StoredResponse:
    """A response kept for replay."""

    status: int
    media_type: str
    body: bytes


@dataclass
class Slot:
    """The idempotency state of one request that carries a key."""

    tenant_id: str
    key: str
    fingerprint: str
    live: LiveStream | None = field(default=None)
    pending: bool = False

    async def remember(
        self, conn: AsyncConnection, status: int, media_type: str, body: bytes
    ) -> None:
        """Stores the response in the caller's transaction (completing a pending record)."""
        if self.pending:
            t = tables.idempotency.c
            await conn.execute(
                update(tables.idempotency)
                .where(t.tenant_id == self.tenant_id, t.key == self.key)
                .values(status=status, media_type=media_type, body=body)
            )
            return
        await conn.execute(
            insert(tables.idempotency).values(
                tenant_id=self.tenant_id,
                key=self.key,
                fingerprint=self.fingerprint,
                status=status,
                media_type=media_type,
                body=body,
                created_at=now(),
            )
        )

    async def remember_pending(self, conn: AsyncConnection, events: bytes) -> None:
        """Records a stream that has started (its first events), with what it stored so far.

        If the server dies before the stream completes, a repeat finds this record and replays
        the events followed by an ``error`` event instead of storing everything again.
        """
        await self.remember(conn, PENDING, SSE_MEDIA_TYPE, events)
        self.pending = True


class IdempotencyGuard:
    """Tracks requests in flight in this process and finds stored responses.

    Args:
        db: The database holding stored responses.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.in_flight: dict[tuple[str, str], Slot] = {}

    async def claim(self, slot: Slot) -> StoredResponse | Slot:
        """Returns the stored response to replay, or ``slot`` now marked in flight.

        When a stream with the same request is running, returns that stream's slot (its
        ``live`` stream can be followed).

        Raises:
            ProblemError: 422 for a different request, 409 for one still in flight.
        """
        ident = (slot.tenant_id, slot.key)
        running = self.in_flight.get(ident)
        if running is not None:
            if running.fingerprint != slot.fingerprint:
                raise _reused()
            if running.live is not None:
                return running
            raise conflict(
                "idempotency-key-in-flight",
                "Request in progress",
                "A request with this Idempotency-Key is still being processed.",
            )
        async with self.db.read() as conn:
            row = (
                await conn.execute(
                    select(tables.idempotency).where(
                        tables.idempotency.c.tenant_id == slot.tenant_id,
                        tables.idempotency.c.key == slot.key,
                    )
                )
            ).first()
        if row is not None:
            if row.fingerprint != slot.fingerprint:
                raise _reused()
            return StoredResponse(row.status, row.media_type, bytes(row.body))
        self.in_flight[ident] = slot
        return slot

    async def prune(self, older_than: dt.timedelta = RETENTION) -> int:
        """Deletes stored responses older than ``older_than``; returns how many went."""
        cutoff = (dt.datetime.now(dt.UTC) - older_than).isoformat(timespec="microseconds")
        async with self.db.write() as conn:
            result = await conn.execute(
                delete(tables.idempotency).where(tables.idempotency.c.created_at < cutoff)
            )
        return int(result.rowcount or 0)

    def release(self, slot: Slot) -> None:
        """Forgets that ``slot`` is in flight."""
        ident = (slot.tenant_id, slot.key)
        if self.in_flight.get(ident) is slot:
            del self.in_flight[ident]


def _reused() -> Exception:
    return unprocessable(
        "idempotency-key-reused",
        "Idempotency key reused",
        "This Idempotency-Key was used with a different request.",
    )
