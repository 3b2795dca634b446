"""Deliberately broken variants of the reference server: ASGI middleware around `create_app`.

Each variant breaks the contract in one way on one operation, the way real servers do.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


async def read_body(receive: Receive) -> bytes:
    """The whole request body, read from `receive` however many messages carry it."""
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def replaying(body: bytes) -> Receive:
    """A `receive` giving `body` in one `http.request` message, then `http.disconnect`."""
    given = False

    async def receive() -> Message:
        nonlocal given
        if given:
            return {"type": "http.disconnect"}
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def discard(message: Message) -> None:
    """A `send` dropping what the app answers (a write made behind the client's back)."""


def _matches(scope: Scope, method: str, path: str) -> bool:
    return (
        scope["type"] == "http"
        and scope["method"] == method
        and re.fullmatch(path, scope["path"]) is not None
    )


def _rewrite_body(app: App, method: str, path: str, rewrite: Callable[[bytes], bytes]) -> App:
    """Buffer matching responses whole and pass their body through `rewrite`."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if not _matches(scope, method, path):
            await app(scope, receive, send)
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = rewrite(b"".join(chunks))
            headers = [
                (k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"
            ]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await app(scope, receive, buffered)

    return wrapped


def drop_field(app: App, method: str, path: str, field: str) -> App:
    """A field missing from a JSON response."""

    def rewrite(body: bytes) -> bytes:
        try:
            document = json.loads(body)
        except ValueError:
            return body
        if isinstance(document, dict):
            document.pop(field, None)
        return json.dumps(document).encode()

    return _rewrite_body(app, method, path, rewrite)


def drop_event(app: App, method: str, path: str, event: str) -> App:
    """A stream without one kind of event."""

    def rewrite(body: bytes) -> bytes:
        blocks = body.decode().replace("\r\n", "\n").split("\n\n")
        kept = [b for b in blocks if f"event: {event}" not in b.split("\n")]
        return "\n\n".join(kept).encode()

    return _rewrite_body(app, method, path, rewrite)


def error_on_query(app: App, method: str, path: str, needle: bytes) -> App:
    """A 500 on one input: any request whose query string contains `needle`."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if not (_matches(scope, method, path) and needle in scope.get("query_string", b"")):
            await app(scope, receive, send)
            return
        body = json.dumps(
            {"type": "about:blank", "title": "Internal error", "status": 500}
        ).encode()
        headers = [(b"content-type", b"application/problem+json")]
        await send({"type": "http.response.start", "status": 500, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return wrapped


def wrong_status(app: App, method: str, path: str, old: int, new: int) -> App:
    """A wrong status code: `old` answered as `new`."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if not _matches(scope, method, path):
            await app(scope, receive, send)
            return

        async def rewritten(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == old:
                message = {**message, "status": new}
            await send(message)

        await app(scope, receive, rewritten)

    return wrapped


def swap_key(app: App, method: str, path: str, key: str, when: Callable[[str | None], bool]) -> App:
    """Requests whose `X-API-Key` satisfies `when` are served as if they carried `key`."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if _matches(scope, method, path):
            headers = dict(scope["headers"])
            given = headers.get(b"x-api-key")
            if when(given.decode("latin-1") if given is not None else None):
                kept = [
                    (k, v) for k, v in scope["headers"] if k not in (b"x-api-key", b"authorization")
                ]
                scope = {**scope, "headers": [*kept, (b"x-api-key", key.encode())]}
        await app(scope, receive, send)

    return wrapped


def strip_header(app: App, method: str, path: str, header: bytes) -> App:
    """A header the contract gives meaning to (Idempotency-Key, Last-Event-ID) is ignored."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if _matches(scope, method, path):
            kept = [(k, v) for k, v in scope["headers"] if k.lower() != header]
            scope = {**scope, "headers": kept}
        await app(scope, receive, send)

    return wrapped


def empty_items(app: App, method: str, path: str) -> App:
    """A list that always answers an empty page."""

    def rewrite(body: bytes) -> bytes:
        try:
            document = json.loads(body)
        except ValueError:
            return body
        if isinstance(document, dict) and "items" in document:
            document.update(items=[], total=0, pages=0)
        return json.dumps(document).encode()

    return _rewrite_body(app, method, path, rewrite)


def replay_but_store_twice(app: App, method: str, path: str) -> App:
    """Replays the first answer to a repeated Idempotency-Key, yet processes the request again."""
    first: dict[bytes, list[Message]] = {}

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if not _matches(scope, method, path):
            await app(scope, receive, send)
            return
        key = dict(scope["headers"]).get(b"idempotency-key")
        kept = [(k, v) for k, v in scope["headers"] if k != b"idempotency-key"]
        messages: list[Message] = []

        async def record(message: Message) -> None:
            messages.append(message)

        await app({**scope, "headers": kept}, receive, record)
        if key is not None:
            messages = first.setdefault(key, messages)
        for message in messages:
            await send(message)

    return wrapped


def rewrite_json(app: App, method: str, path: str, change: Callable[[Any], None]) -> App:
    """A JSON answer changed in place by `change` (one field, one count, one enum value)."""

    def rewrite(body: bytes) -> bytes:
        try:
            document = json.loads(body)
        except ValueError:
            return body
        if isinstance(document, dict) and isinstance(document.get("status"), int):
            return body  # a Problem (its status is a number): leave error answers alone
        change(document)
        return json.dumps(document).encode()

    return _rewrite_body(app, method, path, rewrite)


SseEvent = dict[str, str]


def rewrite_events(
    app: App, method: str, path: str, change: Callable[[list[SseEvent]], list[SseEvent]]
) -> App:
    """A text/event-stream answer whose events (`id`, `event`, `data`) `change` rewrites."""

    def rewrite(body: bytes) -> bytes:
        text = body.decode()
        if "event:" not in text:
            return body
        events: list[SseEvent] = []
        for block in text.replace("\r\n", "\n").split("\n\n"):
            fields = dict(
                line.split(": ", 1) for line in block.split("\n") if ": " in line and line[0] != ":"
            )
            if fields:
                events.append(fields)
        out = [
            "\n".join(f"{k}: {v}" for k, v in event.items()) + "\n\n" for event in change(events)
        ]
        return "".join(out).encode()

    return _rewrite_body(app, method, path, rewrite)


def deleted_but_listed(app: App, delete: str, listed: str) -> App:
    """After `DELETE <delete>` answered 204, GET `<delete>/<listed>` answers an empty page.

    Only for the ids this server deleted: unknown ids and other tenants still get 404.
    """
    gone: set[str] = set()
    pattern = re.compile(delete)

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and scope["method"] == "DELETE" and pattern.fullmatch(path):

            async def remember(message: Message) -> None:
                if message["type"] == "http.response.start" and message["status"] == 204:
                    gone.add(path)
                await send(message)

            await app(scope, receive, remember)
            return
        parent = path.removesuffix("/" + listed)
        listing = scope["type"] == "http" and scope["method"] == "GET" and parent != path
        if not (listing and parent in gone):
            await app(scope, receive, send)
            return
        body = json.dumps({"items": [], "page": 1, "per_page": 20, "total": 0, "pages": 0})
        # The X-Request-ID every answer carries (the client's when well-formed): one fault only.
        sent = dict(scope["headers"]).get(b"x-request-id", b"")
        well_formed = re.fullmatch(rb"[A-Za-z0-9._:+/=@-]{1,128}", sent) is not None
        request_id = sent if well_formed else f"req_{uuid.uuid4().hex[:24]}".encode()
        headers = [(b"content-type", b"application/json"), (b"x-request-id", request_id)]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body.encode()})

    return wrapped


def drop_response_header(app: App, method: str, path: str, header: bytes) -> App:
    """A header the contract promises on every response (`X-Request-ID`) is left out."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if not _matches(scope, method, path):
            await app(scope, receive, send)
            return

        async def stripped(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() != header]
                message = {**message, "headers": kept}
            await send(message)

        await app(scope, receive, stripped)

    return wrapped


def rewrite_request_header(
    app: App, method: str, path: str, header: bytes, change: Callable[[bytes], bytes]
) -> App:
    """The server sees `change(value)` instead of the request's `header` (a proxy's rewrite)."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if _matches(scope, method, path):
            headers = [(k, change(v) if k.lower() == header else v) for k, v in scope["headers"]]
            scope = {**scope, "headers": headers}
        await app(scope, receive, send)

    return wrapped


def rewrite_problem(app: App, method: str, path: str, change: Callable[[Any], None]) -> App:
    """A Problem answer (`application/problem+json`) changed in place by `change`."""

    def rewrite(body: bytes) -> bytes:
        try:
            document = json.loads(body)
        except ValueError:
            return body
        if not (isinstance(document, dict) and isinstance(document.get("status"), int)):
            return body  # not a Problem
        change(document)
        return json.dumps(document).encode()

    return _rewrite_body(app, method, path, rewrite)


def for_key(app: App, key: str, broken_app: App) -> App:
    """Requests carrying the `X-API-Key` `key` go to `broken_app`, the others to `app`."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        given = (
            dict(scope.get("headers") or []).get(b"x-api-key") if scope["type"] == "http" else None
        )
        target = broken_app if given == key.encode() else app
        await target(scope, receive, send)

    return wrapped
