"""`parley contract-test URL` catches broken servers and names the operation and the check.

Each variant is the reference server behind one piece of ASGI middleware that breaks the
contract on one operation; the run is narrowed to that operation to stay fast.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
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
    # The extra checks need no fuzzing: one schemathesis example keeps those runs short.
    quick: bool = False
    # Words the failure's message must hold, when the check alone does not tell the breakage.
    says: str = ""


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
        quick=True,
    ),
    Variant(
        "Idempotency-Key ignored",
        "qaChat",
        "idempotent_replay",
        lambda srv: broken.strip_header(srv.app, "POST", "/api/v1/chat", b"idempotency-key"),
        quick=True,
    ),
    Variant(
        "replayed answer, stored twice",
        "qaChat",
        "idempotent_replay",
        lambda srv: broken.replay_but_store_twice(srv.app, "POST", "/api/v1/chat"),
        quick=True,
        says="after the replay, GET /api/v1/conversations",
    ),
    Variant(
        "Last-Event-ID ignored",
        "streamAgentConversation",
        "stream_resume",
        lambda srv: broken.strip_header(
            srv.app, "POST", "/agents/[^/]+/conversations/stream", b"last-event-id"
        ),
        quick=True,
    ),
    Variant(
        "deleted list forgets soft-deleted conversations",
        "listDeletedConversations",
        "soft_delete_restore",
        lambda srv: broken.empty_items(srv.app, "GET", "/v1/conversation/deleted"),
        quick=True,
    ),
    Variant(
        "a stream without complete",
        "streamAgentConversation",
        "stream_completion",
        lambda srv: broken.drop_event(
            srv.app, "POST", "/agents/[^/]+/conversations/stream", "complete"
        ),
    ),
]


SOFT_DELETE_OPERATIONS = ("deleteConversation", "getConversation", "restoreConversation")


def contract_test(
    url: str, *args: str, cwd: Path, timeout: float = 180
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


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_broken_variant_is_caught(variant: Variant, tmp_path: Path) -> None:
    server = build_app(f"sqlite:///{tmp_path / 'parley.db'}")
    args = [
        "--api-key",
        server.tenant.write_key,
        "--include-operation-id",
        variant.operation_id,
        "--max-examples",
        "5",
        "--seed",
        "1",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path / "report"),
    ]
    if variant.other_tenant:
        args += ["--other-tenant-api-key", server.other_tenant.write_key]
    if variant.read_only:
        args += ["--read-only-api-key", server.tenant.read_key]
    if variant.quick:
        args += ["--phases", "examples", "--max-examples", "1"]
    if variant.check == "soft_delete_restore":
        # The soft-delete walk runs only when every operation it uses is selected.
        for operation_id in SOFT_DELETE_OPERATIONS:
            args += ["--include-operation-id", operation_id]
    with serve(variant.wrap(server)) as url:
        result = contract_test(url, *args, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    block = summary_block(result.stdout, variant.operation_id)
    row = block.splitlines()[0].split()
    assert int(row[2]) >= 1, block
    assert variant.check in block, block
    assert variant.says in block, block
    assert "curl -X" in block, block
    assert (tmp_path / "report" / "junit.xml").is_file()
