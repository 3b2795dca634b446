"""The ASGI application: routes built from the contract, one dispatcher for every operation.

For each request the dispatcher authenticates (401), checks scopes (403), validates the request
against ``openapi.yaml`` (400), applies the idempotency key, calls the operation's handler and,
when asked, validates the response against the contract. Every error is a Problem Details
document; an unexpected exception becomes a 500 problem and is logged. Every answer, those
included, carries the request's ``X-Request-ID`` (:mod:`parley_server.requestid`).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from parley_spec import Contract
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp

from .accesslog import AccessLog, AccessLogMiddleware
from .auth import Authenticator, require_scopes
from .config import ServerConfig
from .context import Ctx, Handler, OnReady, ServerState
from .db import Database
from .dberrors import database_unavailable_answer
from .durable import follow_stored
from .handlers import HANDLERS
from .health import health_routes
from .idempotency import (
    IdempotencyGuard,
    Running,
    Slot,
    StoredResponse,
    fingerprint,
)
from .notify import Notifier
from .problems import ProblemError, conflict, payload_too_large, unsupported_content_encoding
from .reference import mount_reference
from .requestid import RequestIdMiddleware
from .responder import DeterministicResponder, Responder
from .routing import SpecRouter
from .spec import CompiledOperation, compile_contract
from .sse import SSE_MEDIA_TYPE, load, replay
from .validation import check_response, validate_request

log = logging.getLogger("parley.server")


def create_app(
    config: ServerConfig | None = None,
    *,
    responder: Responder | None = None,
    on_ready: Sequence[OnReady] = (),
    contract: Contract | None = None,
    extra_routes: Sequence[BaseRoute] = (),
) -> Starlette:
    """Builds the reference server's ASGI app.

    Args:
        config: The server's options (:class:`ServerConfig`); the defaults, on in-memory
            SQLite, when ``None``.
        responder: The agent; a :class:`DeterministicResponder` when ``None``.
        on_ready: Coroutines run once the schema exists, given the database.
        contract: The typed contract (:class:`parley_spec.Contract`); ``openapi.yaml`` when
            ``None``.
        extra_routes: Routes outside the contract (health checks, docs, a ``Mount``), tried
            after the spec's paths; ``app.routes.append(route)`` works too.

    Returns:
        The Starlette app; its server state is ``app.state.parley``.

    Raises:
        RuntimeError: A spec operation has no handler, or a handler no operation.
        ValueError: ``config.jwt_secret`` is shorter than 32 bytes.
    """
    config = config or ServerConfig()
    compiled = compile_contract(contract)
    missing = set(compiled.operations) ^ set(HANDLERS)
    if missing:
        raise RuntimeError(f"operations and handlers differ: {sorted(missing)}")
    db = Database(config.database_url)
    secret = config.jwt_secret or secrets.token_urlsafe(32)
    auth = Authenticator(db, secret, require_exp=config.jwt_require_exp)
    state = ServerState(
        db=db,
        contract=compiled,
        auth=auth,
        responder=responder or DeterministicResponder(config.token_delay_seconds),
        guard=IdempotencyGuard(db, config.lease_seconds),
        notifier=Notifier(db, auth.forget),
        validate_responses=config.validate_responses,
        max_body_bytes=config.max_body_bytes,
        on_ready=on_ready,
    )

    sink = AccessLog() if config.access_log else None

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await state.ready()
        try:
            yield
        finally:
            await state.drain()
            await db.close()
            if sink is not None:
                sink.close()

    app = _ParleyApp(
        exception_handlers={HTTPException: _http_problem, Exception: _internal_problem}
    )
    app.router = SpecRouter(
        build_routes(state), [*health_routes(state), *extra_routes], lifespan=lifespan
    )
    mount_reference(app, compiled)  # /openapi.yaml, /openapi.json, /docs: no auth needed
    if sink is not None:
        app.add_middleware(AccessLogMiddleware, sink=sink)
    app.state.parley = state
    return app


class _ParleyApp(Starlette):
    """Starlette with :class:`RequestIdMiddleware` outside everything, its error layer included.

    Middleware added with ``add_middleware`` runs inside Starlette's ``ServerErrorMiddleware``,
    so the 500 answered for an unhandled exception would miss the request id.
    """

    def build_middleware_stack(self) -> ASGIApp:
        return RequestIdMiddleware(super().build_middleware_stack())


def build_routes(state: ServerState) -> list[Route]:
    """Returns one route per spec path; each endpoint serves every method of its path.

    :class:`~parley_server.routing.SpecRouter` finds them (a literal path wins over a template
    that also matches, e.g. ``/v1/conversation/deleted``), so a wrong method answers 405.
    """
    by_path: dict[str, dict[str, CompiledOperation]] = {}
    for op in state.contract.operations.values():
        by_path.setdefault(op.path, {})[op.method] = op
    routes: list[Route] = []
    for path in sorted(by_path, key=lambda p: (p.count("{"), p)):
        route = Route(path, _endpoint(state, by_path[path]), methods=list(by_path[path]))
        if "HEAD" not in by_path[path] and route.methods is not None:
            route.methods.discard("HEAD")  # Starlette adds HEAD to GET; the spec does not.
        routes.append(route)
    return routes


def _endpoint(state: ServerState, ops: dict[str, CompiledOperation]) -> Callable[[Request], Any]:
    allow = ", ".join(sorted(ops))

    async def endpoint(request: Request) -> Response:
        op = ops.get(request.method)
        if op is None:
            return ProblemError(
                405,
                "method-not-allowed",
                "Method not allowed",
                f"{request.method} is not allowed here.",
                headers={"Allow": allow},
            ).to_response(request.url.path)
        try:
            response = await _dispatch(state, op, request)
            if state.validate_responses and not isinstance(response, StreamingResponse):
                media = (response.media_type or "").split(";")[0]
                check_response(op, response.status_code, media, bytes(response.body))
            return response
        except ProblemError as problem:
            answer = problem.to_response(request.url.path)
            if state.validate_responses and problem.status < 500:
                check_response(op, problem.status, "application/problem+json", bytes(answer.body))
            return answer
        except (OperationalError, InterfaceError) as exc:
            # Connection refused or lost, database restarting, SQLite locked past its timeout.
            return database_unavailable_answer(op.operation_id, exc, request.url.path)
        except Exception:
            log.exception("unexpected error in %s", op.operation_id)
            return ProblemError(
                500, "internal", "Internal server error", "The server failed unexpectedly."
            ).to_response(request.url.path)

    return endpoint


async def _dispatch(state: ServerState, op: CompiledOperation, request: Request) -> Response:
    if state.draining:
        raise ProblemError(
            503,
            "unavailable",
            "Service unavailable",
            "The server is shutting down.",
            headers={"Retry-After": "5"},
        )
    await state.ready()
    principal = await state.auth.authenticate(request.headers)
    require_scopes(principal, op.scopes)
    raw = b""
    if op.body_validator is not None:
        encoding = request.headers.get("content-encoding")
        if encoding is not None and encoding.strip().lower() not in ("", "identity"):
            raise unsupported_content_encoding()
        raw = await _read_body(request, state.max_body_bytes)
    repeated: frozenset[str] = frozenset()
    query: Mapping[str, str] = {}
    if request.scope.get("query_string"):
        query = request.query_params
        items = request.query_params.multi_items()
        if len(items) != len(request.query_params):
            repeated = frozenset(k for k in query if len(request.query_params.getlist(k)) > 1)
    valid = validate_request(
        op,
        request.path_params,
        query,
        request.headers,
        request.headers.get("content-type"),
        raw,
        repeated,
    )
    params = dict(valid.params)
    for name, value in request.path_params.items():
        if name in params and name in op.uuid_params:
            params[name] = str(value).lower()
    accept = request.headers.get("accept", "")
    wants_stream = op.streams and (
        SSE_MEDIA_TYPE in accept or "application/json" not in op.success_media
    )
    slot = None
    key = params.get("Idempotency-Key")
    if op.idempotent_post and key is not None:
        path_params: dict[str, Any] = {k: params[k] for k in request.path_params if k in params}
        # A JSON answer and a stream of the same request are different responses.
        path_params["stream"] = wants_stream
        digest = fingerprint(op.operation_id, path_params, valid.body)
        claim = await state.guard.claim(Slot(principal.tenant_id, key, digest))
        last_id = int(params.get("Last-Event-ID", 0))
        if isinstance(claim, StoredResponse):
            return _replay(claim, last_id)
        if isinstance(claim, Running):
            follow = (
                claim.live.follow(last_id)
                if claim.live is not None
                else follow_stored(state.db, state.notifier, claim.tenant_id, key, last_id)
            )
            return StreamingResponse(follow, media_type=SSE_MEDIA_TYPE)
        slot = claim
    ctx = Ctx(state, op, principal, params, valid.body, slot, wants_stream)
    return await _run_handler(state, ctx)


async def _read_body(request: Request, limit: int) -> bytes:
    """Reads the request body, refusing one over ``limit`` bytes.

    Raises:
        ProblemError: 413 when ``Content-Length`` declares more than ``limit`` bytes (nothing
            is read), or when the body streams past it.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise payload_too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise payload_too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def _run_handler(state: ServerState, ctx: Ctx) -> Response:
    """Calls the operation's handler; releases the idempotency slot unless a stream holds it."""
    handler: Handler = HANDLERS[ctx.op.operation_id]
    slot = ctx.slot
    try:
        return await handler(ctx)
    except IntegrityError as exc:
        # A concurrent request won a race (same Idempotency-Key in another process, ...).
        raise conflict(
            "concurrent-update", "Concurrent update", "Another request changed this first; retry."
        ) from exc
    finally:
        if slot is not None and slot.live is None:
            await state.guard.release(slot)


def _replay(stored: StoredResponse, last_id: int) -> Response:
    headers = {"Idempotent-Replayed": "true"}
    if stored.media_type == SSE_MEDIA_TYPE:
        return StreamingResponse(
            replay(load(stored.body), last_id), media_type=SSE_MEDIA_TYPE, headers=headers
        )
    return Response(
        stored.body, status_code=stored.status, media_type=stored.media_type, headers=headers
    )


async def _internal_problem(request: Request, exc: Exception) -> Response:
    """Last resort for errors outside the dispatcher: a 500 Problem, never a text page."""
    log.error("unhandled error on %s", request.url.path, exc_info=exc)
    return ProblemError(
        500, "internal", "Internal server error", "The server failed unexpectedly."
    ).to_response(request.url.path)


async def _http_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    titles = {404: ("not-found", "Not found"), 405: ("method-not-allowed", "Method not allowed")}
    slug, title = titles.get(exc.status_code, ("http-error", "HTTP error"))
    detail = "No operation matches this path." if exc.status_code == 404 else str(exc.detail)
    return ProblemError(
        exc.status_code, slug, title, detail, headers=dict(exc.headers or {})
    ).to_response(request.url.path)
