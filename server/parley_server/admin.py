"""Operator commands: ``parley keys list``, ``parley keys revoke``, ``parley tenants create``.

They talk to the database directly (no running server needed) and work on SQLite and
PostgreSQL; the commands are registered in :mod:`parley_server.cli`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click

from .db import Database
from .provision import create_tenant_with_keys, list_keys, revoke_key

__all__ = ["list_keys_command", "revoke_key_command", "tenants"]

DEFAULT_DB = "sqlite:///parley.db"
T = TypeVar("T")

_database = click.option(
    "--database-url", default=DEFAULT_DB, show_default=True, envvar="PARLEY_DATABASE_URL"
)
_as_json = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def _run(database_url: str, work: Callable[[Database], Awaitable[T]]) -> T:
    async def run() -> T:
        db = Database(database_url)
        try:
            return await work(db)
        finally:
            await db.close()

    try:
        return asyncio.run(run())
    except (LookupError, ValueError, RuntimeError) as exc:
        raise click.ClickException(str(exc).strip("'\"")) from exc


@click.command("list")
@click.option("--tenant", default=None, help="Only this tenant's keys.")
@_database
@_as_json
def list_keys_command(tenant: str | None, database_url: str, as_json: bool) -> None:
    """Lists API keys: id, tenant, prefix, scopes, created and revoked times (never the key)."""
    infos = _run(database_url, lambda db: list_keys(db, tenant))
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(i) for i in infos], indent=2))
        return
    for i in infos:
        state = f"revoked {i.revoked_at}" if i.revoked_at else "active"
        click.echo(f"{i.id}  tenant {i.tenant_id}  {i.prefix}...  {i.scopes:<10}  {state}")


@click.command("revoke")
@click.argument("key_id")
@_database
def revoke_key_command(key_id: str, database_url: str) -> None:
    """Revokes the API key KEY_ID (from `parley keys list`).

    Every server refuses the key within a second: at once on PostgreSQL (a notification), when
    its one-second key cache entry expires on SQLite. Revoking twice is not an error.
    """
    info = _run(database_url, lambda db: revoke_key(db, key_id))
    click.echo(f"Revoked {info.id} ({info.prefix}...) at {info.revoked_at}")


@click.group()
def tenants() -> None:
    """Manage tenants."""


@tenants.command("create")
@click.option("--name", default="default", show_default=True, help="The tenant's name.")
@_database
@_as_json
def create_tenant_command(name: str, database_url: str, as_json: bool) -> None:
    """Creates a tenant; prints its id, a read+write key and a read-only key (shown once)."""
    creds = _run(database_url, lambda db: create_tenant_with_keys(db, name))
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(creds)))
        return
    click.echo(f"Created tenant {creds.tenant_id}")
    click.echo(f"Write key (read,write): {creds.write_key}")
    click.echo(f"Read key (read):        {creds.read_key}")
    click.echo("These keys are shown once; store them now.")
