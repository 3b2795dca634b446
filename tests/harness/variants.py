"""Deliberately broken variants of the reference server, each with the check that must catch it.

Most break one thing of one operation: one field of a 2xx body, one enum value, one stream
event, one count, one status code. They spread over all six tags.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from parley_server.testing import InProcessApp

from tests.harness import broken


@dataclass(frozen=True)
class Variant:
    name: str
    operation_id: str
    check: str
    wrap: Callable[[InProcessApp], broken.App]
    other_tenant: bool = False
    read_only: bool = False
    # Words the failure's message must hold (when the variant's check is the first to fail).
    says: str = ""
    # No other check fails on the operation: a parley check the fuzzer cannot replace.
    only: bool = False
    # With `only`: the checks that judge the same sentence of the contract and may catch it too
    # (a stream's promise needs its `complete` as stream_completion does).
    also: tuple[str, ...] = ()


VARIANTS = [
    Variant(
        "field missing from a response",
        "listConversations",
        "response_schema_conformance",
        lambda srv: broken.drop_field(srv.app, "GET", "/v1/conversation", "pages"),
    ),
    Variant(
        "500 on one input",
        "listAgents",
        "not_a_server_error",
        lambda srv: broken.error_on_query(srv.app, "GET", "/v1/agent", b"page=1"),
    ),
    Variant(
        "wrong status code",
        "listQaConversations",
        "status_code_conformance",
        lambda srv: broken.wrong_status(srv.app, "GET", "/api/v1/conversations", 200, 202),
    ),
    Variant(
        "auth ignored on one operation",
        "listAgents",
        "ignored_auth",
        lambda srv: broken.swap_key(
            srv.app, "GET", "/v1/agent", srv.tenant.write_key, lambda key: True
        ),
    ),
    Variant(
        "another tenant's data leaking",
        "getQaConversation",
        "tenant_isolation",
        lambda srv: broken.swap_key(
            srv.app,
            "GET",
            "/api/v1/conversations/[^/]+",
            srv.tenant.write_key,
            lambda key: key == srv.other_tenant.write_key,
        ),
        other_tenant=True,
    ),
    Variant(
        "a read-only key allowed to write",
        "createAgent",
        "write_scope_required",
        lambda srv: broken.swap_key(
            srv.app,
            "POST",
            "/v1/agent",
            srv.tenant.write_key,
            lambda key: key == srv.tenant.read_key,
        ),
        read_only=True,
    ),
    Variant(
        "Idempotency-Key ignored",
        "qaChat",
        "idempotent_replay",
        lambda srv: broken.strip_header(srv.app, "POST", "/api/v1/chat", b"idempotency-key"),
    ),
    Variant(
        "replayed answer, stored twice",
        "qaChat",
        "idempotent_replay",
        lambda srv: broken.replay_but_store_twice(srv.app, "POST", "/api/v1/chat"),
        says="after the replay, GET /api/v1/conversations",
    ),
    Variant(
        "Last-Event-ID ignored",
        "streamAgentConversation",
        "stream_resume",
        lambda srv: broken.strip_header(
            srv.app, "POST", "/agents/[^/]+/conversations/stream", b"last-event-id"
        ),
    ),
    Variant(
        "deleted list forgets soft-deleted conversations",
        "listDeletedConversations",
        "promise_visibility",
        lambda srv: broken.empty_items(srv.app, "GET", "/v1/conversation/deleted"),
    ),
    Variant(
        "a stream without complete",
        "sendMessage",
        "stream_completion",
        lambda srv: broken.drop_event(srv.app, "POST", "/v1/conversation/[^/]+/chat", "complete"),
        only=True,
        also=("promise_stream", "promise_disconnect"),
    ),
    # Subtle breakages the fuzzer reaches only with valid ids and fresh idempotency keys.
    Variant(
        "getAgent drops the agent's name",
        "getAgent",
        "response_schema_conformance",
        lambda srv: broken.rewrite_json(
            srv.app, "GET", "/v1/agent/[^/]+", lambda d: d.pop("name", None)
        ),
    ),
    Variant(
        "endConversation answers an unknown status enum value",
        "endConversation",
        "response_schema_conformance",
        lambda srv: broken.rewrite_json(
            srv.app, "POST", "/v1/conversation/[^/]+/end", lambda d: d.update(status="closed")
        ),
    ),
    Variant(
        "restoreConversation answers 201",
        "restoreConversation",
        "status_code_conformance",
        lambda srv: broken.wrong_status(
            srv.app, "PATCH", "/v1/conversation/[^/]+/restore", 200, 201
        ),
    ),
    Variant(
        "rateMessage drops the rating",
        "rateMessage",
        "response_schema_conformance",
        lambda srv: broken.rewrite_json(
            srv.app, "POST", "/v1/message/[^/]+/rate", lambda d: d.pop("rating", None)
        ),
    ),
    Variant(
        "restoreMessage answers 202",
        "restoreMessage",
        "status_code_conformance",
        lambda srv: broken.wrong_status(srv.app, "PATCH", "/v1/message/[^/]+/restore", 200, 202),
    ),
    Variant(
        "getConversationAnalytics drops quality_metrics",
        "getConversationAnalytics",
        "response_schema_conformance",
        lambda srv: broken.rewrite_json(
            srv.app, "GET", "/v1/analytic/conversation/[^/]+", lambda d: d.pop("quality_metrics")
        ),
    ),
    Variant(
        "deleteQaConversation renames deleted",
        "deleteQaConversation",
        "response_schema_conformance",
        lambda srv: broken.rewrite_json(
            srv.app,
            "DELETE",
            "/api/v1/conversations/[^/]+",
            lambda d: d.update(removed=d.pop("deleted")),
        ),
    ),
    Variant(
        "getAgentConversation drops modelName",
        "getAgentConversation",
        "response_schema_conformance",
        lambda srv: broken.rewrite_json(
            srv.app, "GET", "/agents/[^/]+/conversations/[^/]+", lambda d: d.pop("modelName")
        ),
    ),
    Variant(
        "addAgentMessage answers an unknown messageType",
        "addAgentMessage",
        "response_schema_conformance",
        lambda srv: broken.rewrite_json(
            srv.app,
            "POST",
            "/agents/[^/]+/conversations/[^/]+/messages",
            lambda d: d["messages"][-1].update(messageType="bot"),
        ),
    ),
    Variant(
        "regenerateAgentAnswer answers 201",
        "regenerateAgentAnswer",
        "status_code_conformance",
        lambda srv: broken.wrong_status(
            srv.app, "POST", "/agents/[^/]+/conversations/[^/]+/message/[^/]+/regenerate", 200, 201
        ),
    ),
    Variant(
        "deleteAgentConversation answers 200",
        "deleteAgentConversation",
        "status_code_conformance",
        lambda srv: broken.wrong_status(
            srv.app, "DELETE", "/agents/[^/]+/conversations/[^/]+", 204, 200
        ),
    ),
    # Checks the fuzzer cannot know: `only` variants are caught by one parley check alone
    # (schemathesis validates each SSE event against its schema, so breaking one event's
    # schema is caught twice; a skipped id or a missing `complete` only by stream_completion).
    Variant(
        "total one too many",
        "listConversationsForEntity",
        "pagination_consistency",
        lambda srv: broken.rewrite_json(
            srv.app, "GET", "/v1/conversation/entity", lambda d: d.update(total=d["total"] + 1)
        ),
        only=True,
    ),
    Variant(
        "per_page echoed as the default",
        "listDeletedMessages",
        "pagination_consistency",
        lambda srv: broken.rewrite_json(
            srv.app, "GET", "/v1/message/deleted", lambda d: d.update(per_page=20)
        ),
        only=True,
    ),
    Variant(
        "message_count one too many",
        "getConversation",
        "promise_count",
        lambda srv: broken.rewrite_json(
            srv.app,
            "GET",
            "/v1/conversation/(?!deleted$|entity$)[^/]+",
            lambda d: d.update(message_count=d["message_count"] + 1),
        ),
        only=True,
    ),
    Variant(
        "analytics count user messages twice",
        "getConversationAnalytics",
        "promise_count",
        lambda srv: broken.rewrite_json(
            srv.app,
            "GET",
            "/v1/analytic/conversation/[^/]+",
            lambda d: d["message_statistics"].update(
                user_message_count=2 * d["message_statistics"]["user_message_count"]
            ),
        ),
        only=True,
    ),
    Variant(
        "Q&A message_count off by one",
        "listQaConversations",
        "promise_count",
        lambda srv: broken.rewrite_json(
            srv.app,
            "GET",
            "/api/v1/conversations",
            lambda d: [c.update(message_count=c["message_count"] + 1) for c in d["conversations"]],
        ),
        only=True,
    ),
    Variant(
        "messages of a deleted conversation still listed",
        "listConversationMessages",
        "deleted_is_gone",
        lambda srv: broken.deleted_but_listed(srv.app, "/v1/conversation/[^/]+", "messages"),
        only=True,
    ),
    Variant(
        "stream event ids skip a number",
        "streamAgentMessage",
        "stream_completion",
        lambda srv: broken.rewrite_events(
            srv.app,
            "POST",
            "/agents/[^/]+/conversations/[^/]+/messages/stream",
            lambda events: [{**e, "id": str(int(e["id"]) + (int(e["id"]) > 2))} for e in events],
        ),
        only=True,
        also=("promise_stream",),
        says="event ids are",
    ),
    Variant(
        "a delta without its index",
        "streamAgentMessage",
        "stream_completion",
        lambda srv: broken.rewrite_events(
            srv.app,
            "POST",
            "/agents/[^/]+/conversations/[^/]+/messages/stream",
            lambda events: [
                {**e, "data": e["data"].replace('"index"', '"position"')} for e in events
            ],
        ),
        says="does not match its schema",
    ),
    # The request-id promise (components/headers/RequestId), judged on every answer.
    # The spec marks the header required, so schemathesis' own header check names the omission
    # first; `request_id` fails the same answers (tests/harness/test_request_ids.py).
    Variant(
        "X-Request-ID missing on one operation",
        "updateConversation",
        "response_headers_conformance",
        lambda srv: broken.drop_response_header(
            srv.app, "PATCH", "/v1/conversation/(?!deleted$|entity$)[^/]+", b"x-request-id"
        ),
        says="Missing required response headers",
    ),
    Variant(
        "a well-formed X-Request-ID answered as another id",
        "listAgentConversations",
        "request_id",
        lambda srv: broken.rewrite_request_header(
            srv.app, "GET", "/agents/[^/]+/conversations", b"x-request-id", lambda v: v + b"-0"
        ),
        only=True,
        says="X-Request-ID not echoed",
    ),
    Variant(
        "a Problem's request_id differs from its X-Request-ID",
        "deleteMessage",
        "request_id",
        lambda srv: broken.rewrite_problem(
            srv.app, "DELETE", "/v1/message/[^/]+", lambda d: d.update(request_id="req_0")
        ),
        only=True,
        says="Problem request_id differs",
    ),
    Variant(
        "a progress event between deltas",
        "streamAgentConversation",
        "stream_completion",
        lambda srv: broken.rewrite_events(
            srv.app,
            "POST",
            "/agents/[^/]+/conversations/stream",
            lambda events: [
                {**e, "event": "progress"} if i == 1 and e["event"] == "delta" else e
                for i, e in enumerate(events)
            ],
        ),
        says="only delta may",
    ),
    Variant(
        "a read-only key refused on a read operation",
        "getConversation",
        "read_scope_allowed",
        lambda srv: broken.swap_key(
            srv.app,
            "GET",
            "/v1/conversation/(?!deleted$|entity$)[^/]+",
            "not-a-key",
            lambda key: key == srv.tenant.read_key,
        ),
        read_only=True,
        only=True,
        says="a read-only key got 401",
    ),
    Variant(
        "another tenant's 404 with an instance that is not a URI reference",
        "getAgentConversation",
        "response_format",
        lambda srv: broken.for_key(
            srv.app,
            srv.other_tenant.write_key,
            broken.rewrite_problem(
                srv.app,
                "GET",
                "/agents/[^/]+/conversations/[^/]+",
                lambda d: d.update(instance="conversation not found for this tenant"),
            ),
        ),
        other_tenant=True,
        only=True,
        also=("problem_status",),
        says='is not a "uri-reference"',
    ),
]
