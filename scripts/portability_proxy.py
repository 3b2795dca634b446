"""The Prism proxy check: real traffic to the reference server, validated by Prism on the way.

`prism proxy --errors` sits in front of a reference server (parley_server.testing) and checks
each request and response against the contract; a workflow through every surface, streams
included, must pass with no violation (an `sl-violations` header or an error in its place).
Streams are checked whole, through the `RawEventStream` branch: Prism does not parse events.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import httpx
from parley_server.testing import start_server
from portability_common import NOTES, QUIET_ENV, node_tool, parse_sse
from portability_prism import free_port, wait_for_port

SSE = {"Accept": "text/event-stream"}


def check_prism_proxy(spec: Path, work: Path) -> list[str]:
    problems: list[str] = []
    with start_server() as server:
        port = free_port()
        command = [*node_tool("prism"), "proxy", spec, server.base_url, "--errors"]
        log = (work / "prism-proxy.log").open("w")
        process = subprocess.Popen(
            [str(a) for a in [*command, "-h", "127.0.0.1", "-p", str(port)]],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **QUIET_ENV},
            start_new_session=True,
        )
        try:
            if not wait_for_port(port, process, seconds=60):
                return [
                    f"prism proxy did not start: {(work / 'prism-proxy.log').read_text()[-800:]}"
                ]
            headers = {"X-API-Key": server.tenant.write_key}
            with httpx.Client(
                base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=60
            ) as client:
                calls = workflow(client, problems)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()
    NOTES.append(f"proxied {calls} calls to the reference server")
    return problems


def workflow(client: httpx.Client, problems: list[str]) -> int:
    """Calls the operations of each surface in order; returns how many calls were made."""
    count = 0

    def call(label: str, method: str, url: str, **kwargs: Any) -> Any:
        nonlocal count
        count += 1
        response = client.request(method, url, **kwargs)
        violations = response.headers.get("sl-violations")
        if violations or not response.is_success:
            problems.append(f"{label}: {response.status_code} {violations or response.text[:300]}")
            return None
        if response.headers.get("content-type", "").startswith("text/event-stream"):
            names = [event.get("event") for event in parse_sse(response.text)]
            if names[:1] != ["start"] or names[-1:] != ["complete"]:
                problems.append(f"{label}: the stream's events are {names}")
            return parse_sse(response.text)
        return response.json() if response.content else {}

    agent = call("createAgent", "POST", "/v1/agent", json={"name": "Proxied"})
    if agent is None:
        return count
    conversation = call(
        "createConversation", "POST", "/v1/conversation", json={"agent_id": agent["id"]}
    )
    if conversation is None:
        return count
    cid = conversation["id"]
    call("listConversations", "GET", "/v1/conversation", params={"agent_id": agent["id"]})
    call("sendMessage (JSON)", "POST", f"/v1/conversation/{cid}/chat", json={"message": "Hi"})
    call(
        "sendMessage (SSE)",
        "POST",
        f"/v1/conversation/{cid}/chat",
        json={"message": "More"},
        headers=SSE,
    )
    call("getConversation", "GET", f"/v1/conversation/{cid}")
    call("listConversationMessages", "GET", f"/v1/conversation/{cid}/messages")
    call("getConversationAnalytics", "GET", f"/v1/analytic/conversation/{cid}")
    call("qaChat", "POST", "/api/v1/chat", json={"question": "What drove Q4 revenue?"})
    call("listQaConversations", "GET", "/api/v1/conversations")
    base = f"/agents/{agent['id']}/conversations"
    created = call("createAgentConversation", "POST", base, json={"query": "Q4 findings?"})
    stream = call(
        "streamAgentConversation", "POST", f"{base}/stream", json={"query": "Hi"}, headers=SSE
    )
    if created is not None:
        call("getAgentConversation", "GET", f"{base}/{created['id']}")
        call("addAgentMessage", "POST", f"{base}/{created['id']}/messages", json={"query": "And?"})
    if stream:
        conversation_id = json.loads(stream[0]["data"])["conversationId"]
        call("streamAgentMessage", "POST", f"{base}/{conversation_id}/messages/stream",
             json={"query": "Then?"}, headers=SSE)  # fmt: skip
    call("listAgentConversations", "GET", base)
    return count
