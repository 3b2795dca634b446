"""Misuses of ``parley serve`` / ``parley keys create`` as one line and exit status 2.

Each failure mode a newcomer meets is named and explained in one line saying what to do,
instead of a driver's traceback:

* a ``--database-url`` that is not a URL, or names a database Parley does not support
  (anything but SQLite and PostgreSQL);
* a SQLite file that cannot be created or opened (missing or read-only folder);
* a PostgreSQL server that refuses the connection, rejects the login or lacks the database;
* a ``--port`` already in use (checked before a tenant is created and keys are printed);
* a ``--jwt-secret`` shorter than 32 bytes.
"""

from __future__ import annotations

import errno
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from .auth import check_jwt_secret
from .db import async_url

SUPPORTED = ("sqlite+aiosqlite", "postgresql+asyncpg")
EXAMPLES = "sqlite:///parley.db or postgresql://user@host:5432/parley"


class CliError(click.ClickException):
    """A misuse reported as ``Error: <message>`` on one line, with exit status 2 (usage)."""

    exit_code = 2


def _shown(url: str) -> str:
    """The URL as it may be printed: the password, if any, masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url if len(url) <= 60 else url[:60] + "…"


def check_database_url(url: str) -> URL:
    """Checks a ``--database-url`` before anything connects.

    Args:
        url: As given: ``sqlite:///file.db``, ``:memory:``, ``postgresql://...``.

    Returns:
        The parsed async driver URL.

    Raises:
        CliError: Not a URL, an unsupported database, or a SQLite file that cannot be created.
    """
    try:
        parsed = make_url(async_url(url))
    except ArgumentError:
        raise CliError(
            f"--database-url {_shown(url)!r} is not a database URL; use {EXAMPLES}"
        ) from None
    if parsed.drivername not in SUPPORTED:
        raise CliError(
            f"--database-url uses {parsed.drivername!r}, which Parley does not support; "
            f"use {EXAMPLES}"
        )
    if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
        _check_sqlite_file(Path(parsed.database or ""))
    return parsed


def _check_sqlite_file(path: Path) -> None:
    if path.exists():
        if path.is_dir() or not os.access(path, os.R_OK | os.W_OK):
            raise CliError(
                f"cannot open SQLite database {path}: not a readable and writable file; "
                "choose another --database-url path"
            )
        return
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise CliError(
            f"cannot create SQLite database {path}: {folder} {what}; "
            "create that folder or choose another --database-url path"
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CliError(
            f"cannot create SQLite database {path}: folder {folder} is not writable; "
            "choose another --database-url path"
        )


@contextmanager
def database_errors(url: str) -> Iterator[None]:
    """Turns a failure to reach the database into one :class:`CliError` line.

    Raises:
        CliError: The database refused the connection, the login or the database name, or a
            driver is missing; the message names the URL (password masked) and the cause.
    """
    try:
        yield
    except (DBAPIError, OSError, NoSuchModuleError, ModuleNotFoundError) as exc:
        cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
        reason = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
        reason = reason if len(reason) <= 160 else reason[:160] + "…"
        name = type(cause).__name__
        name = "" if name in ("Error", "Exception") else name  # asyncpg's wrapper says nothing
        why = ": ".join(part for part in (name, reason) if part)
        raise CliError(
            f"cannot use the database at {_shown(url)} ({why}); "
            "is it running, and is --database-url right?"
        ) from None


def check_port_free(host: str, port: int) -> None:
    """Checks that ``host:port`` can be bound, before a tenant is created or keys printed.

    A server that takes the port between this check and uvicorn's bind still makes uvicorn
    fail; this check only saves the common case (another server already running).

    Raises:
        CliError: The port is in use, the address is not local, or binding is not allowed.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                why = "is already in use; stop the other server or pick another --port"
            elif exc.errno == errno.EACCES:
                why = "needs privileges to bind; pick a --port above 1023"
            else:
                why = f"cannot be bound ({exc.strerror}); check --host and --port"
            raise CliError(f"{host}:{port} {why}") from None


def check_secret(secret: str | None) -> None:
    """Checks a ``--jwt-secret`` / ``PARLEY_JWT_SECRET`` (at least 32 bytes).

    Raises:
        CliError: The secret is too short.
    """
    if secret is None:
        return
    try:
        check_jwt_secret(secret)
    except ValueError as exc:
        raise CliError(f"--jwt-secret / PARLEY_JWT_SECRET: {exc}") from None


__all__ = [
    "CliError",
    "check_database_url",
    "check_port_free",
    "check_secret",
    "database_errors",
]
