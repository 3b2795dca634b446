"""Database access: engine creation from a URL, start-up schema creation, transactions.

SQLite files run in WAL mode with a busy timeout; SQLite writers are serialized by an
``asyncio.Lock`` (one writer at a time is SQLite's own rule, the lock just avoids
``database is locked`` errors). ``:memory:`` shares one connection, so every transaction
takes the lock. PostgreSQL needs no lock.

Reads are the hot path, so they avoid per-statement overheads that buy them nothing:

* SQLite files: reads run on a plain ``sqlite3`` connection, in the event loop's thread. An
  indexed SQLite read takes microseconds, far less than the hand-off of every statement to
  aiosqlite's worker thread, and WAL readers never wait for the writer. A read that may
  visit many rows (a count or an aggregate) asks for ``read(scan=True)`` and stays on
  aiosqlite's thread, so it does not stall the other requests.
* PostgreSQL: reads run in autocommit mode, so a one-statement read is one round trip (no
  ``BEGIN``/``ROLLBACK``). Under PostgreSQL's default ``READ COMMITTED`` every statement
  already saw its own snapshot, so no read sees anything it could not see before. Idle read
  connections stay checked out, per event loop (up to :data:`_KEPT_PG_READERS`), so a read
  skips the pool's checkout and return (isolation level set-up and reset, events, two
  greenlet hops); a read that fails closes its connection instead of keeping it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from sqlalchemy import Connection, CursorResult, Executable, event, insert, select, text
from sqlalchemy.engine import Dialect, Engine, create_engine, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import QueuePool, StaticPool

from . import tables
from .migrate import upgrade

_KEPT_READERS = 4
"""Threads whose idle reader connection is kept (the event loop's; test clients add more)."""
_KEPT_PG_READERS = 32
"""Idle PostgreSQL read connections kept checked out per event loop."""


def now() -> str:
    """Returns the current UTC time as the ISO 8601 string stored in every timestamp column."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def async_url(url: str) -> str:
    """Maps a user-facing database URL to its async driver URL.

    ``sqlite:///x.db`` -> ``sqlite+aiosqlite:///x.db``, ``:memory:`` -> in-memory SQLite,
    ``postgresql://`` / ``postgres://`` -> ``postgresql+asyncpg://``.
    """
    if url in (":memory:", "sqlite://", "sqlite:///:memory:"):
        return "sqlite+aiosqlite://"
    if url.startswith("sqlite:"):
        return "sqlite+aiosqlite:" + url[len("sqlite:") :]
    if url.startswith("postgres://"):
        return "postgresql+asyncpg://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url[len("postgresql://") :]
    return url


class InlineReader:
    """A synchronous SQLite connection offering the ``execute`` of an ``AsyncConnection``.

    Statements run at once in the calling (event loop) thread; see the module docstring.

    Args:
        conn: A checked-out connection of the reader engine.
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def execute(
        self, statement: Executable, parameters: Mapping[str, Any] | None = None
    ) -> CursorResult[Any]:
        """Executes ``statement`` and returns its result.

        Consume it (``first()``, ``one()``, ``all()``, ``scalar*()``), as every handler does:
        an open cursor would keep its SQLite read snapshot.
        """
        result: CursorResult[Any] = self._conn.execute(statement, parameters)
        return result

    @property
    def dialect(self) -> Dialect:
        """The SQLite dialect of the connection."""
        return self._conn.dialect

    def dbapi_connection(self) -> Any:
        """Returns the ``sqlite3.Connection`` underneath (for :mod:`parley_server.fastread`)."""
        return self._conn.connection.dbapi_connection


Conn = AsyncConnection | InlineReader
"""What :meth:`Database.read` yields; :meth:`Database.write` always yields an
``AsyncConnection``."""


class Database:
    """An async engine with the transaction helpers the handlers use.

    Args:
        url: A database URL (see :func:`async_url`).

    Attributes:
        engine: The async engine (every write; reads on PostgreSQL and in-memory SQLite).
        reader: The synchronous engine of inline reads of a SQLite file, else ``None``.
    """

    def __init__(self, url: str) -> None:
        self.url = async_url(url)
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.in_memory = self.is_sqlite and parsed.database in (None, "", ":memory:")
        kwargs: dict[str, Any] = {}
        if self.in_memory:
            kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        elif self.is_sqlite:
            kwargs = {"connect_args": {"timeout": 30}}
        else:
            # No pre-ping (three round trips per checkout on asyncpg): a connection found dead
            # fails its request and SQLAlchemy then discards every older pooled connection.
            # Enough kept connections for 64 requests in flight: beyond ``pool_size``, overflow
            # connections are opened and closed again for every few requests.
            kwargs = {"pool_size": 40, "max_overflow": 20}
        # Bound values never reach an exception's text (so never a log line or traceback).
        self.engine: AsyncEngine = create_async_engine(self.url, hide_parameters=True, **kwargs)
        self._locks: dict[int, asyncio.Lock] = {}
        self.reader: Engine | None = None
        self._kept: dict[int, Connection] = {}  # thread id -> its idle reader connection
        self._pg_reads: AsyncEngine | None = None
        # event loop id -> (that loop, its idle read connections); the loop is held so that
        # its id is never reused by another loop while the entry exists
        self._pg_kept: dict[int, tuple[asyncio.AbstractEventLoop, list[AsyncConnection]]] = {}
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        if self.is_sqlite and not self.in_memory:
            self.reader = create_engine(
                parsed.set(drivername="sqlite+pysqlite"),
                hide_parameters=True,
                # Never blocks the loop waiting for a free connection: extra ones are opened.
                poolclass=QueuePool,
                pool_size=4,
                max_overflow=-1,
                connect_args={"timeout": 30, "check_same_thread": False},
            )
            event.listen(self.reader, "connect", _reader_pragmas)
        elif not self.is_sqlite:
            self._pg_reads = self.engine.execution_options(isolation_level="AUTOCOMMIT")

    @property
    def _lock(self) -> asyncio.Lock:
        """One lock per event loop (tests may drive the same database from several loops)."""
        loop = id(asyncio.get_running_loop())
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        return lock

    async def create_schema(self) -> None:
        """Creates missing tables and indexes, upgrades an older schema, records the version.

        Raises:
            RuntimeError: The database was written by a newer schema version, or by one
                :mod:`parley_server.migrate` cannot upgrade (the message names the fix).
        """
        async with self.write() as conn:
            if not self.is_sqlite:
                # Serializes concurrent start-ups (several servers or test runs on one database).
                await conn.execute(text("SELECT pg_advisory_xact_lock(7270501)"))
            await conn.run_sync(tables.metadata.create_all)
            found = (await conn.execute(select(tables.schema_version.c.version))).scalars().all()
            if found and max(found) > tables.SCHEMA_VERSION:
                raise RuntimeError(
                    f"database schema version {max(found)} is newer than {tables.SCHEMA_VERSION}"
                    ": upgrade this Parley server, or use another database"
                )
            applied = [tables.SCHEMA_VERSION]
            if found:  # tables of an older version: add what it lacks
                applied = await upgrade(conn, max(found), tables.SCHEMA_VERSION)
            for version in applied:
                await conn.execute(
                    insert(tables.schema_version).values(version=version, applied_at=now())
                )

    @asynccontextmanager
    async def read(self, *, scan: bool = False) -> AsyncIterator[Conn]:
        """Yields a connection for reads only (see the module docstring for each backend).

        Args:
            scan: The read may visit many rows; on SQLite it runs off the event loop's thread.
        """
        if self.reader is not None and not scan:
            with self._inline(self.reader) as reader:
                yield reader
        elif self._pg_reads is not None:
            async with self._pg_read() as conn:
                yield conn
        elif self.in_memory:  # its one shared connection
            async with self._lock, self.engine.connect() as conn:
                yield conn
        else:
            async with self.engine.connect() as conn:
                yield conn

    @asynccontextmanager
    async def _pg_read(self) -> AsyncIterator[AsyncConnection]:
        """Lends an idle autocommit connection of this event loop (a new one if none is idle)."""
        assert self._pg_reads is not None
        loop = asyncio.get_running_loop()
        entry = self._pg_kept.get(id(loop))
        if entry is None or entry[0] is not loop:
            entry = self._pg_kept[id(loop)] = (loop, [])
        idle = entry[1]
        conn = idle.pop() if idle else await self._pg_reads.connect().start()
        ok = False
        try:
            yield conn
            ok = True
        finally:
            if ok and not conn.invalidated and len(idle) < _KEPT_PG_READERS:
                if conn.in_transaction():  # SQLAlchemy's own (autobegun) transaction
                    await conn.rollback()
                idle.append(conn)
            else:
                await conn.close()

    @contextmanager
    def _inline(self, engine: Engine) -> Iterator[InlineReader]:
        """Lends the calling thread's kept reader connection (a new one if it is lent already).

        Keeping the event loop's connection checked out saves the pool round trip of every
        read; the rollback at the end ends the read, so the next one sees every commit.
        """
        thread = threading.get_ident()
        conn = self._kept.pop(thread, None) or engine.connect()
        try:
            yield InlineReader(conn)
        finally:
            if conn.invalidated or len(self._kept) >= _KEPT_READERS:
                conn.close()
            else:
                conn.rollback()
                self._kept[thread] = conn

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """Yields a connection in a transaction committed on success, rolled back on error."""
        if self.is_sqlite:
            async with self._lock, self.engine.begin() as conn:
                yield conn
        else:
            async with self.engine.begin() as conn:
                yield conn

    async def close(self) -> None:
        """Closes every pooled connection."""
        while self._kept:
            self._kept.popitem()[1].close()
        entry = self._pg_kept.pop(id(asyncio.get_running_loop()), None)
        for conn in entry[1] if entry else ():
            await conn.close()
        self._pg_kept.clear()  # connections of other (ended) loops: nothing can close them now
        if self.reader is not None:
            self.reader.dispose()
        await self.engine.dispose()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _reader_pragmas(dbapi_conn: Any, record: Any) -> None:
    _sqlite_pragmas(dbapi_conn, record)
    dbapi_conn.execute("PRAGMA query_only=ON")  # the inline reader never writes
