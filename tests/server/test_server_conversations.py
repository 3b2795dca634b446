"""Conversations API v1 behaviour: lifecycle, lists, soft delete/restore, rating, analytics."""

from __future__ import annotations

from typing import Any


def _items(api: Any, path: str, **params: Any) -> dict[str, Any]:
    r = api.client.get(path, params=params, headers=api.read)
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_lifecycle_update_and_end(api: Any) -> None:
    conv = api.conversation(title="Pricing", metadata={"source": "web"}, entity_type="LEAD")
    assert conv["status"] == "active" and conv["entity_type"] == "LEAD"
    assert conv["max_context_length"] == 20 and conv["message_count"] == 0
    cid = conv["id"]
    r = api.client.patch(
        f"/v1/conversation/{cid}", json={"metadata": {"plan": "pro"}}, headers=api.write
    )
    assert r.json()["metadata"] == {"plan": "pro"} and r.json()["title"] == "Pricing"
    r = api.client.patch(f"/v1/conversation/{cid}", json={"status": "archived"}, headers=api.write)
    assert r.json()["status"] == "archived" and r.json()["ended_at"] is None
    r = api.client.post(f"/v1/conversation/{cid}/chat", json={"message": "hi"}, headers=api.write)
    assert r.status_code == 409 and r.json()["type"].endswith("conversation-closed")
    r = api.client.post(
        f"/v1/conversation/{cid}/end", json={"rating": 4, "feedback": "ok"}, headers=api.write
    )
    ended = r.json()
    assert ended["status"] == "ended" and ended["rating"] == 4 and ended["ended_at"]
    r = api.client.post(f"/v1/conversation/{cid}/end", json={"rating": 2}, headers=api.write)
    assert r.json()["rating"] == 2 and r.json()["feedback"] == "ok"
    assert r.json()["ended_at"] == ended["ended_at"]
    r = api.client.post(f"/v1/conversation/{cid}/end", headers=api.write)
    assert r.status_code == 200
    r = api.client.patch(
        f"/v1/conversation/{cid}", json={"status": "active", "title": None}, headers=api.write
    )
    assert r.json()["status"] == "active" and r.json()["ended_at"] is None
    assert r.json()["title"] is None
    r = api.client.patch(f"/v1/conversation/{cid}", json={"status": "ended"}, headers=api.write)
    assert r.json()["status"] == "ended" and r.json()["ended_at"] > ended["ended_at"]
    r = api.client.patch(f"/v1/conversation/{cid}", json={}, headers=api.write)
    assert r.status_code == 400  # at least one field


def test_send_message_history_is_bounded(api: Any) -> None:
    cid = api.conversation(max_context_length=2)["id"]
    for i in range(4):
        reply = api.send(cid, f"question {i}")
    assert reply["user_message"]["content"] == "question 3"
    assert reply["message"]["role"] == "assistant"
    assert [t["user_message"] for t in reply["history"]] == ["question 2", "question 3"]
    assert reply["history"][-1]["assistant_message_id"] == reply["message"]["id"]
    # The responder saw at most max_context_length earlier messages.
    assert "(I considered 2 earlier messages.)" in reply["message"]["content"]
    page = _items(api, f"/v1/conversation/{cid}/messages", per_page=3, page=3)
    assert page["total"] == 8 and page["pages"] == 3 and len(page["items"]) == 2
    assert [m["role"] for m in page["items"]] == ["user", "assistant"]


def test_lists_filters_sorting_and_entity(api: Any) -> None:
    a = api.conversation(title="b")
    b = api.conversation(title="a")
    api.client.post(f"/v1/conversation/{a['id']}/end", headers=api.write)
    ended = _items(api, "/v1/conversation", status="ended")
    assert [c["id"] for c in ended["items"]] == [a["id"]] and ended["total"] == 1
    by_title = _items(api, "/v1/conversation", sort_by="title", sort_order="asc")
    assert [c["title"] for c in by_title["items"]] == ["a", "b"]
    newest = _items(api, "/v1/conversation")
    assert [c["id"] for c in newest["items"]] == [b["id"], a["id"]] and newest["total"] == 2
    assert _items(api, "/v1/conversation", agent_id=a["agent_id"])["total"] == 1
    token = api.built.make_token(
        tenant_id=api.built.tenant.tenant_id,
        scopes=["read", "write"],
        entity_type="LEAD",
        entity_id="lead-42",
    )
    bearer = {"Authorization": f"Bearer {token}"}
    mine = api.conversation(headers=bearer)
    assert mine["entity_id"] == "lead-42" and mine["entity_type"] == "LEAD"
    r = api.client.get("/v1/conversation/entity", headers=bearer)
    assert [c["id"] for c in r.json()["items"]] == [mine["id"]]
    assert _items(api, "/v1/conversation/entity")["total"] == 2


def test_soft_delete_and_restore_conversation(api: Any) -> None:
    cid = api.conversation()["id"]
    api.send(cid, "keep me")
    assert api.client.delete(f"/v1/conversation/{cid}", headers=api.write).status_code == 204
    for path in ("", "/messages"):
        r = api.client.get(f"/v1/conversation/{cid}{path}", headers=api.read)
        assert r.status_code == 404
    r = api.client.get(f"/v1/analytic/conversation/{cid}", headers=api.read)
    assert r.status_code == 404
    r = api.client.post(f"/v1/conversation/{cid}/chat", json={"message": "x"}, headers=api.write)
    assert r.status_code == 404
    assert api.client.delete(f"/v1/conversation/{cid}", headers=api.write).status_code == 404
    deleted = _items(api, "/v1/conversation/deleted")
    assert [c["id"] for c in deleted["items"]] == [cid] and deleted["items"][0]["deleted_at"]
    assert _items(api, "/v1/conversation")["total"] == 0
    for _ in range(2):  # idempotent
        r = api.client.patch(f"/v1/conversation/{cid}/restore", headers=api.write)
        assert r.status_code == 200 and r.json()["deleted_at"] is None
    assert r.json()["message_count"] == 2
    assert _items(api, "/v1/conversation/deleted")["total"] == 0
    assert _items(api, "/v1/conversation")["total"] == 1


def test_message_soft_delete_restore_and_rate(api: Any) -> None:
    cid = api.conversation()["id"]
    reply = api.send(cid, "one")
    api.send(cid, "two")
    mid = reply["message"]["id"]
    r = api.client.post(
        f"/v1/message/{mid}/rate", json={"rating": 5, "feedback": "clear"}, headers=api.write
    )
    assert r.json()["rating"] == 5 and r.json()["feedback"] == "clear"
    r = api.client.post(f"/v1/message/{mid}/rate", json={"rating": 3}, headers=api.write)
    assert r.json()["rating"] == 3
    assert api.client.delete(f"/v1/message/{mid}", headers=api.write).status_code == 204
    assert api.client.delete(f"/v1/message/{mid}", headers=api.write).status_code == 404
    assert _items(api, "/v1/message/deleted")["items"][0]["id"] == mid
    assert _items(api, f"/v1/conversation/{cid}/messages")["total"] == 3
    for _ in range(2):
        r = api.client.patch(f"/v1/message/{mid}/restore", headers=api.write)
        assert r.status_code == 200 and r.json()["deleted_at"] is None
    r = api.client.delete(f"/v1/conversation/{cid}/messages", headers=api.write)
    assert r.json() == {"conversation_id": cid, "affected": 4}
    r = api.client.delete(f"/v1/conversation/{cid}/messages", headers=api.write)
    assert r.json()["affected"] == 0
    assert _items(api, "/v1/message/deleted")["total"] == 4
    assert _items(api, f"/v1/conversation/{cid}/messages")["total"] == 0
    r = api.client.patch(f"/v1/conversation/{cid}/message/restore-all", headers=api.write)
    assert r.json()["affected"] == 4
    r = api.client.patch(f"/v1/conversation/{cid}/message/restore-all", headers=api.write)
    assert r.json()["affected"] == 0
    assert _items(api, f"/v1/conversation/{cid}/messages")["total"] == 4


def test_analytics_from_stored_data(api: Any) -> None:
    cid = api.conversation()["id"]
    first = api.send(cid, "abcd")
    api.send(cid, "efgh")
    api.client.post(
        f"/v1/message/{first['message']['id']}/rate",
        json={"rating": 4, "feedback": "good"},
        headers=api.write,
    )
    api.client.delete(f"/v1/message/{first['user_message']['id']}", headers=api.write)
    api.client.post(
        f"/v1/conversation/{cid}/end", json={"rating": 5, "feedback": "great"}, headers=api.write
    )
    data = api.client.get(f"/v1/analytic/conversation/{cid}", headers=api.read).json()
    stats = data["message_statistics"]
    assert (
        stats["total_messages"],
        stats["user_message_count"],
        stats["agent_message_count"],
        stats["deleted_message_count"],
    ) == (3, 1, 2, 1)
    msgs = _items(api, f"/v1/conversation/{cid}/messages")["items"]
    expected = sum(len(m["content"]) for m in msgs) / 3
    assert abs(stats["average_message_length"] - expected) < 0.01
    flow = data["conversation_flow"]
    assert flow["status"] == "ended" and flow["ended_at"] and flow["duration_minutes"] >= 0
    quality = data["quality_metrics"]
    assert quality == {
        "satisfaction_rating": 5,
        "rated_message_count": 1,
        "average_message_rating": 4.0,
        "feedback_count": 2,
    }


def test_validation_problems(api: Any) -> None:
    r = api.client.post(
        "/v1/conversation", json={"agent_id": "nope", "extra": 1}, headers=api.write
    )
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/problem+json"
    pointers = {e["pointer"] for e in r.json()["errors"]}
    assert pointers == {"/agent_id", ""}
    r = api.client.get("/v1/conversation", params={"per_page": 101}, headers=api.read)
    assert r.status_code == 400 and r.json()["errors"][0]["pointer"] == "query:per_page"
    r = api.client.post(
        "/v1/agent", content=b"{bad json", headers={**api.write, "Content-Type": "application/json"}
    )
    assert r.status_code == 400
    r = api.client.post(
        "/v1/conversation",
        json={"agent_id": "3f1c2a9e-7b4d-4c1e-9a2f-5d6e7f8a9b0c"},
        headers=api.write,
    )
    assert r.status_code == 404
    r = api.client.get("/v1/conversation", params={"page": 10**30}, headers=api.read)
    assert r.status_code == 200 and r.json()["items"] == []


def test_awkward_text_round_trips_or_is_refused(api: Any) -> None:
    r = api.client.post("/v1/agent", json={"name": "a\x00b\x1b0\x1b"}, headers=api.write)
    assert r.status_code == 201
    got = api.client.get(f"/v1/agent/{r.json()['id']}", headers=api.read).json()
    assert got["name"] == "a\x00b\x1b0\x1b"
    assert api.client.get("/agents/%00/conversations", headers=api.read).status_code == 404
    agent = r.json()["id"]
    r = api.client.get(f"/agents/{agent}/conversations/%00", headers=api.read)
    assert r.status_code == 404
    r = api.client.post(
        "/v1/agent",
        content=b'{"name": "\\ud800"}',
        headers={**api.write, "Content-Type": "application/json"},
    )
    assert r.status_code == 400
    token = api.built.make_token(tenant_id="t\x00", scopes=["read"])
    r = api.client.get("/v1/agent", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
