"""The server as a process: crash recovery, in-flight keys, disconnects, live resume, CLI."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from parley_server import tables
from parley_server.db import Database
from parley_server.idempotency import IN_FLIGHT
from parley_server.testing import EmbeddedServer, start_server
from sqlalchemy import select
from srv_sse import parse

from tests.postgres import postgres_param

PROCESS_BACKENDS = [pytest.param(None, id="sqlite-file")]
PROCESS_BACKENDS.append(postgres_param())  # skipped, with the reason, when unset


@pytest.fixture(params=PROCESS_BACKENDS)
def server(request: pytest.FixtureRequest) -> Iterator[EmbeddedServer]:
    with start_server(request.param, token_delay_seconds=0.01) as srv:
        yield srv


def _client(server: EmbeddedServer) -> httpx.Client:
    return httpx.Client(
        base_url=server.base_url, headers={"X-API-Key": server.tenant.write_key}, timeout=30
    )


def _conversation(client: httpx.Client) -> str:
    agent = client.post("/v1/agent", json={"name": "a"}).json()["id"]
    return str(
        client.post("/v1/conversation", json={"agent_id": agent, "max_context_length": 4}).json()[
            "id"
        ]
    )


def _all_messages(client: httpx.Client, cid: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in range(1, 1000):
        data = client.get(
            f"/v1/conversation/{cid}/messages", params={"page": page, "per_page": 100}
        ).json()
        items += data["items"]
        if page >= data["pages"]:
            return items
    raise AssertionError("too many pages")


@pytest.mark.slow
def test_sigkill_mid_burst_keeps_every_acknowledged_message_once(server: EmbeddedServer) -> None:
    with _client(server) as client:
        cid = _conversation(client)
    acked: list[str] = []
    refused: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def burst(worker: int) -> None:
        with _client(server) as client:
            for i in range(200):
                if stop.is_set():
                    return
                text = f"w{worker}-m{i}"
                try:
                    r = client.post(
                        f"/v1/conversation/{cid}/chat",
                        json={"message": text},
                        headers={"Idempotency-Key": str(uuid.uuid4())},
                    )
                except httpx.HTTPError:
                    return
                with lock:
                    if r.status_code == 200:
                        acked.append(text)
                    else:
                        refused.append(f"{r.status_code} {r.text}")

    threads = [threading.Thread(target=burst, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 20
    while len(acked) < 12 and time.monotonic() < deadline:
        time.sleep(0.02)
    server.kill()
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert len(acked) >= 12
    assert not refused, refused[:3]
    server.restart()
    with _client(server) as client:
        stored = _all_messages(client, cid)
        users = [m["content"] for m in stored if m["role"] == "user"]
        for text in acked:
            assert users.count(text) == 1, text
        # Every stored user message has its reply right after it (one transaction each), even
        # with four concurrent senders.
        assert [m["role"] for m in stored] == ["user", "assistant"] * len(users)
        assert client.get(f"/v1/conversation/{cid}").json()["message_count"] == len(stored)


def _open_stream(
    server: EmbeddedServer, path: str, body: Any, headers: dict[str, str], keep: int
) -> list[dict[str, Any]]:
    """Reads ``keep`` events of a stream, then drops the connection."""
    got = ""
    with (
        _client(server) as client,
        client.stream(
            "POST", path, json=body, headers={"Accept": "text/event-stream", **headers}
        ) as r,
    ):
        assert r.status_code == 200
        for chunk in r.iter_text():
            got += chunk
            if got.count("\n\n") >= keep:
                break
    return parse(got.rsplit("\n\n", got.count("\n\n") - keep)[0] if keep else "")


def _in_flight(database_url: str, tenant_id: str, key: str) -> bool:
    async def look() -> bool:
        db = Database(database_url)
        try:
            async with db.read() as conn:
                c = tables.idempotency.c
                query = select(c.status).where(c.tenant_id == tenant_id, c.key == key)
                return (await conn.execute(query)).scalar_one_or_none() == IN_FLIGHT
        finally:
            await db.close()

    return bool(asyncio.run(look()))


def _second_request_while_in_flight(server: EmbeddedServer, client: httpx.Client) -> int:
    """Sends a keyed JSON chat, and the same again once the database shows the first in flight.

    Returns the second answer's status. When the first reply finished before the second
    request was claimed (a replay of it comes back: the machine was slow), it tries again with
    a reply twice as long; a server that never says 409 fails after five tries.
    """
    cid = _conversation(client)  # its own conversation: the stored counts below stay exact
    path = f"/v1/conversation/{cid}/chat"
    for attempt in range(5):
        key = f"in-flight-{attempt}-{uuid.uuid4()}"
        body = {"message": "slow " * (16 << attempt)}  # a long message makes a long reply
        first: dict[str, Any] = {}

        def send(key: str = key, body: dict[str, str] = body, out: dict[str, Any] = first) -> None:
            try:
                with _client(server) as own:  # its own connection, closed by this thread
                    out["r"] = own.post(path, json=body, headers={"Idempotency-Key": key})
            except httpx.HTTPError as exc:
                out["r"] = exc

        t = threading.Thread(target=send)
        t.start()
        try:
            deadline = time.monotonic() + 60  # a hang guard
            tenant = server.tenant.tenant_id
            while not _in_flight(server.database_url, tenant, key) and "r" not in first:
                assert time.monotonic() < deadline, "the first request was never claimed"
                time.sleep(0.01)
            with _client(server) as other:
                second = other.post(path, json=body, headers={"Idempotency-Key": key})
        finally:
            t.join()
        assert isinstance(first["r"], httpx.Response), first["r"]
        assert first["r"].status_code == 200, first["r"].text
        if second.status_code == 409:
            assert second.json()["type"].endswith("idempotency-key-in-flight")
            return 409
        # Anything but a replay of the finished first reply is wrong.
        assert second.headers.get("idempotent-replayed") == "true", (second, second.text)
        assert second.content == first["r"].content
    return second.status_code


@pytest.mark.slow
def test_disconnect_keeps_reply_and_resume_follows_live_stream(server: EmbeddedServer) -> None:
    with _client(server) as client:
        cid = _conversation(client)
        path = f"/v1/conversation/{cid}/chat"
        first = _open_stream(server, path, {"message": "long"}, {"Idempotency-Key": "k"}, 3)
        assert [e["id"] for e in first] == [1, 2, 3]
        # While the reply is still being produced, the same key + Last-Event-ID follows it.
        with client.stream(
            "POST",
            path,
            json={"message": "long"},
            headers={"Accept": "text/event-stream", "Idempotency-Key": "k", "Last-Event-ID": "3"},
        ) as r:
            rest = parse("".join(r.iter_text()))
        assert [e["id"] for e in rest] == list(range(4, 4 + len(rest)))
        assert rest[-1]["event"] == "complete"
        # A key already in flight for a JSON request answers 409.
        assert _second_request_while_in_flight(server, client) == 409
        # A client that leaves mid-stream without a key still gets the whole reply stored.
        _open_stream(server, path, {"message": "bye"}, {}, 2)
        deadline = time.monotonic() + 60  # a hang guard
        while time.monotonic() < deadline:
            stored = _all_messages(client, cid)
            if len(stored) == 4:
                break
            time.sleep(0.05)
        assert [m["role"] for m in stored] == ["user", "assistant"] * 2
        assert stored[1]["content"] == rest[-1]["data"]["content"]


@pytest.mark.slow
def test_sigterm_finishes_open_streams_before_exit(server: EmbeddedServer) -> None:
    with _client(server) as client:
        cid = _conversation(client)
        with client.stream(
            "POST",
            f"/v1/conversation/{cid}/chat",
            json={"message": "drain"},
            headers={"Accept": "text/event-stream"},
        ) as r:
            chunks = r.iter_text()
            got = next(chunks)
            stopper = threading.Thread(target=server.stop)
            stopper.start()
            got += "".join(chunks)
        stopper.join()
    events = parse(got)
    assert events[-1]["event"] == "complete"
    server.restart()
    with _client(server) as client:
        stored = _all_messages(client, cid)
    assert [m["content"] for m in stored] == ["drain", events[-1]["data"]["content"]]


@pytest.mark.slow
def test_stream_cut_by_a_crash_replays_as_interrupted_and_stores_nothing_twice(
    server: EmbeddedServer,
) -> None:
    with _client(server) as client:
        cid = _conversation(client)
    path = f"/v1/conversation/{cid}/chat"
    seen = _open_stream(server, path, {"message": "cut"}, {"Idempotency-Key": "cut"}, 3)
    assert [e["event"] for e in seen] == ["start", "delta", "delta"]
    server.kill()
    server.restart()
    headers = {"Accept": "text/event-stream", "Idempotency-Key": "cut"}
    with _client(server) as client:
        for last in (0, 1, 3):
            extra = {"Last-Event-ID": str(last)} if last else {}
            with client.stream(
                "POST", path, json={"message": "cut"}, headers={**headers, **extra}
            ) as r:
                events = parse("".join(r.iter_text()))
            # The events stored before the crash (at least the start), then the error, with
            # ids after every id the client may have seen.
            assert [e["id"] for e in events] == list(range(last + 1, last + 1 + len(events)))
            assert events[-1]["event"] == "error"
            assert events[-1]["data"]["type"].endswith("stream-interrupted")
            if not last:
                assert events[0] == seen[0] and len(events) >= 2
            for got in events[:-1]:
                assert got["event"] in ("start", "delta")
                assert got["id"] > 3 or got == seen[got["id"] - 1]
        stored = _all_messages(client, cid)
    assert [m["content"] for m in stored] == ["cut"]


def test_cli_serve_prints_keys_once_and_keys_create(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    cmd = [sys.executable, "-m", "parley_cli"]
    out = subprocess.run(
        [*cmd, "keys", "create", "--scope", "read", "--database-url", db, "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert '"scopes": ["read"]' in out.stdout
    bad = subprocess.run(
        [*cmd, "keys", "create", "--scope", "admin", "--database-url", db],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode != 0
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    for expect_keys in (True, False):
        proc = subprocess.Popen(
            [*cmd, "serve", "--port", "0", "--database-url", fresh],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert proc.stdout is not None
        lines = []
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            if "Uvicorn running" in line or not line:
                break
        proc.terminate()
        proc.wait(timeout=15)
        text = "".join(lines)
        assert ("Write key (read,write): pk_" in text) is expect_keys, text
        assert ("Read key (read):" in text) is expect_keys
