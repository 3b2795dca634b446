"""Broken variants for the promise kinds outcome, read_back and answer: one per promise, each
caught by that promise's check alone.

An outcome's variant answers another status (or a Problem that is not one) in the state its
item reaches; a read-back's answers a write whose answer differs from what a later read shows
(or reads back another value than the one the item names); an answer's answers a write whose
answer, consistent with what is stored, breaks what the item says it holds against the
request. `promise_variants.PROMISE_VARIANTS` adds them (it imports this module last, so that
the helpers used here are defined by then).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from typing import Any

from tests.harness import promise_variants as pv
from tests.harness.broken import (
    App,
    Message,
    Receive,
    Scope,
    Send,
    read_body,
    replaying,
    rewrite_json,
    wrong_status,
)

CONV = r"/v1/conversation/(?P<id>(?!deleted$|entity$)[^/]+)"
MESSAGE = r"/v1/message/(?P<id>[^/]+)"
AGENT_CONV = r"/agents/[^/]+/conversations/(?P<id>(?!stream$)[^/]+)"
QA = "/api/v1/chat"
STAMP = "2000-01-01T00:00:00.000000+00:00"


def _id(pattern: str, scope: Scope, method: str) -> str | None:
    """The ``id`` group of ``pattern`` in the request's path, when method and path match."""
    if scope["type"] != "http" or scope["method"] != method:
        return None
    found = re.fullmatch(pattern, scope["path"])
    return found["id"] if found else None


def after(
    write: tuple[str, str],
    then: tuple[str, str],
    broken: Callable[[App], App],
    sent: Callable[[Any], bool] = lambda _body: True,
) -> Callable[[App], App]:
    """Once ``write`` (method, path with an ``id`` group) succeeded on a resource, with a JSON
    body passing ``sent``, the requests ``then`` (method, path) on that resource go through
    ``broken(app)``."""

    def wrap(app: App) -> App:
        marked: set[str] = set()
        changed = broken(app)

        async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
            if (found := _id(then[1], scope, then[0])) is not None and found in marked:
                await changed(scope, receive, send)
                return
            written = _id(write[1], scope, write[0])
            if written is None:
                await app(scope, receive, send)
                return
            raw = await read_body(receive)
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None

            async def watch(message: Message) -> None:
                ok = message["type"] == "http.response.start" and message["status"] < 300
                if ok and sent(body):
                    marked.add(written)
                await send(message)

            await app(scope, replaying(raw), watch)

        return wrapped

    return wrap


def status_of(old: int, new: int, path: str, method: str = "POST") -> Callable[[App], App]:
    """``old`` answered as ``new`` on ``method path``."""
    return lambda app: wrong_status(app, method, path, old, new)


def _not_a_problem(app: App) -> App:
    """``GET /v1/conversation/{id}``'s 404 answered as ``application/json``, not a Problem."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if _id(CONV, scope, "GET") is None:
            await app(scope, receive, send)
            return

        async def plain(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 404:
                headers = [(k, v) for k, v in message["headers"] if k.lower() != b"content-type"]
                message = {**message, "headers": [*headers, (b"content-type", b"application/json")]}
            await send(message)

        await app(scope, receive, plain)

    return wrapped


def _empty_list(app: App) -> App:
    """``GET /agents/{key}/conversations`` of an agent nobody made answers 200 and ``[]``."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if _id(r"/agents/(?P<id>[^/]+)/conversations", scope, "GET") is None:
            await app(scope, receive, send)
            return
        status = 0

        async def swap(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if status == 404:
                    headers = [(b"content-type", b"application/json"), (b"content-length", b"2")]
                    message = {**message, "status": 200, "headers": headers}
            elif status == 404 and message["type"] == "http.response.body":
                message = {"type": "http.response.body", "body": b"[]", "more_body": False}
            await send(message)

        await app(scope, receive, swap)

    return wrapped


def answered(method: str, path: str, change: Callable[[Any], None]) -> Callable[[App], App]:
    """The JSON answer of ``method path`` changed by ``change``."""
    return lambda app: rewrite_json(app, method, path, change)


def _set(pointer: str, value: Callable[[Any], Any]) -> Callable[[Any], None]:
    """Set the member at ``pointer`` (objects only) to ``value(its current value)``."""

    def change(document: Any) -> None:
        *parents, last = pointer.strip("/").split("/")
        node = document
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[last] = value(node.get(last))

    return change


def _twice(document: Any) -> None:
    """The last message stored twice: a copy of it, with an id of its own, appended."""
    last = document["messages"][-1]
    copy = {**last, "id": str(uuid.uuid5(uuid.NAMESPACE_URL, str(last["id"])))}
    document["messages"].append(copy)


def _padded(document: Any) -> None:
    """The history starts with many copies of its first exchange."""
    document["history"][:0] = [document["history"][0]] * 60


def _edited(document: Any) -> None:
    """Each Q&A message's question stored edited."""
    for message in document.get("messages", ()):
        message["question"] = message["question"] + " (edited)"


def _both(*wraps: Callable[[App], App]) -> Callable[[App], App]:
    def wrap(app: App) -> App:
        for one in wraps:
            app = one(app)
        return app

    return wrap


def _without(name: str) -> Callable[[Any], None]:
    return lambda body: body.pop(name, None)


V = pv.PromiseVariant
CHAT = CONV + "/chat"


def _status_is(status: str) -> Callable[[Any], bool]:
    """Whether a request body sets ``status`` to this value."""
    return lambda body: isinstance(body, dict) and body.get("status") == status


def _draft(text: Any) -> str:
    return f"{text} (draft)"


ARCHIVED, ENDED, DRAFT = _status_is("archived"), _status_is("ended"), _draft

VARIANTS: list[pv.PromiseVariant] = [
    V(
        "outcome createConversation 404 #0",
        status_of(404, 422, "/v1/conversation"),
        "a conversation with an agent nobody made answers 422, not 404",
    ),
    V(
        "outcome getConversation 404 #0",
        _not_a_problem,
        "a deleted conversation answers 404 as plain JSON, not a Problem",
    ),
    V(
        "outcome sendMessage 409 #0",
        after(("POST", CONV + "/end"), ("POST", CHAT), status_of(409, 422, CHAT)),
        "a message to an ended conversation answers 422, not 409",
    ),
    V(
        "outcome sendMessage 409 #1",
        after(("PATCH", CONV), ("POST", CHAT), status_of(409, 422, CHAT), ARCHIVED),
        "a message to an archived conversation answers 422, not 409",
    ),
    V(
        "outcome qaChat 404 #0",
        status_of(404, 400, QA),
        "a question in a Q&A conversation nobody made answers 400, not 404",
    ),
    V(
        "outcome listAgentConversations 404 #0",
        _empty_list,
        "the conversations of an agent nobody made are an empty list, not 404",
    ),
    V(
        "outcome getAgentConversation 405 #0",
        status_of(405, 404, "/agents/[^/]+/conversations/stream", "GET"),
        "GET of the stream path answers 404, not 405",
    ),
    V(
        "outcome regenerateAgentAnswer 422 #0",
        status_of(422, 409, AGENT_CONV + "/message/[^/]+/regenerate"),
        "regenerating a user message answers 409, not 422",
    ),
    V(
        "read_back createAgent getAgent #0",
        answered("POST", "/v1/agent", _set("/description", DRAFT)),
        "createAgent answers another description than it stores",
    ),
    V(
        "read_back createConversation listConversationsForEntity #0",
        answered("GET", "/v1/conversation/entity", pv._each("items", _set("/title", DRAFT))),
        "the entity's list shows other titles than the conversations have",
    ),
    V(
        "read_back createConversation getConversation #1",
        lambda app: pv.rewrite_request(
            app, "POST", "/v1/conversation", lambda b: b.setdefault("max_context_length", 10)
        ),
        "a conversation created without max_context_length gets 10, not 20",
    ),
    V(
        "read_back updateConversation getConversation #0",
        answered("PATCH", CONV, lambda d: d.update(updated_at=d["created_at"])),
        "updateConversation answers a stale updated_at",
    ),
    V(
        "read_back updateConversation getConversation #1",
        after(
            ("PATCH", CONV),
            ("GET", CONV),
            answered("GET", CONV, _set("/status", lambda _: "active")),
            ARCHIVED,
        ),
        "an archived conversation reads back active",
    ),
    V(
        "read_back updateConversation getConversation #2",
        after(
            ("PATCH", CONV),
            ("GET", CONV),
            answered("GET", CONV, _set("/ended_at", lambda _: None)),
            ENDED,
        ),
        "a conversation ended by updateConversation reads back without ended_at",
    ),
    V(
        "read_back restoreConversation getConversation #0",
        after(
            ("DELETE", CONV),
            ("PATCH", CONV + "/restore"),
            answered("PATCH", CONV + "/restore", lambda d: d.update(deleted_at=d["updated_at"])),
        ),
        "restoring a deleted conversation answers it still deleted",
    ),
    V(
        "read_back endConversation getConversation #0",
        answered("POST", CONV + "/end", lambda d: d.update(updated_at=d["created_at"])),
        "endConversation answers a stale updated_at",
    ),
    V(
        "read_back endConversation getConversationAnalytics #1",
        answered(
            "GET",
            "/v1/analytic/conversation/[^/]+",
            _set("/quality_metrics/satisfaction_rating", lambda r: r if r is None else r % 5 + 1),
        ),
        "analytics show another satisfaction rating than the conversation's",
    ),
    V(
        "read_back sendMessage listConversationMessages #0",
        answered("POST", CHAT, _set("/message/created_at", lambda _: STAMP)),
        "sendMessage answers another created_at for the reply than it stores",
    ),
    V(
        "read_back sendMessage listConversationMessages #1",
        answered("POST", CHAT, _set("/user_message/created_at", lambda _: STAMP)),
        "sendMessage answers another created_at for the user's message than it stores",
    ),
    V(
        "read_back restoreMessage listConversationMessages #0",
        after(
            ("DELETE", MESSAGE),
            ("PATCH", MESSAGE + "/restore"),
            answered("PATCH", MESSAGE + "/restore", lambda d: d.update(deleted_at=d["created_at"])),
        ),
        "restoring a deleted message answers it still deleted",
    ),
    V(
        "read_back rateMessage listConversationMessages #0",
        answered("POST", MESSAGE + "/rate", _set("/created_at", lambda _: STAMP)),
        "rateMessage answers another created_at than the message has",
    ),
    V(
        "read_back qaChat getQaConversation #0",
        answered("POST", QA, _set("/message/answer", DRAFT)),
        "qaChat answers another answer than it stores",
    ),
    V(
        "read_back qaChat listQaConversations #1",
        answered("GET", "/api/v1/conversations", pv._each("conversations", _set("/title", DRAFT))),
        "the Q&A list's titles are not the first questions",
    ),
    V(
        "read_back createAgentConversation getAgentConversation #0",
        answered("POST", "/agents/[^/]+/conversations", _set("/messages/-1/content", DRAFT)),
        "createAgentConversation answers another reply than it stores",
    ),
    V(
        "read_back addAgentMessage getAgentConversation #0",
        answered("POST", AGENT_CONV + "/messages", _set("/messages/-1/content", DRAFT)),
        "addAgentMessage answers another reply than it stores",
    ),
    V(
        "read_back regenerateAgentAnswer getAgentConversation #0",
        answered(
            "POST", AGENT_CONV + "/message/[^/]+/regenerate", _set("/messages/-1/content", DRAFT)
        ),
        "regenerateAgentAnswer answers another reply than it stores",
    ),
    V(
        "answer sendMessage #0",
        answered("POST", CHAT, _set("/history/-1/assistant_response", DRAFT)),
        "sendMessage's history ends with another reply than the one it answers",
    ),
    V(
        "answer sendMessage #1",
        answered("POST", CHAT, _padded),
        "sendMessage's history is longer than the conversation's max_context_length",
    ),
    V(
        "answer qaChat #0",
        _both(
            answered("POST", QA, lambda d: _edited({"messages": [d["message"]]})),
            answered("GET", "/api/v1/conversations/[^/]+", _edited),
        ),
        "qaChat stores and answers the question edited",
    ),
    V(
        "answer createAgentConversation #0",
        lambda app: pv.rewrite_request(
            app, "POST", "/agents/[^/]+/conversations", _without("recordIds")
        ),
        "createAgentConversation drops the recordIds it was sent",
    ),
    V(
        "answer addAgentMessage #0",
        _both(
            answered("POST", AGENT_CONV + "/messages", _twice),
            after(
                ("POST", AGENT_CONV + "/messages"),
                ("GET", AGENT_CONV),
                answered("GET", AGENT_CONV, _twice),
            ),
        ),
        "addAgentMessage stores (and answers) its reply twice",
    ),
]
