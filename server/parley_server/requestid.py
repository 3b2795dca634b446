"""Request ids: every answer carries ``X-Request-ID``, echoed when the client sent a good one.

The contract (``components/headers/RequestId`` in ``openapi.yaml``) promises an ``X-Request-ID``
header on every response. A request that carries a well-formed ``X-Request-ID`` (1 to 128
characters, each a letter, a digit or one of ``-._:+/=@``: see :func:`is_well_formed`) gets that
id back unchanged; any other request, one with no id or with a malformed one, gets an id the
server makes (``req_`` and 24 hexadecimal digits). The same id is written in the access log line
of the request and in the ``request_id`` member of every Problem the request is answered with
(:class:`~parley_server.problems.ProblemError` reads :data:`current_request_id`).

:class:`RequestIdMiddleware` wraps the whole app, outside Starlette's error middleware, so a
500 answered for an unexpected exception carries the header too. A request uvicorn cannot parse
never reaches the app; :mod:`parley_server.protocol` gives its 400 an id of its own.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from contextvars import ContextVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "MAX_REQUEST_ID_LENGTH",
    "REQUEST_ID_HEADER",
    "REQUEST_ID_PATTERN",
    "SCOPE_KEY",
    "RequestIdMiddleware",
    "current_request_id",
    "is_well_formed",
    "new_request_id",
    "request_id_for",
]

REQUEST_ID_HEADER = "X-Request-ID"
"""The request and response header that carries the id."""

MAX_REQUEST_ID_LENGTH = 128
"""The longest id a client may send and have echoed, in characters."""

REQUEST_ID_PATTERN = r"^[A-Za-z0-9._:+/=@-]{1,128}$"
"""A well-formed id, as a JSON Schema ``pattern`` (the contract's ``RequestId`` schema)."""

SCOPE_KEY = "parley.request_id"
"""The ASGI scope key under which the middleware leaves the request's id for inner layers."""

_WELL_FORMED = re.compile(REQUEST_ID_PATTERN.strip("^$"))
_HEADER = REQUEST_ID_HEADER.lower().encode("ascii")

current_request_id: ContextVar[str | None] = ContextVar("parley_request_id", default=None)
"""The id of the request being served (``None`` outside a request)."""


def is_well_formed(value: str) -> bool:
    """Whether ``value`` is an id the server echoes: 1-128 of ``A-Z a-z 0-9 - . _ : + / = @``.

    The set leaves out spaces, quotes, commas, semicolons and backslashes, so an id can be
    written unquoted in a log line, a header or a URL path segment.
    """
    return _WELL_FORMED.fullmatch(value) is not None


def new_request_id() -> str:
    """Returns a fresh id: ``req_`` followed by 24 hexadecimal digits (96 random bits)."""
    return "req_" + secrets.token_hex(12)


def request_id_for(headers: Iterable[tuple[bytes, bytes]]) -> str:
    """Returns the id of a request: its own ``X-Request-ID`` when well-formed, else a new one.

    Args:
        headers: The request's raw headers (ASGI ``scope["headers"]``: lower-case names).
            When the header is repeated, the first one counts.
    """
    for name, value in headers:
        if name == _HEADER:
            try:
                given = value.decode("ascii")
            except UnicodeDecodeError:
                break
            return given if is_well_formed(given) else new_request_id()
    return new_request_id()


class RequestIdMiddleware:
    """Gives every HTTP request an id and every response its ``X-Request-ID`` header.

    The id is put in the scope under :data:`SCOPE_KEY` (the access log reads it there) and in
    :data:`current_request_id` while the request is served (Problems read it there; tasks the
    request starts, such as a stream's producer, inherit it).

    Args:
        app: The wrapped ASGI app.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serves one request with its id; other scope types pass through untouched."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_for(scope["headers"])
        raw = request_id.encode("ascii")

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", ()) if k.lower() != _HEADER]
                message = {**message, "headers": [*kept, (_HEADER, raw)]}
            await send(message)

        token = current_request_id.set(request_id)
        try:
            await self.app({**scope, SCOPE_KEY: request_id}, receive, send_with_id)
        finally:
            current_request_id.reset(token)
