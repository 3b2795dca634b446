"""Cross-process wake-ups: PostgreSQL ``LISTEN/NOTIFY``, and polling where there is none.

Writers call :func:`publish` inside their transaction; PostgreSQL delivers the notification
when (and only if) the transaction commits. Each server process keeps one extra connection
listening on :data:`STREAM_CHANNEL` (a stream got events or ended) and :data:`KEY_CHANNEL`
(an API key was revoked). SQLite has no notifications: followers poll every
:data:`POLL_SECONDS`, and a revoked key is refused once the key cache entry expires.

If the listening connection fails or is lost, the server logs it and followers poll as on
SQLite; nothing else depends on a notification arriving.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from .db import Database

__all__ = [
    "KEY_CHANNEL",
    "LISTEN_TIMEOUT_SECONDS",
    "POLL_SECONDS",
    "STREAM_CHANNEL",
    "Notifier",
    "Subscription",
    "publish",
    "stream_topic",
]

log = logging.getLogger("parley.server")

STREAM_CHANNEL = "parley_stream"
KEY_CHANNEL = "parley_key_revoked"
POLL_SECONDS = 0.1
"""How often a follower looks for new events without notifications (SQLite, lost listener)."""
LISTEN_TIMEOUT_SECONDS = 1.0
"""How long a follower waits for a notification before it looks anyway (lease checks)."""


def stream_topic(tenant_id: str, key: str) -> str:
    """Returns the notification payload naming one stream (40 hex characters)."""
    return hashlib.sha1(f"{tenant_id}\n{key}".encode("utf-8", "surrogatepass")).hexdigest()


async def publish(conn: AsyncConnection, channel: str, payload: str) -> None:
    """Notifies ``channel`` with ``payload`` when ``conn``'s transaction commits (PostgreSQL).

    A no-op on SQLite, whose followers poll.
    """
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT pg_notify(:c, :p)"), {"c": channel, "p": payload})


class Subscription:
    """A follower's interest in one topic; notifications set its flag until it waits again."""

    def __init__(self, notifier: Notifier) -> None:
        self._notifier = notifier
        self._event = asyncio.Event()

    def wake(self) -> None:
        """Marks the topic changed (called by the notifier)."""
        self._event.set()

    async def wait(self) -> None:
        """Returns after a notification, or after the poll interval, whichever comes first."""
        timeout = LISTEN_TIMEOUT_SECONDS if self._notifier.listening else POLL_SECONDS
        with suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), timeout)
        self._event.clear()


class Notifier:
    """One process's listener (PostgreSQL) and the subscriptions waiting on it.

    Args:
        db: The database; only a PostgreSQL one is listened to.
        on_key_revoked: Called with the revoked key's hash (the key cache forgets it).
    """

    def __init__(self, db: Database, on_key_revoked: Callable[[str], None]) -> None:
        self.db = db
        self.on_key_revoked = on_key_revoked
        self.listening = False
        self._conn: Any = None
        self._subs: dict[str, set[Subscription]] = {}

    async def start(self) -> None:
        """Opens the listening connection (PostgreSQL); logs and polls instead on failure."""
        if self.db.is_sqlite or self._conn is not None:
            return
        import asyncpg  # type: ignore[import-untyped]

        dsn = make_url(self.db.url).set(drivername="postgresql").render_as_string(False)
        try:
            self._conn = await asyncpg.connect(dsn)
            await self._conn.add_listener(STREAM_CHANNEL, self._on_stream)
            await self._conn.add_listener(KEY_CHANNEL, self._on_key)
            self._conn.add_termination_listener(self._on_lost)
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("LISTEN unavailable, followers poll every %ss: %s", POLL_SECONDS, exc)
            self._conn = None
            return
        self.listening = True

    async def close(self) -> None:
        """Closes the listening connection."""
        conn, self._conn = self._conn, None
        self.listening = False
        if conn is not None:
            try:
                await conn.close(timeout=2)
            except (OSError, TimeoutError):
                conn.terminate()

    @contextmanager
    def subscribe(self, topic: str) -> Iterator[Subscription]:
        """Registers a subscription to ``topic`` (see :func:`stream_topic`) for the block.

        Subscribe before reading the database, so no notification falls between the read
        and the wait.
        """
        sub = Subscription(self)
        self._subs.setdefault(topic, set()).add(sub)
        try:
            yield sub
        finally:
            subs = self._subs.get(topic)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._subs[topic]

    def wake(self, topic: str) -> None:
        """Wakes this process's subscriptions to ``topic`` (also used without PostgreSQL)."""
        for sub in self._subs.get(topic, ()):
            sub.wake()

    def _on_stream(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        self.wake(payload)

    def _on_key(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        self.on_key_revoked(payload)

    def _on_lost(self, _conn: Any) -> None:
        if self._conn is not None:
            log.warning("LISTEN connection lost; followers poll every %ss", POLL_SECONDS)
        self.listening = False
        self._conn = None
