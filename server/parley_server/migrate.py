"""Schema upgrades: a database written by an older Parley is brought to the current version.

:meth:`Database.create_schema` creates missing tables (``metadata.create_all``), then runs here
every step after the newest version recorded in ``parley_schema_version``, all in its one
transaction (on PostgreSQL under an advisory lock, so concurrent start-ups upgrade once). A
step only adds nullable columns and tables, so servers of the previous version that are
running keep working on the upgraded database while they are being replaced (a new start of
one is refused: the database is newer).

Steps:

* 1 -> 2: ``api_keys.revoked_at`` (``parley keys revoke``), ``idempotency_records.owner`` and
  ``lease_until`` (the heartbeat deciding "stream-interrupted"); ``stream_events`` is a new
  table that ``create_all`` makes.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

__all__ = ["STEPS", "upgrade"]

STEPS: dict[int, tuple[str, ...]] = {
    2: (
        "ALTER TABLE api_keys ADD COLUMN revoked_at VARCHAR(40)",
        "ALTER TABLE idempotency_records ADD COLUMN owner VARCHAR(40)",
        "ALTER TABLE idempotency_records ADD COLUMN lease_until VARCHAR(40)",
    ),
}
"""For each version, the statements that turn the previous version into it."""


async def upgrade(conn: AsyncConnection, found: int, target: int) -> list[int]:
    """Runs the steps from version ``found`` to ``target`` in ``conn``'s transaction.

    Args:
        conn: A connection in the schema-creation transaction.
        found: The newest version the database records (its tables exist).
        target: The version this code expects.

    Returns:
        The versions applied, in order (empty when ``found == target``).

    Raises:
        RuntimeError: No step leads from ``found`` to ``target``; the message names the fix.
    """
    applied: list[int] = []
    for version in range(found + 1, target + 1):
        statements = STEPS.get(version)
        if statements is None:
            raise RuntimeError(
                f"database schema version {found} cannot be upgraded to {target}: "
                "start the matching Parley version, or use a new database"
            )
        for statement in statements:
            await conn.execute(text(statement))
        applied.append(version)
    return applied
