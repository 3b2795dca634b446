"""Broken variants for the document's conventions (`x-parley-conventions`, kind `convention`).

A convention is judged by the checks its `judge` names. Those the harness runs without
schemathesis are proven here, one variant each, judged with every check of the harness
(`harness_checks`): each breaks what one convention promises of every answer, and no other
promise. Conventions judged only on schemathesis' answers (`FUZZ_JUDGED`) are proven by a
broken server of `tests/harness/variants.py` that one of their judges catches
(`test_broken_servers.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import hashlib
import json
import re
from types import SimpleNamespace
from typing import Any

from tests.harness import broken
from tests.harness.broken import App, Message, Receive, Scope, Send
from tests.harness.promise_variants import AGENT_CONV, CONV, PromiseVariant
from tests.harness.variants import VARIANTS as SERVER_VARIANTS

UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
FIRST = "listAgents"  # the document's first operation: a convention's promise is keyed by it


def key(convention: str) -> str:
    """The promise key of a convention of `openapi.yaml`."""
    return f"convention {FIRST} {convention}"


def reuse(name: str) -> Any:
    """The wrap of `variants.py`'s broken server `name`, for a bare app."""
    variant = next(v for v in SERVER_VARIANTS if v.name == name)
    return lambda app: variant.wrap(SimpleNamespace(app=app))  # type: ignore[arg-type]


def without_allow(app: App) -> App:
    """Every 405 answer without its `Allow` header."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        async def stripped(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                message = {**message, "headers": kept}
            await send(message)

        await app(scope, receive, stripped)

    return wrapped


def body_on_204(app: App) -> App:
    """deleteMessage's 204 answer announces a body (`Content-Length: 2`) it does not send: a
    client that trusted the header would wait for it (RFC 9110 forbids the header on 204)."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if not broken._matches(scope, "DELETE", "/v1/message/[^/]+"):
            await app(scope, receive, send)
            return

        async def announce(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 204:
                kept = [(k, v) for k, v in message.get("headers", []) if k != b"content-length"]
                message = {**message, "headers": [*kept, (b"content-length", b"2")]}
            await send(message)

        await app(scope, receive, announce)

    return wrapped


def key_bound_to_nothing(app: App, path: str) -> App:
    """POSTs to `path` with a reused `Idempotency-Key` and another body are processed anew.

    A same-key, same-body repeat still replays (the server's own store): only the 422 of a key
    reused with a different request is lost.
    """
    first: dict[bytes, bytes] = {}

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if not broken._matches(scope, "POST", path):
            await app(scope, receive, send)
            return
        body = await broken.read_body(receive)
        digest = hashlib.sha256(body).digest()
        headers = list(scope["headers"])
        given = dict(headers).get(b"idempotency-key")
        if given is not None and first.setdefault(given, digest) != digest:
            headers = [(k, v) for k, v in headers if k != b"idempotency-key"]
        await app({**scope, "headers": headers}, broken.replaying(body), send)

    return wrapped


def idempotent_unknown_delete(app: App, path: str) -> App:
    """A `DELETE path` of an id the server never issued (in no answer so far) is answered
    200 `{"deleted": 0}` instead of 404: nothing there, nothing removed."""

    issued: set[bytes] = set()

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if (
            not broken._matches(scope, "DELETE", path)
            or scope["path"].rsplit("/", 1)[1].encode() in issued
        ):

            async def remember(message: Message) -> None:
                issued.update(UUID.findall(message.get("body", b"")))
                await send(message)

            await app(scope, receive, remember if scope["type"] == "http" else send)
            return
        status: list[int] = []

        async def answer(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
                if message["status"] != 404:
                    await send(message)
            elif status != [404]:
                await send(message)
            elif not message.get("more_body", False):
                body = b'{"deleted": 0}'
                headers = [(b"content-type", b"application/json")]
                headers.append((b"content-length", str(len(body)).encode()))
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": body})

        await app(scope, receive, answer)

    return wrapped


def stream_key_forgotten(app: App, path: str) -> App:
    """A stream request to `path` repeated with its `Idempotency-Key` and no `Last-Event-ID`
    loses the key: it streams a new reply instead of replaying the first (a resume works)."""
    seen: set[bytes] = set()

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if broken._matches(scope, "POST", path):
            headers = dict(scope["headers"])
            given = headers.get(b"idempotency-key", b"")
            repeat = given in seen
            seen.add(given)
            if repeat and b"last-event-id" not in headers:
                kept = [(k, v) for k, v in scope["headers"] if k != b"idempotency-key"]
                scope = {**scope, "headers": kept}
        await app(scope, receive, send)

    return wrapped


def no_follow(app: App, path: str) -> App:
    """A stream repeat (`Last-Event-ID`) that arrives while its first stream is still open gets
    409 instead of following it; after the stream ended it resumes as it should.

    To be sure the first stream is open when the repeat comes, each stream of `path` holds its
    events after the first until a repeat of its key arrives, at most `HOLD` seconds.
    """
    running: dict[bytes, asyncio.Event] = {}

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if not broken._matches(scope, "POST", path):
            await app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        given = headers.get(b"idempotency-key", b"")
        if b"last-event-id" in headers and given in running:
            running[given].set()
            body = b'{"type": "about:blank", "title": "In flight", "status": 409}'
            start = [(b"content-type", b"application/problem+json")]
            start.append((b"content-length", str(len(body)).encode()))
            await send({"type": "http.response.start", "status": 409, "headers": start})
            await send({"type": "http.response.body", "body": body})
            return
        repeated = running.setdefault(given, asyncio.Event())
        bodies = 0

        async def held(message: Message) -> None:
            nonlocal bodies
            if message["type"] == "http.response.body" and bodies == 1:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(repeated.wait(), HOLD)
            bodies += message["type"] == "http.response.body"
            await send(message)

        try:
            await app(scope, receive, held)
        finally:
            running.pop(given, None)

    return wrapped


HOLD = 3.0


def large_body_400(app: App, method: str, path: str) -> App:
    """`method path` answers a body over 1 MiB with 400 instead of 413."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        length = int(dict(scope.get("headers") or []).get(b"content-length", b"0"))
        if not broken._matches(scope, method, path) or length <= 1 << 20:
            await app(scope, receive, send)
            return
        body = b'{"type": "about:blank", "title": "Bad Request", "status": 400}'
        start = [(b"content-type", b"application/problem+json")]
        start.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 400, "headers": start})
        await send({"type": "http.response.body", "body": body})

    return wrapped


def restored_rerated(app: App) -> App:
    """A restored conversation's analytics come back with an average message rating of 1.0
    (what no other promise reads: only a read before and after the delete and restore tells)."""
    restored: set[str] = set()

    def change(document: Any) -> None:
        if str(document.get("conversation_id")) in restored:
            document["quality_metrics"]["average_message_rating"] = 1.0

    reading = broken.rewrite_json(app, "GET", "/v1/analytic/conversation/[^/]+", change)

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if not broken._matches(scope, "PATCH", CONV + "/restore"):
            await reading(scope, receive, send)
            return

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                restored.add(scope["path"].split("/")[3])
            await send(message)

        await app(scope, receive, watch)

    return wrapped


def leaky_create(app: App, path: str, stored: bytes) -> App:
    """A `POST path` refused with 400 stores `stored` all the same (a half-done create),
    before the refusal is sent."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if not broken._matches(scope, "POST", path):
            await app(scope, receive, send)
            return
        held: list[Message] = []

        async def hold(message: Message) -> None:
            held.append(message)

        await app(scope, receive, hold)
        if [m["status"] for m in held if m["type"] == "http.response.start"] == [400]:
            headers = [(k, v) for k, v in scope["headers"] if k not in (b"content-length",)]
            headers.append((b"content-length", str(len(stored)).encode()))
            await app({**scope, "headers": headers}, broken.replaying(stored), broken.discard)
        for message in held:
            await send(message)

    return wrapped


def any_parent(app: App) -> App:
    """getAgentConversation reads a conversation through any known agent, not only its own."""
    agents: set[str] = set()
    owners: dict[str, str] = {}

    def agent_made(document: Any) -> None:
        agents.add(str(document.get("id")))

    def conversation_made(document: Any) -> None:
        owners[str(document.get("id"))] = str(document.get("agentKey"))

    made = broken.rewrite_json(app, "POST", "/v1/agent", agent_made)
    made = broken.rewrite_json(made, "POST", "/agents/[^/]+/conversations", conversation_made)

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if broken._matches(scope, "GET", AGENT_CONV):
            _, _, agent, _, conversation = scope["path"].split("/")
            if agent in agents and conversation in owners:
                path = f"/agents/{owners[conversation]}/conversations/{conversation}"
                scope = {**scope, "path": path, "raw_path": path.encode()}
        await made(scope, receive, send)

    return wrapped


def _problem(status: int) -> tuple[Message, Message]:
    body = json.dumps({"type": "about:blank", "title": "Refused", "status": status}).encode()
    headers = [(b"content-type", b"application/problem+json")]
    headers.append((b"content-length", str(len(body)).encode()))
    start = {"type": "http.response.start", "status": status, "headers": headers}
    return start, {"type": "http.response.body", "body": body}


def _key(scope: Scope) -> bytes:
    return dict(scope.get("headers") or []).get(b"x-api-key", b"")


def read_only_refused(app: App, path: str) -> App:
    """`GET path` refuses (403) a key once it was refused a write: a read-only key."""
    read_only: set[bytes] = set()

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if broken._matches(scope, "GET", path) and _key(scope) in read_only:
            for message in _problem(403):
                await send(message)
            return

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 403:
                read_only.add(_key(scope))
            await send(message)

        await app(scope, receive, watch if scope["type"] == "http" else send)

    return wrapped


def cross_tenant_delete(app: App, create: str, delete: str) -> App:
    """A `DELETE delete` another tenant sends, answered 404, deletes all the same: the
    resource's owner (the key whose `POST create` made it) loses it."""
    owners: dict[str, bytes] = {}

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if broken._matches(scope, "POST", create):
            key = _key(scope)

            def made(document: Any) -> None:
                owners[str(document.get("id"))] = key

            await broken.rewrite_json(app, "POST", create, made)(scope, receive, send)
            return
        owner = owners.get(scope["path"].rsplit("/", 1)[1])
        if broken._matches(scope, "DELETE", delete) and owner not in (None, _key(scope)):
            # The owner's delete lands before the 404 is sent, so no later read races it.
            headers = [(k, v) for k, v in scope["headers"] if k != b"x-api-key"]
            headers.append((b"x-api-key", owner))
            await app({**scope, "headers": headers}, broken.replaying(b""), broken.discard)
        await app(scope, receive, send)

    return wrapped


def in_flight_key_dropped(app: App, path: str) -> App:
    """A `POST path` whose `Idempotency-Key` another request still holds is processed without
    the key (as a new write), instead of 409; keys already answered replay as before."""
    running: set[bytes] = set()

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if not broken._matches(scope, "POST", path):
            await app(scope, receive, send)
            return
        key = dict(scope["headers"]).get(b"idempotency-key", b"")
        if key and key in running:
            headers = [(k, v) for k, v in scope["headers"] if k != b"idempotency-key"]
            await app({**scope, "headers": headers}, receive, send)
            return
        running.add(key)
        try:
            await app(scope, receive, send)
        finally:
            running.discard(key)

    return wrapped


def inflating(app: App, path: str) -> App:
    """A gzip body of `POST path` is inflated and served as if sent plain (not 415)."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope["headers"])
        if not broken._matches(scope, "POST", path) or headers.get(b"content-encoding") != b"gzip":
            await app(scope, receive, send)
            return
        plain = gzip.decompress(await broken.read_body(receive))
        kept = [
            (k, v) for k, v in scope["headers"] if k not in (b"content-encoding", b"content-length")
        ]
        kept.append((b"content-length", str(len(plain)).encode()))
        await app({**scope, "headers": kept}, broken.replaying(plain), send)

    return wrapped


def _yesterday(document: Any) -> None:
    if isinstance(document, dict) and "created_at" in document:
        document["created_at"] = "yesterday"


VARIANTS: list[PromiseVariant] = [
    PromiseVariant(
        key("problem-status"),
        lambda app: broken.rewrite_problem(
            app, "GET", "/v1/agent/[^/]+", lambda d: d.update(status=400)
        ),
        "getAgent's 404 Problem says status 400",
    ),
    PromiseVariant(key("no-content"), body_on_204, "deleteMessage's 204 announces a body"),
    PromiseVariant(key("allow-405"), without_allow, "405 answers without Allow"),
    PromiseVariant(
        key("schema"),
        lambda app: broken.rewrite_json(
            broken.rewrite_json(app, "GET", "/v1/agent/[^/]+", _yesterday),
            "POST",
            "/v1/agent",
            _yesterday,
        ),
        "createAgent and getAgent answer created_at 'yesterday', not a date-time",
    ),
    PromiseVariant(
        key("unknown-id"),
        lambda app: idempotent_unknown_delete(app, "/api/v1/conversations/[^/]+"),
        "deleteQaConversation of an unknown id answers 200, deleted 0",
    ),
    PromiseVariant(
        key("idempotent-replay"),
        lambda app: stream_key_forgotten(app, "/agents/[^/]+/conversations/stream"),
        "streamAgentConversation repeated with its key streams a new reply",
    ),
    PromiseVariant(
        key("stream-resume"),
        lambda app: no_follow(app, "/agents/[^/]+/conversations/stream"),
        "streamAgentConversation's repeat gets 409 while the stream still runs",
    ),
    PromiseVariant(
        key("payload-too-large"),
        lambda app: large_body_400(app, "POST", "/v1/agent"),
        "createAgent answers a 4 MiB body 400, not 413",
    ),
    PromiseVariant(
        key("soft-delete"), restored_rerated, "a restored conversation's average rating changes"
    ),
    PromiseVariant(
        key("rejected-write"),
        lambda app: leaky_create(app, "/v1/agent", b'{"name": "leaked"}'),
        "createAgent refused with 400 stores an agent all the same",
    ),
    PromiseVariant(
        key("wrong-parent"),
        any_parent,
        "getAgentConversation answers a conversation through another agent",
    ),
    PromiseVariant(
        key("scopes"),
        lambda app: read_only_refused(app, "/v1/agent"),
        "listAgents refuses a read-only key",
    ),
    PromiseVariant(
        key("tenancy"),
        lambda app: cross_tenant_delete(app, "/agents/[^/]+/conversations", AGENT_CONV),
        "another tenant's delete of an agent conversation answers 404 but deletes it",
    ),
    PromiseVariant(key("stream-events"), reuse("stream event ids skip a number"), "ids skip"),
    PromiseVariant(key("pagination"), reuse("total one too many"), "total one too many"),
    PromiseVariant(
        key("compressed-body"),
        lambda app: inflating(app, "/v1/agent"),
        "createAgent inflates a gzip body instead of answering 415",
    ),
    PromiseVariant(
        key("idempotency-in-flight"),
        lambda app: in_flight_key_dropped(app, "/v1/agent"),
        "createAgent processes a repeat whose key is still in flight as a new write",
    ),
    PromiseVariant(
        key("idempotency-key-reuse"),
        lambda app: key_bound_to_nothing(app, "/v1/agent"),
        "createAgent processes a reused key with another body anew",
    ),
]

FUZZ_JUDGED: dict[str, str] = {
    key("request-id"): "a well-formed X-Request-ID answered as another id",
    key("problem-details"): "field missing from a response",
    key("authentication"): "auth ignored on one operation",
}
"""Convention promise key -> the `variants.py` broken server one of its judges catches."""

ALONE: dict[str, str] = {
    key(
        "authentication"
    ): "test_conventions.py::test_unauthenticated_catches_a_401_without_schemes",
    key(
        "malformed-http"
    ): "test_conventions.py::test_malformed_http_judges_the_answer_and_the_close",
}
"""Convention promise key -> the test that proves its harness judge on a broken server of its
own (requests the promise server cannot route to a variant: they carry no tenant's key, or
never reach an ASGI app)."""
