"""Tenants and API keys for operators and tests (``parley keys create``, first start)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from . import tables
from .auth import create_api_key, create_tenant, new_api_key
from .db import Database


@dataclass(frozen=True)
class TenantCredentials:
    """A tenant and two of its API keys.

    Attributes:
        tenant_id: The tenant's id (the ``tenant_id`` claim of its JWTs).
        write_key: An API key with the ``read`` and ``write`` scopes.
        read_key: An API key with the ``read`` scope only.
    """

    tenant_id: str
    write_key: str
    read_key: str


def new_credentials() -> TenantCredentials:
    """Returns fresh tenant id and keys, not stored yet (see :func:`store_credentials`)."""
    return TenantCredentials(str(uuid.uuid4()), new_api_key(), new_api_key())


async def store_credentials(db: Database, creds: TenantCredentials, name: str = "default") -> None:
    """Stores a tenant and its two keys (the schema must exist)."""
    async with db.write() as conn:
        await create_tenant(conn, name, creds.tenant_id)
        await create_api_key(conn, creds.tenant_id, ["read", "write"], key=creds.write_key)
        await create_api_key(conn, creds.tenant_id, ["read"], key=creds.read_key)


async def provision_tenant(db: Database, name: str = "default") -> TenantCredentials:
    """Creates a tenant with a read+write key and a read-only key (schema must exist)."""
    creds = new_credentials()
    await store_credentials(db, creds, name)
    return creds


async def first_tenant(db: Database) -> TenantCredentials | None:
    """Creates the first tenant when the database has none; ``None`` when one exists."""
    await db.create_schema()
    async with db.read() as conn:
        count = (await conn.execute(select(func.count()).select_from(tables.tenants))).scalar_one()
    if count:
        return None
    return await provision_tenant(db)


async def new_key(db: Database, scopes: Iterable[str], tenant_id: str | None) -> tuple[str, str]:
    """Creates an API key for ``tenant_id`` (default: the oldest tenant, created if none).

    Returns:
        ``(tenant_id, key)``.

    Raises:
        LookupError: ``tenant_id`` names no tenant.
        ValueError: A scope is not ``read`` or ``write``.
    """
    await db.create_schema()
    t = tables.tenants.c
    async with db.write() as conn:
        if tenant_id is None:
            row = (await conn.execute(select(t.id).order_by(t.created_at).limit(1))).first()
            tenant_id = row.id if row else await create_tenant(conn)
        elif (await conn.execute(select(t.id).where(t.id == tenant_id))).first() is None:
            raise LookupError(f"no tenant {tenant_id}")
        key = await create_api_key(conn, tenant_id, scopes)
    return tenant_id, key
