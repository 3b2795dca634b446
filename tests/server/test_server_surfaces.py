"""The Q&A surface and agent conversations (camelCase), including regenerate."""

from __future__ import annotations

from typing import Any


def test_qa_chat_list_get_delete(api: Any) -> None:
    r = api.client.post(
        "/api/v1/chat", json={"question": "What drove Q4 revenue?"}, headers=api.write
    )
    assert r.status_code == 200
    cid, first = r.json()["conversation_id"], r.json()["message"]
    assert first["sources"] and first["answer"]
    r = api.client.post(
        "/api/v1/chat", json={"question": "And Q3?", "conversation_id": cid}, headers=api.write
    )
    assert r.json()["conversation_id"] == cid
    api.client.post("/api/v1/chat", json={"question": "Other topic"}, headers=api.write)
    convs = api.client.get("/api/v1/conversations", headers=api.read).json()["conversations"]
    assert len(convs) == 2 and convs[1]["id"] == cid and convs[1]["message_count"] == 4
    assert convs[1]["title"] == "What drove Q4 revenue?"
    msgs = api.client.get(f"/api/v1/conversations/{cid}", headers=api.read).json()["messages"]
    assert [m["question"] for m in msgs] == ["What drove Q4 revenue?", "And Q3?"]
    r = api.client.delete(f"/api/v1/conversations/{cid}", headers=api.write)
    assert r.json() == {"deleted": 4}
    assert api.client.get(f"/api/v1/conversations/{cid}", headers=api.read).status_code == 404
    missing = "d4e5f6a7-b8c9-4123-8ef0-1234567890ab"
    r = api.client.post(
        "/api/v1/chat", json={"question": "x", "conversation_id": missing}, headers=api.write
    )
    assert r.status_code == 404


def test_agent_conversation_flow_and_regenerate(api: Any) -> None:
    agent = api.agent()
    base = f"/agents/{agent}/conversations"
    r = api.client.post(
        base,
        json={
            "query": "Key findings?",
            "recordIds": ["r1"],
            "modelKey": "m",
            "chatMode": "balanced",
        },
        headers=api.write,
    )
    assert r.status_code == 201
    conv = r.json()
    assert conv["agentKey"] == agent and conv["recordIds"] == ["r1"] and conv["modelKey"] == "m"
    assert [m["messageType"] for m in conv["messages"]] == ["user_query", "bot_response"]
    cid = conv["id"]
    r = api.client.post(f"{base}/{cid}/messages", json={"query": "More?"}, headers=api.write)
    after = r.json()["messages"]
    assert [m["content"] for m in after[:2]] == [m["content"] for m in conv["messages"]]
    assert len(after) == 4 and after[2]["content"] == "More?"
    bot = after[1]
    r = api.client.post(f"{base}/{cid}/message/{bot['id']}/regenerate", headers=api.write)
    assert r.status_code == 200
    regen = r.json()["messages"]
    assert len(regen) == 4 and regen[1]["id"] == bot["id"]
    assert regen[1]["content"] != bot["content"] and regen[1]["updatedAt"] > bot["updatedAt"]
    assert [m["content"] for i, m in enumerate(regen) if i != 1] == [
        m["content"] for i, m in enumerate(after) if i != 1
    ]
    r = api.client.post(f"{base}/{cid}/message/{after[0]['id']}/regenerate", headers=api.write)
    assert r.status_code == 422
    listed = api.client.get(base, headers=api.read).json()
    assert [c["id"] for c in listed] == [cid]
    assert api.client.get(f"{base}/{cid}", headers=api.read).json()["messages"] == regen
    assert api.client.delete(f"{base}/{cid}", headers=api.write).status_code == 204
    assert api.client.get(f"{base}/{cid}", headers=api.read).status_code == 404
    assert api.client.get("/agents/unknown/conversations", headers=api.read).status_code == 404


def test_agent_stream_events(api: Any) -> None:
    agent = api.agent()
    with api.client.stream(
        "POST",
        f"/agents/{agent}/conversations/stream",
        json={"query": "Stream it"},
        headers=api.write,
    ) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        text = "".join(r.iter_text())
    events = [
        dict(line.split(": ", 1) for line in block.splitlines())
        for block in text.strip().split("\n\n")
    ]
    assert [e["id"] for e in events] == [str(i) for i in range(1, len(events) + 1)]
    assert events[0]["event"] == "start" and events[-1]["event"] == "complete"
    assert {e["event"] for e in events[1:-1]} == {"delta"}
