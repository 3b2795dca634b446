"""`parley contract-test` passes a healthy server: embedded by default, or `parley serve` by URL."""

from __future__ import annotations

import re
import resource
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from parley_server.testing import start_server

from tests.ci import fuzz_seed

PARLEY = Path(sys.executable).parent / "parley"
AGENT_CONVERSATION_OPERATIONS = {
    "listAgentConversations",
    "createAgentConversation",
    "streamAgentConversation",
    "getAgentConversation",
    "deleteAgentConversation",
    "addAgentMessage",
    "streamAgentMessage",
    "regenerateAgentAnswer",
}


def _children_cpu_seconds() -> float:
    """User plus system CPU seconds of this process's finished child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def table_rows(stdout: str) -> dict[str, list[str]]:
    """Summary rows by operationId: [cases, failures, first failure...]."""
    table = stdout.split("parley contract-test summary", 1)[1].split("\n\n")[1]
    rows = {}
    for line in table.splitlines()[2:]:
        if not line.startswith(" "):
            name, *cells = line.split()
            rows[name] = cells
    return rows


def check_counts(stdout: str) -> dict[str, tuple[int, int]]:
    """`  name: N passed, M failed` lines of the extra checks, by check name."""
    found = re.findall(r"^  (\w+): (\d+) passed, (\d+) failed$", stdout, re.MULTILINE)
    return {name: (int(passed), int(failed)) for name, passed, failed in found}


@pytest.mark.slow
def test_embedded_reference_server_passes_every_operation(tmp_path: Path) -> None:
    """The README's first command: every operation deep, zero failures and warnings, < 2 min.

    The two minutes are CPU time of the command and its children (what it costs), not wall
    time, which a loaded machine stretches at will.
    """
    before = _children_cpu_seconds()
    result = subprocess.run(
        [
            *(str(PARLEY), "contract-test", "--report", "junit,ndjson", "--report-dir", "out"),
            *("--seed", str(fuzz_seed())),  # the session's seed: CI is reproducible
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    cpu = _children_cpu_seconds() - before
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    rows = table_rows(result.stdout)
    assert len(rows) == 33
    for name, (cases, failures, positive, share, *_) in rows.items():
        assert int(cases) > 0 and failures == "0", (name, cases, failures)
        # Deep on every operation: at least 30% of the valid cases reach the handler, 2xx.
        assert int(positive) > 0 and int(share.rstrip("%")) >= 30, (name, positive, share)
    assert "33 operations" in result.stdout and ", 0 failures" in result.stdout
    assert "barely exercised" not in result.stdout
    # No schemathesis warning: no "Missing test data", no "Schema validation mismatch".
    assert "Warnings:" not in result.stdout and "\u26a0" not in result.stdout, result.stdout
    for check in (
        "write_scope_required",
        "tenant_isolation",
        "idempotent_replay",
        "idempotency_key_reuse",
        "stream_completion",
        "stream_resume",
        "pagination_consistency",
        "promise_count",
        "promise_order",
        "promise_filter",
        "promise_visibility",
        "promise_effect",
        "promise_timestamps",
        "deleted_is_gone",
        "response_validated",
    ):
        passed, failed = check_counts(result.stdout)[check]
        assert passed > 0 and failed == 0, (check, passed, failed)
    assert (tmp_path / "out" / "junit.xml").is_file()
    assert '"ParleyCheck"' in (tmp_path / "out" / "events.ndjson").read_text()
    assert cpu < 120, f"{cpu:.0f} CPU seconds"


@pytest.mark.slow
def test_url_of_a_separately_started_server_with_bearer_token(tmp_path: Path) -> None:
    with start_server() as server:
        token = server.make_token(tenant_id=server.tenant.tenant_id, scopes=["read", "write"])
        agent = httpx.post(
            f"{server.base_url}/v1/agent",
            json={"name": "Existing agent"},
            headers={"Authorization": f"Bearer {token}"},
        ).json()["id"]
        result = subprocess.run(
            [
                str(PARLEY),
                "contract-test",
                server.base_url,
                "--read-only-api-key",
                server.tenant.read_key,
                "--other-tenant-api-key",
                server.other_tenant.write_key,
                "--include-tag",
                "qa",
                "--include-tag",
                "agents",
                "--include-tag",
                "agent-conversations",
                "--path-value",
                f"agentKey={agent}",
                "--max-examples",
                "5",
                "--seed",
                "3",
            ],
            cwd=tmp_path,
            env={"PATH": "/usr/bin:/bin", "PARLEY_BEARER_TOKEN": token},
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    rows = table_rows(result.stdout)
    assert set(rows) - AGENT_CONVERSATION_OPERATIONS == {
        "createAgent",
        "listAgents",
        "getAgent",
        "qaChat",
        "listQaConversations",
        "getQaConversation",
        "deleteQaConversation",
    }
    assert all(int(cases) > 0 and failures == "0" for cases, failures, *_ in rows.values())
    assert set(rows) >= AGENT_CONVERSATION_OPERATIONS
    # With agentKey given, schemathesis reaches the agent's conversations instead of 404s.
    warnings = result.stdout.split("SUMMARY", 1)[0].rpartition("WARNINGS")[2]
    assert "GET /agents/{agentKey}/conversations\n" not in warnings, warnings
    counts = check_counts(result.stdout)
    for check in ("write_scope_required", "tenant_isolation", "idempotent_replay", "stream_resume"):
        assert counts[check][0] > 0 and counts[check][1] == 0, (check, counts)


def test_url_without_credentials_is_a_usage_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "parley_contract", "http://127.0.0.1:9"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "--api-key or --bearer-token" in result.stderr
