"""Idempotency keys (JSON and streams) and Last-Event-ID resume, in-process."""

from __future__ import annotations

from typing import Any

from srv_sse import parse


def _total(api: Any, path: str) -> int:
    return int(api.client.get(path, headers=api.read).json()["total"])


def test_retried_posts_create_nothing_twice(api: Any) -> None:
    key = {"Idempotency-Key": "create-agent-1"}
    first = api.client.post("/v1/agent", json={"name": "A"}, headers={**api.write, **key})
    again = api.client.post("/v1/agent", json={"name": "A"}, headers={**api.write, **key})
    assert first.status_code == again.status_code == 201
    assert first.content == again.content and again.headers["idempotent-replayed"] == "true"
    assert _total(api, "/v1/agent") == 1
    agent = first.json()["id"]
    body = {"agent_id": agent, "title": "t"}
    conv = [
        api.client.post(
            "/v1/conversation", json=body, headers={**api.write, "Idempotency-Key": "c1"}
        )
        for _ in range(3)
    ]
    assert len({r.json()["id"] for r in conv}) == 1 and _total(api, "/v1/conversation") == 1
    cid = conv[0].json()["id"]
    sends = [
        api.client.post(
            f"/v1/conversation/{cid}/chat",
            json={"message": "hi"},
            headers={**api.write, "Idempotency-Key": "s1"},
        )
        for _ in range(3)
    ]
    assert len({r.content for r in sends}) == 1
    assert _total(api, f"/v1/conversation/{cid}/messages") == 2
    # Same key, different request: 422; nothing stored.
    r = api.client.post(
        f"/v1/conversation/{cid}/chat",
        json={"message": "other"},
        headers={**api.write, "Idempotency-Key": "s1"},
    )
    assert r.status_code == 422 and r.json()["type"].endswith("idempotency-key-reused")
    assert _total(api, f"/v1/conversation/{cid}/messages") == 2
    # Keys are per tenant: the other tenant may use the same key freely.
    r = api.client.post("/v1/agent", json={"name": "B"}, headers={**api.other, **key})
    assert r.status_code == 201 and r.json()["id"] != agent
    r = api.client.post(
        "/api/v1/chat", json={"question": "q"}, headers={**api.write, "Idempotency-Key": "qa"}
    )
    r2 = api.client.post(
        "/api/v1/chat", json={"question": "q"}, headers={**api.write, "Idempotency-Key": "qa"}
    )
    assert r.content == r2.content
    assert (
        len(api.client.get("/api/v1/conversations", headers=api.read).json()["conversations"]) == 1
    )


def _stream(api: Any, path: str, body: dict[str, Any], headers: dict[str, str]) -> list[Any]:
    with api.client.stream(
        "POST", path, json=body, headers={**api.write, "Accept": "text/event-stream", **headers}
    ) as r:
        assert r.status_code == 200
        return parse("".join(r.iter_text()))


def test_stream_replay_and_resume_yield_exactly_the_missing_events(api: Any) -> None:
    cid = api.conversation()["id"]
    path = f"/v1/conversation/{cid}/chat"
    body = {"message": "stream please"}
    full = _stream(api, path, body, {"Idempotency-Key": "st-1"})
    assert [e["id"] for e in full] == list(range(1, len(full) + 1))
    assert full[0]["event"] == "start" and full[-1]["event"] == "complete"
    text = "".join(e["data"]["content"] for e in full if e["event"] == "delta")
    assert (
        full[-1]["data"]["content"] == text
        and full[-1]["data"]["id"] == full[0]["data"]["message_id"]
    )
    for last in (0, 1, 3, len(full) - 1, len(full)):
        resumed = _stream(api, path, body, {"Idempotency-Key": "st-1", "Last-Event-ID": str(last)})
        assert resumed == full[last:], last
    # The same key asking for JSON instead of a stream is a different request.
    r = api.client.post(path, json=body, headers={**api.write, "Idempotency-Key": "st-1"})
    assert r.status_code == 422
    messages = api.client.get(f"{path.rsplit('/', 1)[0]}/messages", headers=api.read).json()
    assert messages["total"] == 2
    assert [m["content"] for m in messages["items"]] == ["stream please", text]


def test_agent_stream_resume(api: Any) -> None:
    agent = api.agent()
    path = f"/agents/{agent}/conversations/stream"
    full = _stream(api, path, {"query": "hello"}, {"Idempotency-Key": "ag-1"})
    assert full[-1]["event"] == "complete"
    resumed = _stream(
        api, path, {"query": "hello"}, {"Idempotency-Key": "ag-1", "Last-Event-ID": "2"}
    )
    assert resumed == full[2:]
    listed = api.client.get(f"/agents/{agent}/conversations", headers=api.read).json()
    assert len(listed) == 1 and listed[0] == full[-1]["data"]


def test_deterministic_responder_same_state_same_reply(api: Any) -> None:
    a = api.conversation()["id"]
    b = api.conversation()["id"]
    assert api.send(a, "same")["message"]["content"] == api.send(b, "same")["message"]["content"]
    assert api.send(a, "next")["message"]["content"] == api.send(b, "next")["message"]["content"]
