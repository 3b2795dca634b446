"""Broken variants of the reference server, one per promise of the contract's annotations.

Each breaks exactly one promise of `inventory(openapi.yaml)` and answers schema-valid bodies:
a list in the wrong order for one query, a filter ignored, a soft-deleted item still listed,
a write whose effect a later read does not show (a stale cache, a field dropped), a count off
by one, a timestamp before its predecessor. `test_promise_variants.py` proves that the promise
checks fail that promise and no other.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from tests.harness import broken
from tests.harness.broken import App, Message, Receive, Scope, Send, rewrite_json

CONV = "/v1/conversation/(?!deleted$|entity$)[^/]+"
AGENT_CONV = "/agents/[^/]+/conversations/[^/]+"
AGENT_LIST = "/agents/[^/]+/conversations"


@dataclass(frozen=True)
class PromiseVariant:
    """A broken server and the one promise (its inventory key) that must catch it."""

    promise: str
    wrap: Callable[[App], App]
    name: str = ""


def _query(scope: Scope) -> dict[str, list[str]]:
    return parse_qs(scope.get("query_string", b"").decode())


def when_query(app: App, test: Callable[[dict[str, list[str]]], bool], broken_app: App) -> App:
    """Requests whose query string passes `test` go to `broken_app`, the others to `app`."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        target = broken_app if scope["type"] == "http" and test(_query(scope)) else app
        await target(scope, receive, send)

    return wrapped


def reverse(app: App, path: str, pointer: str, test: Callable[[dict[str, list[str]]], bool]) -> App:
    """The list at `pointer` of `GET path` in reverse order, for queries passing `test`."""

    def change(document: Any) -> None:
        if pointer:
            document[pointer].reverse()
        else:
            document.reverse()

    return when_query(app, test, rewrite_json(app, "GET", path, change))


def plain(query: dict[str, list[str]]) -> bool:
    """No parameter other than paging."""
    return not set(query) - {"page", "per_page"}


def sorted_by(field: str, direction: str) -> Callable[[dict[str, list[str]]], bool]:
    """Queries asking for this sort."""
    return lambda q: q.get("sort_by") == [field] and q.get("sort_order") == [direction]


def drop_query(app: App, method: str, path: str, name: str) -> App:
    """A query parameter ignored (a filter the server forgets)."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if broken._matches(scope, method, path):
            query = _query(scope)
            query.pop(name, None)
            encoded = "&".join(f"{k}={v}" for k, values in query.items() for v in values)
            scope = {**scope, "query_string": encoded.encode()}
        await app(scope, receive, send)

    return wrapped


def rewrite_request(app: App, method: str, path: str, change: Callable[[Any], None]) -> App:
    """A JSON request body changed by `change` before the server reads it (a field dropped)."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if not broken._matches(scope, method, path):
            await app(scope, receive, send)
            return
        body = await broken.read_body(receive)
        try:
            document = json.loads(body)
            change(document)
            body = json.dumps(document).encode()
        except ValueError:
            pass
        headers = [(k, v) for k, v in scope["headers"] if k != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await app({**scope, "headers": headers}, broken.replaying(body), send)

    return wrapped


def cached_reads(app: App, read: str, invalidated_by: str) -> App:
    """`GET read` answers from a cache filled by an earlier read; writes matching
    `invalidated_by` (a regex on the path, any method but GET and DELETE) empty it."""
    cache: dict[str, tuple[Message, bytes]] = {}

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        writes = scope["type"] == "http" and scope["method"] not in ("GET", "DELETE")
        if writes and re.match(invalidated_by, path):
            cache.clear()
        if not broken._matches(scope, "GET", read):
            await app(scope, receive, send)
            return
        if path in cache:
            start, body = cache[path]
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        parts: list[Any] = []

        async def keep(message: Message) -> None:
            parts.append(message)
            await send(message)

        await app(scope, receive, keep)
        start = next(m for m in parts if m["type"] == "http.response.start")
        if start["status"] == 200:
            body = b"".join(m.get("body", b"") for m in parts if m["type"] == "http.response.body")
            cache[path] = (start, body)

    return wrapped


def deleted_still_listed(
    app: App, listed: str, delete: str, pointer: str, key: str, desc: bool
) -> App:
    """An active list that forgets `deleted_at IS NULL`: items deleted through `DELETE delete`
    come back (with `deleted_at` set) in plain reads of `GET listed`, `total` adjusted and the
    page kept sorted by `key`."""
    seen: dict[str, dict[str, Any]] = {}
    gone: dict[str, str] = {}

    def change(document: Any) -> None:
        items = document[pointer]
        for item in items:
            seen[str(item["id"])] = dict(item)
        present = {str(item["id"]) for item in items}
        back = [
            {**seen[i], "deleted_at": at}
            for i, at in gone.items()
            if i in seen and i not in present
        ]
        items += back
        items.sort(key=lambda item: item[key], reverse=desc)
        document["total"] = document.get("total", 0) + len(back)

    listing = when_query(app, plain, rewrite_json(app, "GET", listed, change))

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "DELETE"
            and re.fullmatch(delete, scope["path"])
        ):

            async def remember(message: Message) -> None:
                if message["type"] == "http.response.start" and message["status"] == 204:
                    gone[scope["path"].rsplit("/", 1)[1]] = "2025-01-01T00:00:00.000000+00:00"
                await send(message)

            await app(scope, receive, remember)
            return
        await listing(scope, receive, send)

    return wrapped


def frozen_updated_at(app: App, moved_by: str) -> App:
    """`getAgentConversation` keeps answering the first `updatedAt` it served for a
    conversation, until a write whose path matches `moved_by` (the one write that moves it)."""
    first: dict[str, str] = {}

    def change(document: Any) -> None:
        document["updatedAt"] = first.setdefault(str(document["id"]), document["updatedAt"])

    reading = rewrite_json(app, "GET", AGENT_CONV, change)

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and re.fullmatch(moved_by, scope["path"])
        ):
            first.pop(scope["path"].split("/")[4], None)
        await reading(scope, receive, send)

    return wrapped


def restored_but_marked(app: App) -> App:
    """Conversations deleted and then restored through this server still answer (the restore)
    and read with `deleted_at` set."""
    deleted: set[str] = set()
    restored: set[str] = set()

    def change(document: Any) -> None:
        if str(document.get("id")) in restored:
            document["deleted_at"] = document["updated_at"]

    reading = rewrite_json(app, "GET", CONV, change)
    restoring = rewrite_json(app, "PATCH", CONV + "/restore", change)

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if broken._matches(scope, "DELETE", CONV):
            deleted.add(path.split("/")[3])
        elif broken._matches(scope, "PATCH", CONV + "/restore"):
            if path.split("/")[3] in deleted:
                restored.add(path.split("/")[3])
            await restoring(scope, receive, send)
            return
        await reading(scope, receive, send)

    return wrapped


def _bump(pointer: str, by: int = 1) -> Callable[[Any], None]:
    def change(document: Any) -> None:
        *parents, last = pointer.strip("/").split("/")
        node = document
        for part in parents:
            node = node[part]
        node[last] = node[last] + by

    return change


def _each(items: str, change: Callable[[Any], None]) -> Callable[[Any], None]:
    def apply(document: Any) -> None:
        for item in document[items] if items else document:
            change(item)

    return apply


def _reversed(
    path: str, pointer: str, test: Callable[[dict[str, list[str]]], bool]
) -> Callable[[App], App]:
    return lambda app: reverse(app, path, pointer, test)


def _nulls_first(app: App) -> App:
    """`listConversations` sorted by `ended_at` descending lists, on each page, the
    conversations not ended first (the others still in order)."""

    def change(document: Any) -> None:
        document["items"].sort(key=lambda item: item.get("ended_at") is not None)

    broken_app = rewrite_json(app, "GET", "/v1/conversation", change)
    return when_query(app, sorted_by("ended_at", "desc"), broken_app)


def _bumped(method: str, path: str, pointer: str) -> Callable[[App], App]:
    return lambda app: rewrite_json(app, method, path, _bump(pointer))


def _more_context(document: Any) -> None:
    if "max_context_length" in document:
        document["max_context_length"] += 1


def _more_affected(document: Any) -> None:
    if document["affected"]:
        document["affected"] += 1


def _long_reversed(app: App) -> App:
    """Plain reads of agent conversations of more than four messages list them reversed (the
    scene's grown one; a new conversation and one follow-up hold four)."""

    def change(document: Any) -> None:
        if len(document["messages"]) > 4:
            document["messages"].reverse()

    return when_query(app, plain, rewrite_json(app, "GET", AGENT_CONV, change))


def _on_conversations(app: App, change: Callable[[Any], None]) -> App:
    """`change` applied to every answer holding conversations (create, read, update, end,
    restore, the lists), so that answers and reads agree."""
    lists = ("/v1/conversation", "/v1/conversation/entity", "/v1/conversation/deleted")
    for listed in lists:
        app = rewrite_json(app, "GET", listed, _each("items", change))
    for method, path in (
        ("POST", "/v1/conversation"),
        ("GET", CONV),
        ("PATCH", CONV),
        ("POST", CONV + "/end"),
        ("PATCH", CONV + "/restore"),
    ):
        app = rewrite_json(app, method, path, change)
    return app


def stale_after_patch(app: App) -> App:
    """A conversation PATCHed through this server answers and reads `updated_at` as its
    `created_at` (the PATCH does not move it), until another write changes it."""
    patched: set[str] = set()

    def change(document: Any) -> None:
        if str(document.get("id")) in patched:
            document["updated_at"] = document["created_at"]

    reading = rewrite_json(app, "GET", CONV, change)
    patching = rewrite_json(app, "PATCH", CONV, change)

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if broken._matches(scope, "PATCH", CONV):
            patched.add(path.split("/")[3])
            await patching(scope, receive, send)
            return
        if scope["type"] == "http" and scope["method"] != "GET" and path.startswith("/v1/"):
            parts = path.split("/")
            if len(parts) > 3 and parts[2] == "conversation":
                patched.discard(parts[3])
        await reading(scope, receive, send)

    return wrapped


def first_end_drops_feedback(app: App) -> App:
    """The first end of each conversation loses its feedback; later ones keep it."""
    ended: set[str] = set()
    end = "/v1/conversation/[^/]+/end"
    dropping = rewrite_request(app, "POST", end, lambda d: d.pop("feedback", None))

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if broken._matches(scope, "POST", end) and scope["path"] not in ended:
            ended.add(scope["path"])
            await dropping(scope, receive, send)
            return
        await app(scope, receive, send)

    return wrapped


LISTS = [
    ("listAgents", "/v1/agent", "items"),
    ("listConversations", "/v1/conversation", "items"),
    ("listConversationsForEntity", "/v1/conversation/entity", "items"),
    ("listDeletedConversations", "/v1/conversation/deleted", "items"),
    ("listConversationMessages", "/v1/conversation/[^/]+/messages", "items"),
    ("listDeletedMessages", "/v1/message/deleted", "items"),
    ("listQaConversations", "/api/v1/conversations", "conversations"),
    ("getQaConversation", "/api/v1/conversations/[^/]+", "messages"),
    ("listAgentConversations", "/agents/[^/]+/conversations", ""),
    ("getAgentConversation", AGENT_CONV, "messages"),
]
SORTS = [
    (field, direction)
    for field in ("created_at", "updated_at", "started_at", "ended_at", "title")
    for direction in ("asc", "desc")
]
STAMP = "2000-01-01T00:00:00.000000+00:00"
LATE = "2999-01-01T00:00:00.000000+00:00"

PROMISE_VARIANTS: list[PromiseVariant] = [
    *(
        PromiseVariant(
            f"order {op}",
            _reversed(path, items, plain) if op != "getAgentConversation" else _long_reversed,
            f"{op} lists in the reverse order",
        )
        for op, path, items in LISTS
    ),
    *(
        PromiseVariant(
            f"order listConversations sort_by={field} sort_order={direction}",
            _reversed("/v1/conversation", "items", sorted_by(field, direction)),
            f"listConversations ignores sort_by={field} sort_order={direction}",
        )
        for field, direction in SORTS
    ),
    PromiseVariant(
        "order listConversations sort_by=ended_at sort_order=desc",
        _nulls_first,
        "listConversations lists conversations not ended before the ended ones",
    ),
    PromiseVariant(
        "filter listConversations status",
        lambda app: drop_query(app, "GET", "/v1/conversation", "status"),
        "listConversations ignores its status filter",
    ),
    PromiseVariant(
        "filter listConversations agent_id",
        lambda app: drop_query(app, "GET", "/v1/conversation", "agent_id"),
        "listConversations ignores its agent_id filter",
    ),
    PromiseVariant(
        "visibility listConversations",
        lambda app: deleted_still_listed(
            app, "/v1/conversation", CONV, "items", "created_at", True
        ),
        "listConversations still shows soft-deleted conversations, total adjusted",
    ),
    PromiseVariant(
        "visibility listConversationsForEntity",
        lambda app: deleted_still_listed(
            app, "/v1/conversation/entity", CONV, "items", "created_at", True
        ),
        "the entity's list still shows soft-deleted conversations, total adjusted",
    ),
    PromiseVariant(
        "visibility listConversationMessages",
        lambda app: deleted_still_listed(
            app,
            "/v1/conversation/[^/]+/messages",
            "/v1/message/[^/]+",
            "items",
            "created_at",
            False,
        ),
        "the history still shows soft-deleted messages",
    ),
    PromiseVariant(
        "visibility listDeletedConversations",
        lambda app: rewrite_json(
            app,
            "GET",
            "/v1/conversation/deleted",
            lambda d: d.update(items=d["items"][1:], total=max(d["total"] - 1, 0)),
        ),
        "the deleted list forgets the most recently deleted conversation",
    ),
    PromiseVariant(
        "visibility listDeletedMessages",
        lambda app: rewrite_json(
            app,
            "GET",
            "/v1/message/deleted",
            lambda d: d["items"] and d["items"][0].update(deleted_at=None),
        ),
        "the deleted list shows a message without deleted_at",
    ),
    PromiseVariant(
        "effect createAgent getAgent",
        lambda app: rewrite_request(
            app, "POST", "/v1/agent", lambda d: d.update(name=d["name"] + "!")
        ),
        "createAgent stores another name than the one sent",
    ),
    PromiseVariant(
        "effect createConversation getConversation",
        lambda app: rewrite_request(app, "POST", "/v1/conversation", _more_context),
        "createConversation stores another max_context_length than the one sent",
    ),
    PromiseVariant(
        "effect updateConversation getConversation",
        stale_after_patch,
        "a PATCHed conversation answers and reads its old updated_at",
    ),
    PromiseVariant(
        "effect deleteConversation getConversation",
        lambda app: cached_reads(app, CONV, "/v1/conversation/"),
        "getConversation answers from a cache that a delete does not empty",
    ),
    PromiseVariant(
        "effect restoreConversation getConversation",
        restored_but_marked,
        "a restored conversation still answers and reads with deleted_at set",
    ),
    PromiseVariant(
        "effect endConversation getConversation",
        first_end_drops_feedback,
        "the first endConversation of a conversation drops the feedback",
    ),
    PromiseVariant(
        "effect deleteQaConversation getQaConversation",
        lambda app: _empty_after_delete(app),
        "a deleted Q&A conversation reads as an empty one",
    ),
    PromiseVariant(
        "effect deleteAgentConversation getAgentConversation",
        lambda app: cached_reads(app, AGENT_CONV, "/agents/"),
        "getAgentConversation answers from a cache that a delete does not empty",
    ),
    PromiseVariant(
        "effect addAgentMessage getAgentConversation",
        lambda app: frozen_updated_at(app, AGENT_CONV + "/message/[^/]+/regenerate"),
        "adding a message does not move the conversation's updatedAt",
    ),
    PromiseVariant(
        "effect regenerateAgentAnswer getAgentConversation",
        lambda app: frozen_updated_at(app, AGENT_CONV + "/messages"),
        "regenerating an answer does not move the conversation's updatedAt",
    ),
    PromiseVariant(
        "count listConversations Conversation.message_count",
        lambda app: _on_conversations(app, _bump("/message_count")),
        "a conversation's message_count one too many (every answer of one conversation)",
    ),
    PromiseVariant(
        "count listQaConversations QaConversationSummary.message_count",
        lambda app: rewrite_json(
            app, "GET", "/api/v1/conversations", _each("conversations", _bump("/message_count"))
        ),
        "Q&A message_count off by one",
    ),
    PromiseVariant(
        "count deleteQaConversation QaDeleteResult.deleted",
        lambda app: rewrite_json(
            app, "DELETE", "/api/v1/conversations/[^/]+", lambda d: d.update(deleted=0)
        ),
        "Q&A delete's deleted always 0",
    ),
    PromiseVariant(
        "count deleteConversationMessages BulkMessageResult.affected",
        lambda app: rewrite_json(
            app,
            "PATCH",
            "/v1/conversation/[^/]+/message/restore-all",
            _more_affected,
        ),
        "restoreAllMessages reports one message too many when it restored some",
    ),
    *(
        PromiseVariant(
            f"count getConversationAnalytics {schema}.{field}",
            _bumped("GET", "/v1/analytic/conversation/[^/]+", f"/{section}/{field}"),
            f"analytics {field} one too many",
        )
        for schema, section, field in (
            ("MessageStatistics", "message_statistics", "total_messages"),
            ("MessageStatistics", "message_statistics", "user_message_count"),
            ("MessageStatistics", "message_statistics", "agent_message_count"),
            ("MessageStatistics", "message_statistics", "deleted_message_count"),
            ("QualityMetrics", "quality_metrics", "rated_message_count"),
            ("QualityMetrics", "quality_metrics", "feedback_count"),
        )
    ),
    PromiseVariant(
        "timestamps listConversations Conversation",
        lambda app: rewrite_json(
            app,
            "GET",
            "/v1/conversation/deleted",
            _each("items", lambda c: c.update(updated_at=STAMP)),
        ),
        "the deleted list answers updated_at before created_at",
    ),
    PromiseVariant(
        "timestamps listAgentConversations AgentMessage",
        lambda app: rewrite_json(
            app,
            "GET",
            AGENT_LIST,
            _each("", _each("messages", lambda m: m.update(updatedAt=STAMP))),
        ),
        "listed agent messages' updatedAt before their createdAt",
    ),
    PromiseVariant(
        "timestamps listAgentConversations AgentConversation",
        lambda app: rewrite_json(
            app, "GET", AGENT_LIST, _each("", lambda d: d.update(createdAt=LATE))
        ),
        "listed agent conversations created after they were last updated",
    ),
]


def _empty_after_delete(app: App) -> App:
    """After `DELETE` of a Q&A conversation, its read answers 200 with no messages."""
    gone: set[str] = set()

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if broken._matches(scope, "DELETE", "/api/v1/conversations/[^/]+"):
            gone.add(path)
        elif broken._matches(scope, "GET", "/api/v1/conversations/[^/]+") and path in gone:
            headers = [(b"content-type", b"application/json")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": b'{"messages": []}'})
            return
        await app(scope, receive, send)

    return wrapped


# The variants of the promise kinds written apart (they import the helpers above).
from tests.harness import (  # noqa: E402
    promise_variants_a,
    promise_variants_b,
    promise_variants_c,
)

PROMISE_VARIANTS += promise_variants_a.VARIANTS
PROMISE_VARIANTS += promise_variants_b.VARIANTS
PROMISE_VARIANTS += promise_variants_c.VARIANTS
