"""Operator commands: ``parley keys create/list/revoke`` and ``parley tenants create``.

They talk to the database directly (no running server needed) and work on SQLite and
PostgreSQL. ``parley serve`` (:mod:`parley_server.serving`) uses :data:`database_option` and
:func:`run_on_database` too; the ``parley`` command package loads the groups lazily.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click

from .cli_checks import check_database_url, database_errors
from .db import Database
from .provision import create_tenant_with_keys, list_keys, new_key, revoke_key

__all__ = ["DEFAULT_DB", "database_option", "keys", "run_on_database", "tenants"]

DEFAULT_DB = "sqlite:///parley.db"
T = TypeVar("T")

database_option = click.option(
    "--database-url",
    default=DEFAULT_DB,
    show_default=True,
    envvar="PARLEY_DATABASE_URL",
    show_envvar=True,
    help="sqlite:///path/file.db or postgresql://user[:password]@host:port/database.",
)
"""The ``--database-url`` option every command that opens the database takes."""
_as_json = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def run_on_database(database_url: str, work: Callable[[Database], Awaitable[T]]) -> T:
    """Runs ``work`` on the database at ``database_url`` and closes it.

    Raises:
        CliError: The URL is bad or unsupported, or the database cannot be reached (one line,
            exit 2; see :mod:`parley_server.cli_checks`).
        click.ClickException: ``work`` raised LookupError, ValueError or RuntimeError (an
            unknown tenant or key, a schema newer than this server): its message, exit 1.
    """
    check_database_url(database_url)

    async def run() -> T:
        db = Database(database_url)
        try:
            return await work(db)
        finally:
            await db.close()

    try:
        with database_errors(database_url):
            return asyncio.run(run())
    except (LookupError, ValueError, RuntimeError) as exc:
        raise click.ClickException(str(exc).strip("'\"")) from exc


@click.group()
def keys() -> None:
    """Manage API keys."""


@keys.command("create")
@click.option(
    "--scope",
    "scope",
    default="read,write",
    show_default=True,
    help="Comma-separated scopes: read, write.",
)
@click.option("--tenant", "tenant", default=None, help="Tenant id (default: the first tenant).")
@database_option
@click.option("--json", "as_json", is_flag=True, help="Print {tenant_id, key, scopes} as JSON.")
def create_key(scope: str, tenant: str | None, database_url: str, as_json: bool) -> None:
    """Creates an API key and prints it once.

    A misuse (a bad or unreachable --database-url) prints one line and exits with status 2.
    """
    scopes = [s.strip() for s in scope.split(",") if s.strip()]
    tenant_id, key = run_on_database(database_url, lambda db: new_key(db, scopes, tenant))
    if as_json:
        click.echo(json.dumps({"tenant_id": tenant_id, "key": key, "scopes": scopes}))
    else:
        click.echo(f"Tenant {tenant_id}, scopes {','.join(scopes)}: {key}")


@keys.command("list")
@click.option("--tenant", default=None, help="Only this tenant's keys.")
@database_option
@_as_json
def list_keys_command(tenant: str | None, database_url: str, as_json: bool) -> None:
    """Lists API keys: id, tenant, prefix, scopes, created and revoked times (never the key)."""
    infos = run_on_database(database_url, lambda db: list_keys(db, tenant))
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(i) for i in infos], indent=2))
        return
    for i in infos:
        state = f"revoked {i.revoked_at}" if i.revoked_at else "active"
        click.echo(f"{i.id}  tenant {i.tenant_id}  {i.prefix}...  {i.scopes:<10}  {state}")


@keys.command("revoke")
@click.argument("key_id")
@database_option
def revoke_key_command(key_id: str, database_url: str) -> None:
    """Revokes the API key KEY_ID (from `parley keys list`).

    Every server refuses the key within a second: at once on PostgreSQL (a notification), when
    its one-second key cache entry expires on SQLite. Revoking twice is not an error.
    """
    info = run_on_database(database_url, lambda db: revoke_key(db, key_id))
    click.echo(f"Revoked {info.id} ({info.prefix}...) at {info.revoked_at}")


@click.group()
def tenants() -> None:
    """Manage tenants."""


@tenants.command("create")
@click.option("--name", default="default", show_default=True, help="The tenant's name.")
@database_option
@_as_json
def create_tenant_command(name: str, database_url: str, as_json: bool) -> None:
    """Creates a tenant; prints its id, a read+write key and a read-only key (shown once)."""
    creds = run_on_database(database_url, lambda db: create_tenant_with_keys(db, name))
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(creds)))
        return
    click.echo(f"Created tenant {creds.tenant_id}")
    click.echo(f"Write key (read,write): {creds.write_key}")
    click.echo(f"Read key (read):        {creds.read_key}")
    click.echo("These keys are shown once; store them now.")
