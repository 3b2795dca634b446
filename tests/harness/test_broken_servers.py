"""`parley contract-test URL` catches broken servers and names the operation and the check.

Each variant is the reference server behind one piece of ASGI middleware that breaks the
contract on one operation, most of them subtly (one field, one enum value, one event, one
count, one status code). Variants on different operations share a server, and a default run
(every operation, phase and check) must name each one's operation and check.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from parley_server.testing import InProcessApp, build_app

from tests.harness import broken
from tests.harness.serving import serve


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
        "soft_delete_restore",
        lambda srv: broken.empty_items(srv.app, "GET", "/v1/conversation/deleted"),
    ),
    Variant(
        "a stream without complete",
        "sendMessage",
        "stream_completion",
        lambda srv: broken.drop_event(srv.app, "POST", "/v1/conversation/[^/]+/chat", "complete"),
        only=True,
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
        "counts_match",
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
        "counts_match",
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
        "counts_match",
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
]


# Variants share a server when they break different operations (no operation has more than
# two): each default run tests half of them, and the two runs go side by side (two cores).
GROUPS = 2
PARALLEL_RUNS = 2


def grouped(variants: list[Variant], count: int) -> list[list[Variant]]:
    """Split `variants` into `count` groups, no two of a group on the same operation."""
    groups: list[list[Variant]] = [[] for _ in range(count)]
    for variant in variants:
        free = [g for g in groups if all(v.operation_id != variant.operation_id for v in g)]
        assert free, f"more than {count} variants break {variant.operation_id}"
        min(free, key=len).append(variant)
    return groups


def broken_server(server: InProcessApp, variants: list[Variant]) -> broken.App:
    """The reference server with every variant of `variants` applied, one around the other."""
    app: broken.App = server.app
    for variant in variants:
        app = variant.wrap(replace(server, app=app))
    return app


def contract_test(
    url: str, *args: str, cwd: Path, timeout: float = 480
) -> subprocess.CompletedProcess[str]:
    # The working directory takes schemathesis' crash cache (`.schemathesis/`).
    return subprocess.run(
        [sys.executable, "-m", "parley_contract", url, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def summary_block(output: str, operation_id: str) -> str:
    """The summary row of `operation_id` and its indented detail lines."""
    lines = output.split("parley contract-test summary", 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:1] == [operation_id])
    end = start + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    return "\n".join(lines[start:end])


def run_group(index: int, variants: list[Variant], tmp_path: Path) -> tuple[int, str]:
    """A default `parley contract-test` of one broken server; its exit code and output."""
    folder = tmp_path / f"group-{index}"
    folder.mkdir()
    server = build_app(f"sqlite:///{folder / 'parley.db'}")
    args = [
        "--api-key",
        server.tenant.write_key,
        "--read-only-api-key",
        server.tenant.read_key,
        "--other-tenant-api-key",
        server.other_tenant.write_key,
        "--seed",
        "1",
        "--report",
        "junit",
        "--report-dir",
        str(folder / "report"),
    ]
    with serve(broken_server(server, variants)) as url:
        result = contract_test(url, *args, cwd=folder)
    assert (folder / "report" / "junit.xml").is_file()
    return result.returncode, result.stdout + result.stderr


def missed(variant: Variant, output: str) -> str | None:
    """Why the run's summary does not show `variant` caught, or None when it does."""
    try:
        block = summary_block(output, variant.operation_id)
    except (IndexError, StopIteration):
        return "no summary row"
    row = block.splitlines()[0].split()
    failed = block.rpartition("failed checks: ")[2].splitlines()[0].split(", ")
    if "failed checks: " not in block:
        failed = row[5:6]
    if int(row[2]) < 1 or variant.check not in failed:
        return f"not caught by {variant.check}:\n{block}"
    if "curl -X" not in block:
        return f"the failure lacks a curl line:\n{block}"
    if failed[0] == variant.check and variant.says not in block:
        return f"the failure does not say {variant.says!r}:\n{block}"
    # response_validated fails with a stream check: an invalid stream validated nothing.
    if variant.only and [c for c in failed if c != "response_validated"] != [variant.check]:
        return f"other checks caught it too, {failed}:\n{block}"
    return None


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_every_variant_is_caught_by_a_default_run(tmp_path: Path) -> None:
    """Mutation score 100%: a default run catches every broken variant, named by its check."""
    groups = grouped(VARIANTS, GROUPS)
    with ThreadPoolExecutor(PARALLEL_RUNS) as pool:
        runs = list(pool.map(lambda ig: run_group(*ig, tmp_path), enumerate(groups)))
    problems = []
    for variants, (code, output) in zip(groups, runs, strict=True):
        if code != 1:
            problems.append(f"exit {code}, not 1: {output[-2000:]}")
        problems += [
            f"{v.name} ({v.operation_id}): {why}"
            for v in variants
            if (why := missed(v, output)) is not None
        ]
    assert not problems, "\n\n".join(problems)
