"""The ``parley`` command line: ``serve``, ``keys create/list/revoke``, ``tenants create``.

Other packages register their commands with ``main.add_command(...)``.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import sys
from typing import Any

import click
from parley_contract.cli import contract_test
from parley_contract.diff.cli import diff

from .admin import (
    database_option,
    list_keys_command,
    revoke_key_command,
    run_on_database,
    tenants,
)
from .cli_checks import CliError, check_database_url, check_port_free, check_secret
from .context import DEFAULT_MAX_BODY_BYTES
from .idempotency import DEFAULT_LEASE_SECONDS
from .provision import first_tenant
from .serving import CONFIG_ENV, config_env


@click.group()
def main() -> None:
    """Parley: conversation-API contract kit."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8080, show_default=True, type=int, help="TCP port.")
@database_option
@click.option("--token-delay", default=0.0, type=float, help="Seconds between streamed tokens.")
@click.option(
    "--jwt-secret",
    envvar="PARLEY_JWT_SECRET",
    show_envvar=True,
    default=None,
    help="HS256 secret for bearer tokens, at least 32 bytes (default: random per start, so "
    "no token works).",
)
@click.option(
    "--jwt-exp-optional",
    is_flag=True,
    help="Accept bearer tokens without an exp claim (by default they are refused).",
)
@click.option("--validate-responses", is_flag=True, help="Check responses against the spec.")
@click.option(
    "--max-body-bytes",
    default=DEFAULT_MAX_BODY_BYTES,
    show_default=True,
    type=click.IntRange(min=1),
    help="Largest request body accepted; a larger one gets a 413 problem.",
)
@click.option(
    "--access-log/--no-access-log",
    default=True,
    show_default=True,
    help="One JSON line per request on stderr (written by a background thread).",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Worker processes (uvicorn's multi-process mode); more than 1 needs PostgreSQL.",
)
@click.option(
    "--lease-seconds",
    default=DEFAULT_LEASE_SECONDS,
    show_default=True,
    type=click.FloatRange(min=0.3),
    help="How long a stream outlives its process's last heartbeat before followers on "
    "other processes get stream-interrupted.",
)
def serve(
    host: str,
    port: int,
    database_url: str,
    token_delay: float,
    jwt_secret: str | None,
    jwt_exp_optional: bool,
    validate_responses: bool,
    max_body_bytes: int,
    access_log: bool,
    workers: int,
    lease_seconds: float,
) -> None:
    """Runs the reference server with uvicorn until SIGINT/SIGTERM (graceful shutdown).

    The first start on an empty database creates a tenant and prints two API keys, a write
    key (read,write) and a read key (read), once: store them (`parley keys create` makes
    more). The database URL and the JWT secret are read from PARLEY_DATABASE_URL and
    PARLEY_JWT_SECRET when the options are not given; bearer tokens must carry tenant_id,
    entity_id, scopes and exp claims.

    A misuse (a bad or unreachable --database-url, a port in use, a short secret) prints one
    line and exits with status 2, before any tenant is created.

    Besides the API it serves, with no key needed: the contract at /openapi.yaml and
    /openapi.json, and an interactive API reference at /docs (Swagger UI, no network needed;
    "Authorize" takes an API key, "Try it out" calls this server).

    On SIGTERM each worker stops accepting connections, lets open streams finish (up to 15 s)
    and exits. Several processes, on this host (--workers) or others, may share one
    PostgreSQL database; SQLite allows one process only (see server/README.md).
    GET /healthz (liveness) and GET /readyz (database and schema) need no credentials.
    """
    import uvicorn

    from .app import create_app
    from .protocol import ProblemH11Protocol

    check_secret(jwt_secret)
    parsed_url = check_database_url(database_url)
    check_port_free(host, port)
    if workers > 1 and parsed_url.drivername.startswith("sqlite"):
        raise CliError(
            "--workers above 1 needs PostgreSQL: SQLite takes one writer at a time and cannot "
            "wake other processes. Use --database-url postgresql://... or --workers 1."
        )
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    creds = run_on_database(database_url, first_tenant)
    if creds is not None:
        click.echo(f"Created tenant {creds.tenant_id}")
        click.echo(f"Write key (read,write): {creds.write_key}")
        click.echo(f"Read key (read):        {creds.read_key}")
        click.echo("These keys are shown once; store them now.")
    options: dict[str, Any] = {
        "jwt_secret": jwt_secret or secrets.token_urlsafe(32),
        "jwt_require_exp": not jwt_exp_optional,
        "token_delay_seconds": token_delay,
        "validate_responses": validate_responses,
        "max_body_bytes": max_body_bytes,
        "lease_seconds": lease_seconds,
        "access_log": access_log,
    }
    run: dict[str, Any] = {
        "host": host,
        "port": port,
        "http": ProblemH11Protocol,  # malformed HTTP gets a 400 Problem, not uvicorn's text/plain
        "ws": "none",  # no WebSocket operation: an Upgrade header is served as plain HTTP
        "access_log": False,
        "log_level": "info",
    }
    if workers > 1:
        # Every worker builds the same app from the environment (one shared JWT secret).
        os.environ[CONFIG_ENV] = config_env(database_url, **options)
        uvicorn.run(
            "parley_server.serving:app_from_env",
            factory=True,
            workers=workers,
            timeout_graceful_shutdown=15,
            # A worker loads the contract before it answers; on a busy host that can take
            # longer than uvicorn's 5 s default, which would kill and respawn it.
            timeout_worker_healthcheck=30,
            **run,
        )
        return
    app = create_app(database_url, **options)
    uvicorn.run(app, timeout_graceful_shutdown=15, **run)


@main.group()
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
    from .provision import new_key

    scopes = [s.strip() for s in scope.split(",") if s.strip()]
    tenant_id, key = run_on_database(database_url, lambda db: new_key(db, scopes, tenant))
    if as_json:
        click.echo(json.dumps({"tenant_id": tenant_id, "key": key, "scopes": scopes}))
    else:
        click.echo(f"Tenant {tenant_id}, scopes {','.join(scopes)}: {key}")


main.add_command(contract_test)
main.add_command(diff)
keys.add_command(list_keys_command)
keys.add_command(revoke_key_command)
main.add_command(tenants)

if __name__ == "__main__":  # pragma: no cover
    main(prog_name=os.path.basename(sys.argv[0]))
