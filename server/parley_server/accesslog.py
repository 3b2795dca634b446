"""Structured access log: one JSON line per request on the ``parley.access`` logger.

The request path only appends a tuple to a queue (about a microsecond); a writer thread turns
the tuples into JSON lines and logs them, in batches, so formatting, the log record, the
handlers and their writes and flushes happen off the request path. Lines reach the handlers a
few milliseconds after their request ended, in order; :meth:`AccessLog.close` (called when the
app shuts down) writes every pending line before it returns.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .requestid import SCOPE_KEY

__all__ = ["AccessLog", "AccessLogMiddleware", "access_log"]

access_log = logging.getLogger("parley.access")

BATCH_PAUSE_SECONDS = 0.01
"""How long the writer waits after a batch, so later lines are written together."""

Entry = tuple[str, str, int, float, str | None, str | None]
"""``(method, path, status, duration_ms, client, request_id)`` of one request."""
_STOP: Any = object()


class AccessLog:
    """The queue of finished requests and the thread that logs them.

    The thread starts with the first entry and ends in :meth:`close`; a later entry starts a
    new one (an app may be started and stopped several times in tests).
    """

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Entry] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def add(self, entry: Entry) -> None:
        """Queues one request's line (never blocks, never raises)."""
        if self._thread is None:
            self._start()
        self._queue.put(entry)

    def _start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="parley-access-log", daemon=True
                )
                self._thread.start()

    def close(self, timeout: float = 5.0) -> None:
        """Logs every queued line, then stops the writer (waits at most ``timeout`` seconds)."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(_STOP)
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            entry = self._queue.get()
            while entry is not _STOP:
                _write(entry)
                try:
                    entry = self._queue.get_nowait()
                except queue.Empty:
                    break
            if entry is _STOP:
                return
            time.sleep(BATCH_PAUSE_SECONDS)


def _write(entry: Entry) -> None:
    method, path, status, duration_ms, client, request_id = entry
    line = {
        "event": "request",
        "method": method,
        "path": path,
        "status": status,
        "duration_ms": round(duration_ms, 2),
        "client": client,
        "request_id": request_id,
    }
    access_log.info(json.dumps(line))


class AccessLogMiddleware:
    """Logs ``{"event", "method", "path", "status", "duration_ms", "client", "request_id"}``.

    One line per request; ``request_id`` is the id of the response's ``X-Request-ID`` header,
    which :class:`~parley_server.requestid.RequestIdMiddleware` (outside this one) left in the
    scope (``None`` when the app runs without it).

    Args:
        app: The wrapped ASGI app.
        sink: Where finished requests go; the app closes it at shutdown.
    """

    def __init__(self, app: ASGIApp, sink: AccessLog) -> None:
        self.app = app
        self.sink = sink

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serves the request and queues its line once, whatever happened."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            client = scope.get("client")
            self.sink.add(
                (
                    scope["method"],
                    scope["path"],
                    status,
                    (time.perf_counter() - started) * 1000,
                    client[0] if client else None,
                    scope.get(SCOPE_KEY),
                )
            )
