"""Hot reads on the database driver itself: statements compiled once, rows as named tuples.

SQLAlchemy Core's execution path (execution context, parameter processing, result set-up)
costs more than an indexed single-row read itself. For the few statements every request of a
hot operation runs, :class:`FastQuery` compiles the statement once per dialect and
:func:`fetch_first` / :func:`fetch_all` run the SQL text on the driver connection directly,
applying the same bind and result processors SQLAlchemy would (JSON decoding, NUL escaping of
``SafeText``), so the rows hold the same values.

* SQLite file, inline reader: ``sqlite3`` cursor of the kept connection, in the loop thread.
* PostgreSQL, read connection (no transaction): the pooled ``asyncpg`` connection's
  ``fetch``/``fetchrow``. asyncpg prepares each statement once per connection and keeps it in
  its statement cache, so a read is one round trip (Bind/Execute/Sync), without ``BEGIN``.
  Driver errors that mean the database or the connection is gone (connection errors, or any
  error on a connection the driver reports closed) are raised as SQLAlchemy's
  ``OperationalError``/``InterfaceError`` (the 503 path), and the connection is invalidated;
  other driver errors propagate as they are (a 500).
* Anything else (in-memory SQLite, a write transaction): SQLAlchemy's ``execute``.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Select
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection

from .db import Conn, InlineReader

__all__ = ["FastQuery", "fetch_all", "fetch_first"]

Processor = Callable[[Any], Any]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    binds: tuple[tuple[str, Any, Processor | None], ...]  # name, default value, processor
    results: tuple[tuple[int, Processor], ...]  # column index, processor
    row: Any  # the named tuple class

    def args(self, params: Mapping[str, Any]) -> list[Any]:
        out = []
        for name, default, proc in self.binds:
            value = params.get(name, default)
            out.append(proc(value) if proc is not None else value)
        return out

    def make(self, values: tuple[Any, ...] | Any) -> Any:
        if not self.results:
            return self.row._make(values)
        items = list(values)
        for index, proc in self.results:
            items[index] = proc(items[index])
        return self.row._make(items)


class FastQuery:
    """A ``SELECT`` that :func:`fetch_first` and :func:`fetch_all` can run on the driver.

    Args:
        statement: The statement; its bound parameters are given by name at execution
            (``bindparam("tenant_id")``), or keep the value they were built with.
    """

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self.keys = tuple(str(c.key) for c in statement.selected_columns)
        self._row = namedtuple("FastRow", self.keys)  # type: ignore[misc]
        self._by_dialect: dict[str, _Compiled] = {}

    def compiled(self, dialect: Dialect) -> _Compiled:
        """Returns the statement compiled for ``dialect`` (compiled on first use)."""
        key = f"{dialect.name}+{dialect.driver}"
        found = self._by_dialect.get(key)
        if found is None:
            found = self._by_dialect[key] = self._compile(dialect)
        return found

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self.statement.compile(dialect=dialect)
        names = compiled.positiontup or []
        bind_procs = cast(dict[str, Processor], compiled._bind_processors)
        binds = tuple(
            (name, compiled.binds[name].effective_value, bind_procs.get(name)) for name in names
        )
        results = []
        for index, column in enumerate(self.statement.selected_columns):
            proc = column.type._cached_result_processor(dialect, None)
            if proc is not None:
                results.append((index, proc))
        return _Compiled(compiled.string, binds, tuple(results), self._row)


async def fetch_first(conn: Conn, query: FastQuery, params: Mapping[str, Any]) -> Any | None:
    """Returns the first row of ``query`` (attributes named like its columns), or ``None``.

    Raises:
        sqlalchemy.exc.OperationalError: The database is unreachable (PostgreSQL driver path).
        sqlalchemy.exc.InterfaceError: The connection broke (PostgreSQL driver path).
    """
    rows = await _run(conn, query, params, first=True)
    return rows[0] if rows else None


async def fetch_all(conn: Conn, query: FastQuery, params: Mapping[str, Any]) -> list[Any]:
    """Returns every row of ``query`` (see :func:`fetch_first`)."""
    return await _run(conn, query, params, first=False)


async def _run(conn: Conn, query: FastQuery, params: Mapping[str, Any], first: bool) -> list[Any]:
    if isinstance(conn, InlineReader):
        raw = conn.dbapi_connection()
        plan = query.compiled(conn.dialect)
        cursor = raw.execute(plan.sql, plan.args(params))
        try:
            found = cursor.fetchmany(1) if first else cursor.fetchall()
        finally:
            cursor.close()  # ends the statement, so the read snapshot is released
        return [plan.make(r) for r in found]
    if conn.dialect.driver == "asyncpg" and not conn.in_transaction():
        return await _asyncpg(conn, query, params, first)
    result = await conn.execute(query.statement, params)
    return [result.first()] if first else list(result.all())


async def _asyncpg(
    conn: AsyncConnection, query: FastQuery, params: Mapping[str, Any], first: bool
) -> list[Any]:
    import asyncpg  # type: ignore[import-untyped]  # ships no type information

    plan = query.compiled(conn.dialect)
    sync = conn.sync_connection
    # A started, valid connection holds its pooled connection: no greenlet hop to fetch it.
    proxied = sync.connection if sync is not None and not sync.invalidated else None
    if proxied is None:
        proxied = await conn.get_raw_connection()
    driver = proxied.driver_connection
    if driver is None:  # a connection SQLAlchemy has just invalidated
        result = await conn.execute(query.statement, params)
        return [result.first()] if first else list(result.all())
    args = plan.args(params)
    try:
        if first:
            record = await driver.fetchrow(plan.sql, *args)
            records = [] if record is None else [record]
        else:
            records = await driver.fetch(plan.sql, *args)
    except Exception as exc:
        # As SQLAlchemy's asyncpg dialect decides: a closed connection is a disconnect,
        # whatever the error (a terminated backend can surface as InternalClientError).
        lost = (OSError, asyncpg.PostgresConnectionError, asyncpg.CannotConnectNowError)
        if isinstance(exc, asyncpg.InterfaceError):
            await conn.invalidate(exc)  # through SQLAlchemy's connection, which then knows it
            raise InterfaceError(plan.sql, args, exc) from exc
        if isinstance(exc, lost) or driver.is_closed():
            await conn.invalidate(exc)
            raise OperationalError(plan.sql, args, exc) from exc
        raise
    return [plan.make(tuple(r)) for r in records]
