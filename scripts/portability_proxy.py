"""The Prism proxy check: real traffic to the reference server, validated by Prism on the way.

`prism proxy --errors` sits in front of a reference server (parley_server.testing) and checks
each request and response against the contract; a workflow through every surface, streams
included, must pass with no violation (an `sl-violations` header or an error in its place).
Streams are checked whole, through the `RawEventStream` branch: Prism does not parse events.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from parley_server.testing import start_server
from portability_common import NOTES, parse_sse
from portability_prism import prism

SSE = {"Accept": "text/event-stream"}


def check_prism_proxy(spec: Path, work: Path) -> list[str]:
    problems: list[str] = []
    log = work / "prism-proxy.log"
    with start_server() as server, prism(["proxy", spec, server.base_url, "--errors"], log) as base:
        if base is None:
            return [f"prism proxy did not start: {log.read_text()[-800:]}"]
        headers = {"X-API-Key": server.tenant.write_key}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            calls = workflow(client, problems)
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
