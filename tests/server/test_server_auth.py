"""Authentication, scopes and tenant isolation, checked on every operation of the spec."""

from __future__ import annotations

from typing import Any

import pytest
from parley_spec import Operation, load_contract

OPERATIONS = sorted(load_contract().operations, key=lambda op: op.operation_id)
QA_OPS = {"getQaConversation", "deleteQaConversation"}


def _resources(api: Any, headers: dict[str, str]) -> dict[str, str]:
    """Creates one of everything for the tenant of ``headers``; returns path values by name."""
    agent = api.agent(headers)
    conv = api.client.post("/v1/conversation", json={"agent_id": agent}, headers=headers).json()
    reply = api.send(conv["id"], "hello", headers)
    qa = api.client.post("/api/v1/chat", json={"question": "q"}, headers=headers).json()
    ac = api.client.post(
        f"/agents/{agent}/conversations", json={"query": "q"}, headers=headers
    ).json()
    return {
        "agent_id": agent,
        "agentKey": agent,
        "conversation_id": conv["id"],
        "qa_conversation_id": qa["conversation_id"],
        "message_id": reply["message"]["id"],
        "conversationId": ac["id"],
        "messageId": ac["messages"][1]["id"],
    }


def _url(op: Operation, ids: dict[str, str]) -> str:
    path = op.path
    for name in (
        "agent_id",
        "agentKey",
        "conversation_id",
        "message_id",
        "conversationId",
        "messageId",
    ):
        value = ids[name]
        if name == "conversation_id" and op.operation_id in QA_OPS:
            value = ids["qa_conversation_id"]
        path = path.replace("{" + name + "}", value)
    return path


def _call(api: Any, op: Operation, ids: dict[str, str], headers: dict[str, str]) -> Any:
    body = op.example_body()
    if op.operation_id == "createConversation":
        body = {"agent_id": ids["agent_id"]}
    if op.operation_id == "qaChat":
        body = {"question": "q", "conversation_id": ids["qa_conversation_id"]}
    return api.client.request(op.method, _url(op, ids), json=body, headers=headers)


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.operation_id)
def test_missing_or_bad_credentials_get_401(api: Any, op: Operation) -> None:
    ids = _resources(api, api.write)
    for headers in ({}, {"X-API-Key": "pk_wrong"}, {"Authorization": "Bearer not.a.jwt"}):
        r = _call(api, op, ids, headers)
        assert r.status_code == 401, (op.operation_id, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        assert "www-authenticate" in r.headers
    forged = api.built.make_token(tenant_id="no-such-tenant", scopes=["read", "write"])
    assert _call(api, op, ids, {"Authorization": f"Bearer {forged}"}).status_code == 401


def test_read_key_gets_403_on_every_write_operation(api: Any) -> None:
    ids = _resources(api, api.write)
    writes = [op for op in OPERATIONS if "write" in op.scopes]
    assert len(writes) >= 20
    token = api.built.make_token(tenant_id=api.built.tenant.tenant_id, scopes=["read"])
    for op in writes:
        for headers in (api.read, {"Authorization": f"Bearer {token}"}):
            r = _call(api, op, ids, headers)
            assert r.status_code == 403, (op.operation_id, r.text)
            assert r.json()["type"].endswith("insufficient-scope")
    for op in OPERATIONS:
        if "write" not in op.scopes:
            assert _call(api, op, ids, api.read).status_code == 200, op.operation_id


def test_other_tenant_gets_404_on_every_id(api: Any) -> None:
    theirs = _resources(api, api.other)
    checked = 0
    for op in OPERATIONS:
        if "{" not in op.path and op.operation_id not in ("createConversation", "qaChat"):
            continue
        r = _call(api, op, theirs, api.write)
        assert r.status_code == 404, (op.operation_id, r.status_code, r.text)
        checked += 1
    assert checked >= 25
    # Nothing of the other tenant changed.
    cid = theirs["conversation_id"]
    r = api.client.get(f"/v1/conversation/{cid}", headers=api.other)
    assert r.status_code == 200 and r.json()["message_count"] == 2
    lists = ["/v1/conversation", "/v1/agent", "/v1/conversation/deleted", "/v1/message/deleted"]
    for path in lists:
        assert api.client.get(path, headers=api.write).json()["total"] == 0
    assert api.client.get("/api/v1/conversations", headers=api.write).json()["conversations"] == []
