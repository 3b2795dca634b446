"""Broken variants for the promise kinds derived, keep, repeat, lands, idempotent, stream and
disconnect: one per promise, each caught by that promise's check alone.

`promise_variants.PROMISE_VARIANTS` adds them (it imports this module last, so that the
helpers used here are defined by then).
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.harness import broken
from tests.harness import promise_variants as pv
from tests.harness.broken import App, Message, Receive, Scope, Send, rewrite_json

ANALYTICS = "/v1/analytic/conversation/[^/]+"

VARIANTS: list[pv.PromiseVariant] = [
    pv.PromiseVariant(
        "derived getConversationAnalytics MessageStatistics.average_message_length",
        lambda app: rewrite_json(
            app, "GET", ANALYTICS, pv._bump("/message_statistics/average_message_length")
        ),
        "analytics' mean message length one character too long",
    ),
    pv.PromiseVariant(
        "derived getConversationAnalytics ConversationFlow.duration_minutes",
        lambda app: rewrite_json(
            app, "GET", ANALYTICS, pv._bump("/conversation_flow/duration_minutes")
        ),
        "analytics' duration one minute too long",
    ),
]

MESSAGES = "/v1/conversation/[^/]+/messages"
REGENERATE = pv.AGENT_CONV + "/message/[^/]+/regenerate"


def _only(names: set[str], change: Callable[[Any], None]) -> Callable[[Any], None]:
    """`change` applied to request bodies whose members are exactly `names`."""

    def apply(document: Any) -> None:
        if isinstance(document, dict) and set(document) == names:
            change(document)

    return apply


def messages_lost_on_delete(app: App) -> App:
    """A conversation soft-deleted through this server reads with no messages once back."""
    deleted: set[str] = set()

    def change(document: Any) -> None:
        document.update(items=[], total=0)

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if broken._matches(scope, "DELETE", pv.CONV):
            deleted.add(path.split("/")[3])
        elif broken._matches(scope, "GET", MESSAGES) and path.split("/")[3] in deleted:
            await rewrite_json(app, "GET", MESSAGES, change)(scope, receive, send)
            return
        await app(scope, receive, send)

    return wrapped


def renamed_by_regenerate(app: App) -> App:
    """An agent conversation whose answer was regenerated answers another title (the
    regenerate's answer and every later read of it agree)."""
    renamed: set[str] = set()

    def change(document: Any) -> None:
        if str(document.get("id")) in renamed:
            document["title"] = f"{document.get('title') or ''} (regenerated)"

    reads = rewrite_json(app, "GET", pv.AGENT_CONV, change)

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if broken._matches(scope, "POST", REGENERATE):
            renamed.add(scope["path"].split("/")[4])
            await rewrite_json(app, "POST", REGENERATE, change)(scope, receive, send)
            return
        await reads(scope, receive, send)

    return wrapped


VARIANTS += [
    pv.PromiseVariant(
        "keep updateConversation getConversation /metadata,/status",
        lambda app: pv.rewrite_request(
            app, "PATCH", pv.CONV, _only({"title"}, lambda d: d.update(metadata={}))
        ),
        "a PATCH of the title alone clears the metadata",
    ),
    pv.PromiseVariant(
        "keep updateConversation getConversation /title,/status",
        lambda app: pv.rewrite_request(
            app, "PATCH", pv.CONV, _only({"metadata"}, lambda d: d.update(title="Renamed"))
        ),
        "a PATCH of the metadata alone renames the conversation",
    ),
    pv.PromiseVariant(
        "keep deleteConversation listConversationMessages /items,/total",
        messages_lost_on_delete,
        "a soft-deleted conversation loses its messages (restored, it has none)",
    ),
    pv.PromiseVariant(
        "keep regenerateAgentAnswer getAgentConversation "
        "/messages/0,/messages/1/id,/messages/1/messageType,/messages/1/createdAt,/title",
        renamed_by_regenerate,
        "regenerating an answer renames the conversation",
    ),
]


def merged_metadata(app: App) -> App:
    """A PATCH's metadata is merged into what earlier PATCHes of the conversation sent."""
    sent: dict[str, dict[str, Any]] = {}

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if not broken._matches(scope, "PATCH", pv.CONV):
            await app(scope, receive, send)
            return
        earlier = sent.setdefault(scope["path"], {})

        def merge(document: Any) -> None:
            if isinstance(document, dict) and isinstance(document.get("metadata"), dict):
                earlier.update(document["metadata"])
                document["metadata"] = dict(earlier)

        await pv.rewrite_request(app, "PATCH", pv.CONV, merge)(scope, receive, send)

    return wrapped


def first_body_sticks(app: App, method: str, path: str) -> App:
    """Each later request to the same path is served with the body its first one sent."""
    first: dict[str, Any] = {}

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if not broken._matches(scope, method, path):
            await app(scope, receive, send)
            return

        def stick(document: Any) -> None:
            kept = first.setdefault(scope["path"], dict(document))
            document.clear()
            document.update(kept)

        await pv.rewrite_request(app, method, path, stick)(scope, receive, send)

    return wrapped


VARIANTS += [
    pv.PromiseVariant(
        "repeat updateConversation getConversation",
        merged_metadata,
        "updating the metadata merges it into the earlier metadata",
    ),
    pv.PromiseVariant(
        "repeat endConversation getConversation",
        lambda app: first_body_sticks(app, "POST", "/v1/conversation/[^/]+/end"),
        "ending an ended conversation again keeps the first rating and feedback",
    ),
    pv.PromiseVariant(
        "repeat rateMessage listConversationMessages",
        lambda app: first_body_sticks(app, "POST", "/v1/message/[^/]+/rate"),
        "rating a message again keeps the first rating",
    ),
]


@dataclass(frozen=True)
class Parents:
    """Where a lands variant sees parents made and read, and the write that names one.

    Attributes:
        create: (method, path regex) of the write that makes a parent.
        id_at: The member of its answer holding the parent's id.
        read: Path regex of a read of a parent; `depth` segments of it end with the id.
        depth: How many path segments up to and including the parent's id.
        write: (method, path regex) of the write under test.
        body_at: The member of the write's body that names the parent ("" for the path).
    """

    create: tuple[str, str]
    id_at: str
    read: str
    depth: int
    write: tuple[str, str]
    body_at: str = ""


def lands_next_door(app: App, parents: Parents) -> App:
    """A write naming parent P lands in Q instead, where Q is the parent made right after P
    and read since, when it is the first write naming P (the mix-up of two fresh parents)."""
    made: list[str] = []
    prefix: dict[str, str] = {}
    written: set[str] = set()

    def remember(document: Any) -> None:
        found = document.get(parents.id_at) if isinstance(document, dict) else None
        if found is not None and str(found) not in made:
            made.append(str(found))

    creating = rewrite_json(app, *parents.create, remember)

    def swap(named: str) -> str | None:
        if named in written or named not in made:
            return None
        written.add(named)
        later = made[made.index(named) + 1 :]
        return later[0] if later and later[0] in prefix else None

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if broken._matches(scope, "GET", parents.read):
            parts = path.split("/")[: parents.depth + 1]
            prefix.setdefault(parts[-1], "/".join(parts))
        if broken._matches(scope, *parents.write) and not parents.body_at:
            parts = path.split("/")
            other = swap(parts[parents.depth])
            if other is not None:
                rest = "/".join(parts[parents.depth + 1 :])
                scope = {**scope, "path": prefix[other] + ("/" + rest if rest else "")}
        elif broken._matches(scope, *parents.write):

            def redirect(document: Any) -> None:
                if isinstance(document, dict) and document.get(parents.body_at):
                    other = swap(str(document[parents.body_at]))
                    if other is not None:
                        document[parents.body_at] = other

            await pv.rewrite_request(creating, *parents.write, redirect)(scope, receive, send)
            return
        await creating(scope, receive, send)

    return wrapped


LANDS = {
    "lands sendMessage listConversationMessages": Parents(
        ("POST", "/v1/conversation"),
        "id",
        MESSAGES,
        3,
        ("POST", "/v1/conversation/[^/]+/chat"),
    ),
    "lands qaChat getQaConversation": Parents(
        ("POST", "/api/v1/chat"),
        "conversation_id",
        "/api/v1/conversations/[^/]+",
        4,
        ("POST", "/api/v1/chat"),
        "conversation_id",
    ),
    "lands createAgentConversation listAgentConversations": Parents(
        ("POST", "/v1/agent"),
        "id",
        "/agents/[^/]+/conversations",
        2,
        ("POST", "/agents/[^/]+/conversations"),
    ),
    "lands addAgentMessage getAgentConversation": Parents(
        ("POST", "/agents/[^/]+/conversations"),
        "id",
        pv.AGENT_CONV,
        4,
        ("POST", pv.AGENT_CONV + "/messages"),
    ),
}

VARIANTS += [
    pv.PromiseVariant(
        key,
        functools.partial(lands_next_door, parents=parents),
        f"{key.split()[1]} lands in the parent made after the one it names",
    )
    for key, parents in LANDS.items()
]


def undeleted_restore_changes(
    app: App, delete: str, restore: str, segment: int, change: Callable[[Any], None]
) -> App:
    """The answer of a restore (PATCH `restore`) of what no DELETE `delete` removed is changed
    by `change`."""
    deleted: set[str] = set()

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if broken._matches(scope, "DELETE", delete):
            deleted.add(path.split("/")[segment])
        elif broken._matches(scope, "PATCH", restore):
            if path.split("/")[segment] not in deleted:
                await rewrite_json(app, "PATCH", restore, change)(scope, receive, send)
                return
            deleted.discard(path.split("/")[segment])
        await app(scope, receive, send)

    return wrapped


def again_affects_one(app: App, method: str, path: str) -> App:
    """A second bulk call on the same path answers that it affected one more item."""
    seen: set[str] = set()

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if broken._matches(scope, method, path):
            if scope["path"] in seen:
                await rewrite_json(app, method, path, pv._bump("/affected"))(scope, receive, send)
                return
            seen.add(scope["path"])
        await app(scope, receive, send)

    return wrapped


VARIANTS += [
    pv.PromiseVariant(
        "idempotent restoreConversation",
        lambda app: undeleted_restore_changes(
            app,
            pv.CONV,
            "/v1/conversation/[^/]+/restore",
            3,
            lambda d: d.update(updated_at=pv.LATE),
        ),
        "restoring a conversation that is not deleted answers it with updated_at moved",
    ),
    pv.PromiseVariant(
        "idempotent restoreMessage",
        lambda app: undeleted_restore_changes(
            app,
            "/v1/message/[^/]+",
            "/v1/message/[^/]+/restore",
            3,
            lambda d: d.update(content=d["content"] + " (restored)"),
        ),
        "restoring a message that is not deleted answers it changed",
    ),
    pv.PromiseVariant(
        "idempotent deleteConversationMessages",
        lambda app: again_affects_one(app, "DELETE", MESSAGES),
        "a second bulk delete of a conversation's messages reports one affected",
    ),
    pv.PromiseVariant(
        "idempotent restoreAllMessages",
        lambda app: again_affects_one(app, "PATCH", "/v1/conversation/[^/]+/message/restore-all"),
        "a second bulk restore of a conversation's messages reports one affected",
    ),
]


def _event_data(
    name: str, change: Callable[[Any], None]
) -> Callable[[list[broken.SseEvent]], list[broken.SseEvent]]:
    """Rewrites the JSON data of every event called `name`."""

    def rewrite(events: list[broken.SseEvent]) -> list[broken.SseEvent]:
        for event in events:
            if event.get("event") == name:
                data = json.loads(event["data"])
                change(data)
                event["data"] = json.dumps(data)
        return events

    return rewrite


def _last_message_edited(data: Any) -> None:
    data["messages"][-1]["content"] += " (edited)"


VARIANTS += [
    pv.PromiseVariant(
        "stream sendMessage",
        lambda app: broken.rewrite_events(
            app,
            "POST",
            "/v1/conversation/[^/]+/chat",
            _event_data("delta", lambda d: d.update(index=d["index"] + 1)),
        ),
        "sendMessage's delta indexes start at 1",
    ),
    pv.PromiseVariant(
        "stream streamAgentConversation",
        lambda app: broken.rewrite_events(
            app,
            "POST",
            "/agents/[^/]+/conversations/stream",
            _event_data("start", lambda d: d.update(messageId=str(uuid.uuid4()))),
        ),
        "the agent stream's start names another message id than the one it stores",
    ),
    pv.PromiseVariant(
        "stream streamAgentMessage",
        lambda app: broken.rewrite_events(
            app,
            "POST",
            pv.AGENT_CONV + "/messages/stream",
            _event_data("complete", _last_message_edited),
        ),
        "the agent follow-up stream's complete carries another text than its deltas",
    ),
]


def cut_when_left(app: App) -> App:
    """A reply whose stream's client left (it came back with `Last-Event-ID`) is stored cut
    in half: its later reads say so."""
    dropped: set[str] = set()

    def cut(document: Any) -> None:
        for item in document["items"]:
            if item["id"] in dropped:
                item["content"] = item["content"][: len(item["content"]) // 2]

    reads = rewrite_json(app, "GET", MESSAGES, cut)

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        resumed = b"last-event-id" in dict(scope.get("headers", []))
        if not (resumed and broken._matches(scope, "POST", "/v1/conversation/[^/]+/chat")):
            await reads(scope, receive, send)
            return

        async def watch(message: Message) -> None:
            text = message.get("body", b"").decode(errors="replace")
            for block in text.split("\n\n"):
                if "event: complete" in block and "data: " in block:
                    dropped.add(json.loads(block.split("data: ", 1)[1])["id"])
            await send(message)

        await app(scope, receive, watch)

    return wrapped


VARIANTS += [
    pv.PromiseVariant(
        "disconnect sendMessage",
        cut_when_left,
        "a reply whose client left mid-stream is stored cut in half",
    ),
]
