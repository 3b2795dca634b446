"""Idempotency keys: per tenant and key, the first response is stored with a request fingerprint.

The database decides, so every process of one deployment agrees:

* A request with a key first *claims* it: one short transaction inserts an in-flight record
  (``status`` :data:`IN_FLIGHT`) naming this process as ``owner`` with a lease. Whoever
  inserts first runs the request; everyone else finds the record.
* Same key, same request, stored: the stored response is replayed (JSON, or the events of a
  stream after ``Last-Event-ID``) and nothing is created again.
* Same key, different request: 422 ``idempotency-key-reused``.
* Same key while the first request still runs: 409 ``idempotency-key-in-flight``, except for a
  running stream (``status`` :data:`PENDING`), which the repeat follows from ``Last-Event-ID``
  on any process (:mod:`parley_server.durable`, which also stores a stream's events).
* The handler stores its response in the transaction of its effects (:meth:`Slot.remember`),
  so a crash loses both or keeps both. A request that ends without storing one (an error)
  deletes its claim, so the key can be used again.

Leases: while a process holds unfinished records, it renews their ``lease_until`` every third
of :data:`DEFAULT_LEASE_SECONDS` (one ``UPDATE`` for all of them). A record whose lease has
passed belongs to a process that is gone: an in-flight claim is taken over by the next
request, a pending stream ends for its followers with ``stream-interrupted``.

Stored responses are kept for ``RETENTION`` (24 h) and pruned when the server starts.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from . import tables
from .config import DEFAULT_LEASE_SECONDS
from .db import Database, now
from .notify import STREAM_CHANNEL, publish, stream_topic
from .problems import conflict, unprocessable
from .sse import LiveStream

__all__ = [
    "IN_FLIGHT",
    "PENDING",
    "RETENTION",
    "IdempotencyGuard",
    "Running",
    "Slot",
    "StoredResponse",
    "fingerprint",
    "lease_expired",
]

log = logging.getLogger("parley.server")

RETENTION = dt.timedelta(hours=24)
"""How long a stored response can be replayed; older ones are pruned at start-up."""
PENDING = 0
"""The ``status`` of a stream record whose stream has not completed (yet, or ever)."""
IN_FLIGHT = -1
"""The ``status`` of a claimed key whose request has not stored a response yet."""
"""How long an unfinished record outlives its owner's last heartbeat."""

_T = tables.idempotency.c


def fingerprint(operation_id: str, path_params: dict[str, Any], body: Any) -> str:
    """Returns the hex SHA-256 of the operation, its path parameters and its canonical body.

    ``path_params`` may carry other request traits that change the response (streaming).
    """
    canonical = json.dumps([operation_id, path_params, body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def lease_until(seconds: float) -> str:
    """Returns the timestamp ``seconds`` from now, in the stored format."""
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)
    return later.isoformat(timespec="microseconds")


def lease_expired(until: str | None) -> bool:
    """Whether a lease (``None``: written before leases existed) has passed."""
    return until is None or until < now()


@dataclass(frozen=True)
class StoredResponse:
    """A response kept for replay."""

    status: int
    media_type: str
    body: bytes


@dataclass(frozen=True)
class Running:
    """A stream with this key is being produced (here when ``live`` is set, else elsewhere)."""

    tenant_id: str
    key: str
    live: LiveStream | None


@dataclass
class Slot:
    """The idempotency state of one request that claimed its key.

    Attributes:
        owner: The claiming process's id (``IdempotencyGuard.owner``).
        live: The stream being produced, once the handler started one.
        pending: The record holds a started stream.
        done: The record holds the final response.
        flushed: How many of the stream's events are in ``stream_events``.
    """

    tenant_id: str
    key: str
    fingerprint: str
    owner: str = ""
    live: LiveStream | None = field(default=None)
    pending: bool = False
    done: bool = False
    flushed: int = 0

    async def remember(
        self, conn: AsyncConnection, status: int, media_type: str, body: bytes
    ) -> None:
        """Stores the response in the caller's transaction (completing the claimed record).

        Raises:
            ProblemError: 409 when this process lost the claim (its lease expired and another
                request took the key over); the caller's transaction then rolls back.
        """
        result = await conn.execute(
            update(tables.idempotency)
            .where(_T.tenant_id == self.tenant_id, _T.key == self.key, _T.owner == self.owner)
            .values(status=status, media_type=media_type, body=body)
        )
        if result.rowcount != 1:
            raise conflict(
                "concurrent-update", "Concurrent update", "Another request took this key; retry."
            )
        if self.pending:
            await publish(conn, STREAM_CHANNEL, stream_topic(self.tenant_id, self.key))
        self.done = status != PENDING


class IdempotencyGuard:
    """Claims keys in the database, renews the leases of this process's unfinished records.

    Args:
        db: The database holding stored responses.
        lease_seconds: How long an unfinished record outlives this process's last heartbeat.

    Attributes:
        owner: This process's id in ``idempotency_records.owner``.
        live: Streams produced by this process, by (tenant, key), for local followers.
    """

    def __init__(self, db: Database, lease_seconds: float = DEFAULT_LEASE_SECONDS) -> None:
        self.db = db
        self.lease_seconds = lease_seconds
        self.owner = uuid.uuid4().hex
        self.live: dict[tuple[str, str], LiveStream] = {}
        self.held: dict[tuple[str, str], Slot] = {}
        self._beat: asyncio.Task[None] | None = None

    async def claim(self, slot: Slot) -> StoredResponse | Running | Slot:
        """Returns the stored response, the running stream to follow, or ``slot`` now claimed.

        Raises:
            ProblemError: 422 for a different request, 409 for one still in flight.
        """
        slot.owner = self.owner
        dialect = sqlite if self.db.is_sqlite else postgresql
        async with self.db.write() as conn:
            inserted = await conn.execute(
                dialect.insert(tables.idempotency)
                .values(
                    tenant_id=slot.tenant_id,
                    key=slot.key,
                    fingerprint=slot.fingerprint,
                    status=IN_FLIGHT,
                    media_type="",
                    body=b"",
                    created_at=now(),
                    owner=self.owner,
                    lease_until=lease_until(self.lease_seconds),
                )
                .on_conflict_do_nothing()
                .returning(_T.key)
            )
            claimed = inserted.first() is not None
            if not claimed:
                row = (
                    await conn.execute(
                        select(tables.idempotency).where(
                            _T.tenant_id == slot.tenant_id, _T.key == slot.key
                        )
                    )
                ).first()
                if row is None:  # deleted (released) since the insert
                    raise _in_flight()
                if row.fingerprint != slot.fingerprint:
                    raise _reused()
                if row.status > 0:
                    return StoredResponse(row.status, row.media_type, bytes(row.body))
                if row.status == PENDING:
                    ident = (slot.tenant_id, slot.key)
                    return Running(slot.tenant_id, slot.key, self.live.get(ident))
                if not lease_expired(row.lease_until):
                    raise _in_flight()
                # The claiming process is gone and stored nothing: take the key over.
                taken = await conn.execute(
                    update(tables.idempotency)
                    .where(
                        _T.tenant_id == slot.tenant_id,
                        _T.key == slot.key,
                        _T.status == IN_FLIGHT,
                        _T.owner == row.owner,
                    )
                    .values(owner=self.owner, lease_until=lease_until(self.lease_seconds))
                )
                if taken.rowcount != 1:
                    raise _in_flight()
        self.held[(slot.tenant_id, slot.key)] = slot
        if self._beat is None or self._beat.done():
            self._beat = asyncio.get_running_loop().create_task(self._heartbeat())
        return slot

    async def release(self, slot: Slot) -> None:
        """Forgets ``slot``; deletes its claim when nothing was stored (the key is free again)."""
        ident = (slot.tenant_id, slot.key)
        if self.held.get(ident) is slot:
            del self.held[ident]
        if self.live.get(ident) is slot.live:
            self.live.pop(ident, None)
        if slot.done or slot.pending:
            return
        try:
            async with self.db.write() as conn:
                await conn.execute(
                    delete(tables.idempotency).where(
                        _T.tenant_id == slot.tenant_id,
                        _T.key == slot.key,
                        _T.owner == self.owner,
                        _T.status == IN_FLIGHT,
                    )
                )
        except Exception:  # the lease expires and the key is taken over instead
            log.warning("could not release idempotency key of tenant %s", slot.tenant_id)

    async def _heartbeat(self) -> None:
        """Renews this process's leases while it holds unfinished records."""
        while self.held:
            await asyncio.sleep(self.lease_seconds / 3)
            try:
                async with self.db.write() as conn:
                    await conn.execute(
                        update(tables.idempotency)
                        .where(_T.owner == self.owner, _T.status <= PENDING)
                        .values(lease_until=lease_until(self.lease_seconds))
                    )
            except Exception as exc:
                log.warning("lease renewal failed: %s", exc)

    async def stop(self) -> None:
        """Stops the heartbeat (shutdown, after the streams drained)."""
        if self._beat is not None:
            self._beat.cancel()
            self._beat = None

    async def prune(self, older_than: dt.timedelta = RETENTION) -> int:
        """Deletes stored responses and stream events older than ``older_than``.

        Returns:
            How many stored responses went.
        """
        cutoff = (dt.datetime.now(dt.UTC) - older_than).isoformat(timespec="microseconds")
        async with self.db.write() as conn:
            result = await conn.execute(delete(tables.idempotency).where(_T.created_at < cutoff))
            await conn.execute(
                delete(tables.stream_events).where(tables.stream_events.c.created_at < cutoff)
            )
        return int(result.rowcount or 0)


def _in_flight() -> Exception:
    return conflict(
        "idempotency-key-in-flight",
        "Request in progress",
        "A request with this Idempotency-Key is still being processed.",
    )


def _reused() -> Exception:
    return unprocessable(
        "idempotency-key-reused",
        "Idempotency key reused",
        "This Idempotency-Key was used with a different request.",
    )
