"""Liveness and readiness probes, outside the API contract and its authentication.

* ``GET /healthz``: 200 ``{"status": "ok"}`` while the process serves HTTP; it never touches
  the database, so a database outage does not get healthy processes restarted.
* ``GET /readyz``: 200 ``{"status": "ready", "schema_version": N}`` when the database answers
  within :data:`READY_TIMEOUT_SECONDS` and records the schema version this server expects;
  503 ``application/problem+json`` (``not-ready``) otherwise, and while shutting down, so a
  load balancer stops sending new requests.

Neither is in ``openapi.yaml``: they describe a deployment of the reference server, not the
conversation API (see ``server/README.md``).
"""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import tables
from .context import ServerState
from .problems import ProblemError

__all__ = ["PROBE_PATHS", "READY_TIMEOUT_SECONDS", "health_routes"]

PROBE_PATHS = ("/healthz", "/readyz")
"""The probes' paths (the only routes not in ``openapi.yaml``)."""

READY_TIMEOUT_SECONDS = 2.0
"""How long ``/readyz`` waits for the database before answering 503."""


def health_routes(state: ServerState) -> list[Route]:
    """Returns the ``/healthz`` and ``/readyz`` routes of the app serving ``state``."""

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})

    async def readyz(request: Request) -> Response:
        if state.draining:
            return _not_ready(request, "The server is shutting down.")
        try:
            version = await asyncio.wait_for(_schema_version(state), READY_TIMEOUT_SECONDS)
        except Exception as exc:  # unreachable, refused, timed out, no schema table yet
            return _not_ready(request, f"The database is not reachable: {type(exc).__name__}.")
        if version != tables.SCHEMA_VERSION:
            return _not_ready(
                request,
                f"The database schema is at version {version}, this server expects "
                f"{tables.SCHEMA_VERSION}.",
            )
        return JSONResponse(
            {"status": "ready", "schema_version": version},
            headers={"Cache-Control": "no-store"},
        )

    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
    ]


async def _schema_version(state: ServerState) -> int | None:
    async with state.db.read() as conn:
        query = select(func.max(tables.schema_version.c.version))
        version: int | None = (await conn.execute(query)).scalar()
    return version


def _not_ready(request: Request, detail: str) -> Response:
    problem = ProblemError(
        503, "not-ready", "Not ready", detail, headers={"Cache-Control": "no-store"}
    )
    return problem.to_response(request.url.path)
