"""Tenants and API keys for operators and tests (``parley keys``/``tenants``, first start)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, update

from . import tables
from .auth import create_api_key, create_tenant, new_api_key
from .db import Database, now
from .notify import KEY_CHANNEL, publish


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


@dataclass(frozen=True)
class KeyInfo:
    """What ``parley keys list`` shows of an API key (never the key itself).

    Attributes:
        id: The key's id (what ``parley keys revoke`` takes).
        tenant_id: Its tenant.
        prefix: The key's first 10 characters, to recognise it.
        scopes: Comma-separated scopes.
        created_at: ISO 8601 UTC.
        revoked_at: ISO 8601 UTC, or ``None`` while the key works.
    """

    id: str
    tenant_id: str
    prefix: str
    scopes: str
    created_at: str
    revoked_at: str | None


async def list_keys(db: Database, tenant_id: str | None = None) -> list[KeyInfo]:
    """Returns every API key (of ``tenant_id`` when given), oldest first."""
    await db.create_schema()
    k = tables.api_keys.c
    query = select(k.id, k.tenant_id, k.prefix, k.scopes, k.created_at, k.revoked_at)
    if tenant_id is not None:
        query = query.where(k.tenant_id == tenant_id)
    async with db.read() as conn:
        rows = (await conn.execute(query.order_by(k.created_at, k.id))).all()
    return [KeyInfo(*row) for row in rows]


async def revoke_key(db: Database, key_id: str) -> KeyInfo:
    """Revokes an API key: every server refuses it within a second (at once on PostgreSQL).

    Revoking a revoked key changes nothing and is not an error.

    Returns:
        The key as it is now.

    Raises:
        LookupError: No key has this id.
    """
    await db.create_schema()
    k = tables.api_keys.c
    async with db.write() as conn:
        row = (await conn.execute(select(k.key_hash, k.revoked_at).where(k.id == key_id))).first()
        if row is None:
            raise LookupError(f"no API key {key_id} (see `parley keys list`)")
        if row.revoked_at is None:
            revoke = update(tables.api_keys).where(k.id == key_id).values(revoked_at=now())
            await conn.execute(revoke)
            await publish(conn, KEY_CHANNEL, row.key_hash)
    return next(i for i in await list_keys(db) if i.id == key_id)


async def create_tenant_with_keys(db: Database, name: str) -> TenantCredentials:
    """Creates the schema if needed, then a tenant with a read+write and a read-only key."""
    await db.create_schema()
    return await provision_tenant(db, name)
