"""The HTTP/1.1 protocol the reference server runs under uvicorn: limits, framing and Problems.

uvicorn answers a request that h11 cannot parse (a bad request line, a ``Content-Length`` such
as ``CY2``, header bytes outside the grammar, an unsupported ``Transfer-Encoding``) with
``400 text/plain "Invalid HTTP request received."`` before the app runs. The contract says every
4xx answer is ``application/problem+json``, so :class:`ProblemH11Protocol` writes a Problem
Details document instead, and closes the connection.

On top of what h11 checks, the protocol refuses (RFC 9112):

* a request with both ``Content-Length`` and ``Transfer-Encoding`` (section 6.1; a proxy that
  framed it by ``Content-Length`` would see another request): 400, connection closed;
* a request head (request line and header fields) over ``max_head_bytes``, counted in total
  however the bytes arrive (h11 alone only limits a head still incomplete in its buffer): 400;
* an HTTP version other than 1.0 or 1.1: 505 ``http-version-not-supported``.

And it bounds what a connection may hold (:class:`ConnectionLimits`):

* **head timeout**: from the connection's start, or from the first byte of a later request,
  to the end of the request head; past it the connection is closed (a client that sends
  nothing, or trickles header lines, no longer holds a connection);
* **idle timeout** between requests: uvicorn's ``timeout_keep_alive``;
* **body timeout**: from the end of the head to the end of a declared body (``Content-Length``
  or chunked); past it the connection is closed and the app sees a disconnect;
* **connection cap** per process: a connection accepted while ``max_connections`` are open is
  closed at once, before it is read, so a flood of idle sockets cannot use up the process's
  file descriptors;
  (uvicorn's ``limit_concurrency`` is not used: it answers 503 only once a request arrives,
  and keeps the idle connection until then);
* accept errors (``socket.accept() out of system resource``) and refused connections are logged
  at most once per :data:`LOG_INTERVAL_SECONDS`, with a count, never once per attempt.

Every refusal that is answered carries an ``X-Request-ID`` header and the Problem its
``request_id``: always a new id, since the request's own headers were not read.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import weakref
from dataclasses import dataclass
from typing import Any, overload

import h11
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from .config import (
    DEFAULT_BODY_TIMEOUT_SECONDS,
    DEFAULT_HEAD_TIMEOUT_SECONDS,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_HEAD_BYTES,
    ServerConfig,
)
from .problems import PROBLEM_BASE, PROBLEM_MEDIA_TYPE
from .requestid import REQUEST_ID_HEADER, new_request_id

__all__ = [
    "LOG_INTERVAL_SECONDS",
    "MALFORMED_REQUEST_PROBLEM",
    "ConnectionLimits",
    "ProblemH11Protocol",
    "malformed_request_body",
]

log = logging.getLogger("parley.server")

LOG_INTERVAL_SECONDS = 10.0
LINGER_SECONDS = 2.0
"""How long a refused connection keeps reading (and dropping) what the client still sends after
the refusal was written and half-closed: closing with unread input makes the kernel reset the
connection, which can destroy the refusal before the client, or a proxy, reads it (RFC 9112
section 9.6, tear-down)."""
"""Accept errors and refused connections are logged at most once per this many seconds."""

MALFORMED_REQUEST_PROBLEM: dict[str, str | int] = {
    "type": PROBLEM_BASE + "malformed-request",
    "title": "Malformed HTTP request",
    "status": 400,
    "detail": (
        "The request is not valid HTTP/1.1 (request line, header names or values, "
        "Content-Length, Transfer-Encoding or header size); it was not processed."
    ),
}
"""The Problem sent for a request h11 refused (``type`` ``.../malformed-request``), less its id."""

_VERSION_PROBLEM: dict[str, str | int] = {
    "type": PROBLEM_BASE + "http-version-not-supported",
    "title": "HTTP version not supported",
    "status": 505,
    "detail": "This server speaks HTTP/1.0 and HTTP/1.1 only; the request was not processed.",
}


@dataclass(frozen=True)
class ConnectionLimits:
    """What one connection may hold; the defaults are :mod:`parley_server.config`'s ``DEFAULT_*``.

    The idle time between requests and the head size are uvicorn's settings
    (``timeout_keep_alive``, ``h11_max_incomplete_event_size``); ``parley serve`` passes the
    same values there.

    Attributes:
        head_timeout_seconds: Seconds to receive a request head, from the connection's start
            or the first byte of a later request; then the connection is closed.
        body_timeout_seconds: Seconds from the end of the head to the end of a declared body;
            then the connection is closed.
        max_connections: Open connections per process; one accepted beyond them is closed
            at once.
    """

    head_timeout_seconds: float = DEFAULT_HEAD_TIMEOUT_SECONDS
    body_timeout_seconds: float = DEFAULT_BODY_TIMEOUT_SECONDS
    max_connections: int = DEFAULT_MAX_CONNECTIONS

    @classmethod
    def of(cls, config: ServerConfig) -> ConnectionLimits:
        """Returns the limits ``config`` sets."""
        return cls(config.head_timeout_seconds, config.body_timeout_seconds, config.max_connections)


def malformed_request_body(request_id: str) -> bytes:
    """Returns the JSON of :data:`MALFORMED_REQUEST_PROBLEM` with ``request_id`` added."""
    return json.dumps({**MALFORMED_REQUEST_PROBLEM, "request_id": request_id}).encode("ascii")


class _Refusal(h11.RemoteProtocolError):
    """A request h11 parsed but this server refuses; ``problem`` is what it is answered."""

    def __init__(self, msg: str, problem: dict[str, str | int]) -> None:
        super().__init__(msg)
        self.problem = problem


class _CheckedConnection(h11.Connection):
    """h11's server connection, refusing what RFC 9112 or the head limit forbid.

    ``refusal`` holds the Problem for the last refused request (``None``: h11's own error).
    """

    def __init__(self, max_head_bytes: int, protocol: ProblemH11Protocol) -> None:
        super().__init__(h11.SERVER, max_head_bytes)
        self.max_head_bytes = max_head_bytes
        self.protocol = protocol
        self.refusal: dict[str, str | int] | None = None
        self._held: bytes | None = None

    @overload
    def send(self, event: h11.ConnectionClosed) -> None: ...

    @overload
    def send(
        self,
        event: h11.Request | h11.InformationalResponse | h11.Response | h11.Data | h11.EndOfMessage,
    ) -> bytes: ...

    @overload
    def send(self, event: h11.Event) -> bytes | None: ...

    def send(self, event: h11.Event) -> bytes | None:
        """h11's ``send``, giving the head of a ``Content-Length`` response with its body.

        uvicorn writes a response's head and its body with two ``transport.write`` calls, so
        two ``send`` system calls (and two TCP segments) per response. The head of a response
        whose length is declared is held back (``b""`` is returned for it, which uvicorn's
        write ignores) and returned in front of the next bytes: its first body chunk, or the
        end of the message (an empty body, a ``HEAD`` answer). A response that streams
        (chunked: Server-Sent Events) has its head sent at once, as before.
        """
        data: bytes | None = super().send(event)
        if (
            type(event) is h11.Response
            and self._held is None
            and any(name == b"content-length" for name, _ in event.headers)
        ):
            self._held = data
            return b""
        if self._held is not None:
            data, self._held = self._held + (data or b""), None
        return data

    def next_event(self) -> Any:
        event = super().next_event()
        if isinstance(event, h11.Request):
            self.protocol.head_received()
            if self._check(event):
                self.protocol.body_expected()
        elif isinstance(event, h11.EndOfMessage) and self.their_state is h11.DONE:
            self.protocol.body_received()
        return event

    def _check(self, request: h11.Request) -> bool:
        """Raises :class:`_Refusal` for a refused request; returns whether it declares a body."""
        if request.http_version not in (b"1.0", b"1.1"):
            self.refusal = _VERSION_PROBLEM
            raise _Refusal("unsupported HTTP version", _VERSION_PROBLEM)
        names = {name for name, _ in request.headers}  # h11 gives them lower-cased
        size = len(request.method) + len(request.target) + len(b"  HTTP/1.1\r\n\r\n")
        for name, value in request.headers.raw_items():
            size += len(name) + len(value) + 4
        if size > self.max_head_bytes:
            self.refusal = MALFORMED_REQUEST_PROBLEM
            raise _Refusal("request head too large", MALFORMED_REQUEST_PROBLEM)
        if b"content-length" in names and b"transfer-encoding" in names:
            self.refusal = MALFORMED_REQUEST_PROBLEM
            raise _Refusal("Content-Length with Transfer-Encoding", MALFORMED_REQUEST_PROBLEM)
        if b"transfer-encoding" in names:
            return True
        return any(name == b"content-length" and value != b"0" for name, value in request.headers)


class _Throttle:
    """Counts events and says when to log them: at most once per :data:`LOG_INTERVAL_SECONDS`."""

    def __init__(self) -> None:
        self.count = 0
        self.last = -LOG_INTERVAL_SECONDS

    def hit(self) -> int:
        """Counts one event; returns how many to report now (0: stay quiet)."""
        self.count += 1
        now = time.monotonic()
        if now - self.last < LOG_INTERVAL_SECONDS:
            return 0
        self.last, count, self.count = now, self.count, 0
        return count


_REFUSED = _Throttle()
_ACCEPT_ERRORS = _Throttle()
_THROTTLED_LOOPS: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()


def _throttle_accept_errors(loop: asyncio.AbstractEventLoop) -> None:
    """Makes ``loop`` log failed ``accept()`` calls once per interval, not once per attempt."""
    if loop in _THROTTLED_LOOPS:
        return
    _THROTTLED_LOOPS.add(loop)
    previous = loop.get_exception_handler()

    def handler(loop_: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if str(context.get("message", "")).startswith("socket.accept()"):
            count = _ACCEPT_ERRORS.hit()
            if count:
                log.error(
                    "accepting connections failed %d time(s) in the last %.0f s: %s",
                    count,
                    LOG_INTERVAL_SECONDS,
                    context.get("exception"),
                )
            return
        if previous is not None:
            previous(loop_, context)
        else:
            loop_.default_exception_handler(context)

    loop.set_exception_handler(handler)


class ProblemH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with connection limits, RFC 9112 framing and Problem answers.

    Pass the class, or ``functools.partial(ProblemH11Protocol, limits=ConnectionLimits(...))``,
    as ``uvicorn.run(app, http=...)``. Keep-alive, pipelining and flow control are uvicorn's.

    Args:
        config: uvicorn's config; its ``h11_max_incomplete_event_size`` is the head limit
            (:data:`DEFAULT_MAX_HEAD_BYTES` when unset).
        server_state: uvicorn's shared state (the open connections).
        app_state: uvicorn's lifespan state.
        _loop: The event loop (uvicorn's tests pass one).
        limits: The head and body timeouts and the connection cap.
    """

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
        *,
        limits: ConnectionLimits | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.limits = limits or ConnectionLimits()
        head_bytes = config.h11_max_incomplete_event_size or DEFAULT_MAX_HEAD_BYTES
        self.conn = _CheckedConnection(head_bytes, self)
        self._timer: asyncio.TimerHandle | None = None
        self._lingering = False
        _throttle_accept_errors(self.loop)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Registers the connection, or closes it at once beyond the cap; starts the head timer."""
        assert isinstance(transport, asyncio.Transport)
        super().connection_made(transport)
        if len(self.connections) > self.limits.max_connections:
            count = _REFUSED.hit()
            if count:
                log.warning(
                    "%d connection(s) closed at once in the last %.0f s: %d are open "
                    "(the cap, --max-connections)",
                    count,
                    LOG_INTERVAL_SECONDS,
                    self.limits.max_connections,
                )
            transport.abort()  # nothing to flush; frees the descriptor now
            return
        self._arm(self.limits.head_timeout_seconds)

    def data_received(self, data: bytes) -> None:
        """Starts the head timer at the first byte of a request after an idle keep-alive.

        After a refusal (:meth:`send_400_response`) the bytes are dropped unread.

        The bytes are parsed first: a head that arrives whole (the common case) never arms
        the timer, which would be cancelled at once. A head still incomplete after them gets
        it, in the same loop iteration as its first byte.
        """
        if self._lingering:
            return
        starts = self._timer is None and self.conn.their_state is h11.IDLE
        super().data_received(data)
        if (
            starts
            and self._timer is None
            and self.conn.their_state is h11.IDLE
            and not self.transport.is_closing()
        ):
            self._arm(self.limits.head_timeout_seconds)

    def connection_lost(self, exc: Exception | None) -> None:
        """Stops the timer; the rest is uvicorn's."""
        self._disarm()
        super().connection_lost(exc)

    def head_received(self) -> None:
        """Called when a request head is complete: its timer stops."""
        self._disarm()

    def body_expected(self) -> None:
        """Called when the request declares a body: the body timer starts."""
        self._arm(self.limits.body_timeout_seconds)

    def body_received(self) -> None:
        """Called when the request's body is complete: the body timer stops."""
        self._disarm()

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._timer = self.loop.call_later(seconds, self._expire)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _expire(self) -> None:
        self._timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def send_400_response(self, msg: str) -> None:
        """Writes the refusal's Problem (400, or 505) with a new request id and closes.

        Called by uvicorn when h11, or :class:`_CheckedConnection`, raises
        ``RemoteProtocolError``. When a response has already started on this connection (the
        request body turned malformed mid-way), no second response can be written: the
        connection is closed.

        Args:
            msg: uvicorn's text ("Invalid HTTP request received."), already logged by it.
        """
        self._disarm()
        problem = self.conn.refusal if isinstance(self.conn, _CheckedConnection) else None
        problem = problem or MALFORMED_REQUEST_PROBLEM
        if self.conn.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            self.transport.close()
            return
        request_id = new_request_id()
        body = json.dumps({**problem, "request_id": request_id}).encode("ascii")
        status = int(problem["status"])
        headers = [
            (b"content-type", PROBLEM_MEDIA_TYPE.encode("ascii")),
            (b"content-length", str(len(body)).encode("ascii")),
            (REQUEST_ID_HEADER.encode("ascii"), request_id.encode("ascii")),
            (b"connection", b"close"),
        ]
        reason = b"Bad Request" if status == 400 else b"HTTP Version Not Supported"
        for event in (
            h11.Response(status_code=status, headers=headers, reason=reason),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event))
        self._linger()

    def _linger(self) -> None:
        """Half-closes after the refusal, then drops input until the client closes.

        The connection is closed `LINGER_SECONDS` after the refusal at the latest.
        """
        if not self.transport.can_write_eof():
            self.transport.close()
            return
        self._lingering = True
        self.transport.write_eof()
        self.transport.resume_reading()
        self._timer = self.loop.call_later(LINGER_SECONDS, self._expire)
