"""Concurrent writers on PostgreSQL interleave as if serial (issue 25).

Each trial sends two conflicting writes (reopen and end, a streamed send and end, rate and
delete) at the same moment to `parley serve` on PostgreSQL and
checks what was answered and stored against every serial order of the two. Before the row
locks, 32 of 100 `end` answers said `ended_at: null` and 33 of 200 conversations kept a message
stamped after their end. 100 trials each, 10 at a time; every request has a timeout (a bound
against a hang, not a measurement).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest
from parley_server.testing import EmbeddedServer, start_server

from tests.postgres import require_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

PG_URL = require_postgres("race suite")
TRIALS = 100
AT_ONCE = 10


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with start_server(PG_URL) as running:
        yield running


def _client(server: EmbeddedServer) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=server.base_url,
        headers={"X-API-Key": server.tenant.write_key},
        timeout=30,
        limits=httpx.Limits(max_connections=4 * AT_ONCE),
    )


async def _conversation(client: httpx.AsyncClient, agent_id: str) -> dict[str, Any]:
    answer = await client.post("/v1/conversation", json={"agent_id": agent_id})
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def _trials(server: EmbeddedServer, trial: Any) -> list[str]:
    """Runs ``trial(client, agent_id)`` :data:`TRIALS` times, :data:`AT_ONCE` at a time."""
    gate = asyncio.Semaphore(AT_ONCE)
    async with _client(server) as client:
        agent = await client.post("/v1/agent", json={"name": "Racer"})
        assert agent.status_code == 201, agent.text

        async def one() -> list[str]:
            async with gate:
                return list(await trial(client, agent.json()["id"]))

        found = await asyncio.gather(*(one() for _ in range(TRIALS)))
    return [problem for problems in found for problem in problems]


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _ended_properly(conv: dict[str, Any]) -> bool:
    """The contract: `ended` carries its `ended_at`; `active` has none."""
    return (conv["status"] == "ended") == (conv["ended_at"] is not None)


async def _reopen_and_end(client: httpx.AsyncClient, agent_id: str) -> list[str]:
    cid = (await _conversation(client, agent_id))["id"]
    ended = await client.post(f"/v1/conversation/{cid}/end", json={})
    assert ended.status_code == 200, ended.text
    reopen, end = await asyncio.gather(
        client.patch(f"/v1/conversation/{cid}", json={"status": "active"}),
        client.post(f"/v1/conversation/{cid}/end", json={}),
    )
    assert reopen.status_code == 200 and end.status_code == 200, (reopen.text, end.text)
    stored = (await client.get(f"/v1/conversation/{cid}")).json()
    problems = []
    for name, conv in (("reopen", reopen.json()), ("end", end.json()), ("stored", stored)):
        if not _ended_properly(conv):
            problems.append(f"{cid} {name}: status {conv['status']}, ended_at {conv['ended_at']}")
    # Serial orders: reopen then end (stored ended), or end then reopen (stored active).
    last = end.json() if stored["status"] == "ended" else reopen.json()
    if stored["status"] != last["status"]:
        problems.append(f"{cid}: stored {stored['status']}, last answer {last['status']}")
    return problems


def test_reopen_and_end_at_once_never_lose_ended_at(server: EmbeddedServer) -> None:
    assert asyncio.run(_trials(server, _reopen_and_end)) == []


async def _send_and_end(client: httpx.AsyncClient, agent_id: str) -> list[str]:
    cid = (await _conversation(client, agent_id))["id"]
    sent, end = await asyncio.gather(
        client.post(
            f"/v1/conversation/{cid}/chat",
            json={"message": "hello"},
            headers={"Accept": "text/event-stream"},
        ),
        client.post(f"/v1/conversation/{cid}/end", json={}),
    )
    assert end.status_code == 200, end.text
    assert sent.status_code in (200, 409), sent.text
    ended_at = _time(end.json()["ended_at"])
    listed = await client.get(f"/v1/conversation/{cid}/messages", params={"per_page": 100})
    users = [m for m in listed.json()["items"] if m["role"] == "user"]
    problems = [
        f"{cid}: user message {m['id']} stamped {m['created_at']}, ended at {ended_at}"
        for m in users
        if _time(m["created_at"]) > ended_at
    ]
    # A refused message is not stored; an accepted one is, before the end.
    if len(users) != (1 if sent.status_code == 200 else 0):
        problems.append(f"{cid}: answered {sent.status_code}, stored {len(users)} user messages")
    return problems


def test_a_message_is_never_accepted_after_the_end(server: EmbeddedServer) -> None:
    assert asyncio.run(_trials(server, _send_and_end)) == []


async def _rate_and_delete(client: httpx.AsyncClient, agent_id: str) -> list[str]:
    cid = (await _conversation(client, agent_id))["id"]
    sent = await client.post(f"/v1/conversation/{cid}/chat", json={"message": "rate me"})
    assert sent.status_code == 200, sent.text
    mid = sent.json()["message"]["id"]
    rated, deleted = await asyncio.gather(
        client.post(f"/v1/message/{mid}/rate", json={"rating": 5}),
        client.delete(f"/v1/message/{mid}"),
    )
    assert deleted.status_code == 204, deleted.text
    # Serial orders: rate then delete (200, a live message), or delete then rate (404).
    if rated.status_code == 200 and rated.json()["deleted_at"] is not None:
        return [f"{mid}: rated after its deletion: {rated.text}"]
    if rated.status_code not in (200, 404):
        return [f"{mid}: rate answered {rated.status_code}"]
    return []


def test_a_message_is_never_rated_after_its_deletion(server: EmbeddedServer) -> None:
    assert asyncio.run(_trials(server, _rate_and_delete)) == []
