"""``parley serve``: the reference server under uvicorn, on one process or many.

The command builds one :class:`~parley_server.config.ServerConfig`. With ``--workers N``
uvicorn imports the app in every worker process, so the config travels as JSON in the
environment variable :data:`CONFIG_ENV` and :func:`app_from_env` reads it back in each worker:
every worker shares the JWT secret, the database and the lease, so a request can land on any
of them.
"""

from __future__ import annotations

import logging
import os
import secrets
import sys
from typing import Any

import click
from starlette.applications import Starlette

from .admin import database_option, run_on_database
from .cli_checks import CliError, check_database_url, check_port_free, check_secret
from .config import (
    DEFAULT_BODY_TIMEOUT_SECONDS,
    DEFAULT_HEAD_TIMEOUT_SECONDS,
    DEFAULT_KEEP_ALIVE_SECONDS,
    DEFAULT_LEASE_SECONDS,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_HEAD_BYTES,
    ServerConfig,
)
from .provision import first_tenant

__all__ = ["CONFIG_ENV", "app_from_env", "serve"]

CONFIG_ENV = "PARLEY_SERVE_CONFIG"


@click.command("serve")
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
@click.option(
    "--head-timeout",
    default=DEFAULT_HEAD_TIMEOUT_SECONDS,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds a connection may take to send a request head (from its start, or from the "
    "first byte of a later request); then it is closed.",
)
@click.option(
    "--keep-alive",
    default=DEFAULT_KEEP_ALIVE_SECONDS,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds an idle connection stays open between requests.",
)
@click.option(
    "--body-timeout",
    default=DEFAULT_BODY_TIMEOUT_SECONDS,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds from the end of a request head to the end of its declared body; then the "
    "connection is closed.",
)
@click.option(
    "--max-connections",
    default=DEFAULT_MAX_CONNECTIONS,
    show_default=True,
    type=click.IntRange(min=1),
    help="Open connections per process; one accepted beyond them is closed at once. Keep it "
    "under the file-descriptor limit (ulimit -n).",
)
@click.option(
    "--max-head-bytes",
    default=DEFAULT_MAX_HEAD_BYTES,
    show_default=True,
    type=click.IntRange(min=1024),
    help="Largest request head (request line and headers) in bytes, however it arrives; a "
    "larger one gets a 400 problem.",
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
    head_timeout: float,
    keep_alive: float,
    body_timeout: float,
    max_connections: int,
    max_head_bytes: int,
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
    import functools

    import uvicorn

    from .protocol import ConnectionLimits, ProblemH11Protocol

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
    config = ServerConfig(
        database_url=database_url,
        # Drawn here, not per app: every worker must share one secret.
        jwt_secret=jwt_secret or secrets.token_urlsafe(32),
        jwt_require_exp=not jwt_exp_optional,
        token_delay_seconds=token_delay,
        validate_responses=validate_responses,
        max_body_bytes=max_body_bytes,
        access_log=access_log,
        lease_seconds=lease_seconds,
        head_timeout_seconds=head_timeout,
        keep_alive_seconds=keep_alive,
        body_timeout_seconds=body_timeout,
        max_connections=max_connections,
        max_head_bytes=max_head_bytes,
    )
    run: dict[str, Any] = {
        "host": host,
        "port": port,
        # Malformed HTTP gets a Problem, not uvicorn's text/plain; the connection limits.
        "http": functools.partial(ProblemH11Protocol, limits=ConnectionLimits.of(config)),
        "timeout_keep_alive": config.keep_alive_seconds,
        "h11_max_incomplete_event_size": config.max_head_bytes,
        "ws": "none",  # no WebSocket operation: an Upgrade header is served as plain HTTP
        "access_log": False,
        "log_level": "info",
    }
    if workers > 1:
        # Every worker builds the same app from the environment (one shared JWT secret).
        os.environ[CONFIG_ENV] = config.to_json()
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
    uvicorn.run(create_app(config), timeout_graceful_shutdown=15, **run)


def app_from_env() -> Starlette:
    """Builds the app from :data:`CONFIG_ENV` (uvicorn calls this in each worker).

    Raises:
        RuntimeError: The variable is missing (the factory runs outside ``parley serve``).
        ValueError: The variable does not hold a :class:`ServerConfig`.
    """
    raw = os.environ.get(CONFIG_ENV)
    if not raw:
        raise RuntimeError(f"{CONFIG_ENV} is not set; start workers with `parley serve`")
    return create_app(ServerConfig.from_json(raw))


def create_app(config: ServerConfig) -> Starlette:
    """Imports the app builder on first use (``parley serve --help`` stays fast)."""
    from .app import create_app as build

    return build(config)
