"""Many `parley serve` processes on one PostgreSQL database keep every promise of the contract.

Skipped (with the reason shown by ``-ra``) when PARLEY_TEST_DATABASE_URL is unset; CI sets it.
The module starts two servers once (about 20 s on a busy machine), a third for the SIGKILL
test and a pair without token delay for the contract-test run through the proxy, capped by
``--max-time 90`` (it took 200 s uncapped at load average 16 on 2 shared cores); each other
test takes 5-25 s.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from parley_server import tables
from parley_server.auth import Authenticator, create_api_key
from parley_server.db import Database, now
from parley_server.notify import Notifier
from parley_server.problems import ProblemError
from parley_server.provision import list_keys, revoke_key
from sqlalchemy import func, select

from tests.multiprocess.cluster import (
    RoundRobinProxy,
    Server,
    client,
    conversation,
    messages,
    parley,
    servers,
    sse,
)
from tests.postgres import require_postgres

PG_URL = require_postgres("multi-process suite")
pytestmark = [pytest.mark.postgres, pytest.mark.slow]  # several `parley serve` processes

TOKEN_DELAY = 0.05
"""Seconds per streamed token: a reply of ~37 tokens lasts about 2 s."""
LEASE = 1.5
"""Seconds a stream outlives its producer's last heartbeat."""


@pytest.fixture(scope="module")
def tenant() -> dict[str, str]:
    out = parley("tenants", "create", "--name", "multiprocess", "--database-url", PG_URL, "--json")
    creds: dict[str, str] = json.loads(out.stdout)
    return creds


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Server]]:
    workdir = tmp_path_factory.mktemp("multiprocess")
    with servers(2, PG_URL, workdir, token_delay=TOKEN_DELAY, lease_seconds=LEASE) as started:
        yield started


def read_events(server: Server, key: str, path: str, headers: dict[str, str], keep: int) -> str:
    """Reads ``keep`` events (all when 0) of a stream, then drops the connection."""
    got = ""
    with (
        client(server, key) as c,
        c.stream(
            "POST",
            path,
            json={"message": "tell me a long story"},
            headers={"Accept": "text/event-stream", **headers},
        ) as r,
    ):
        assert r.status_code == 200, r.read()
        for chunk in r.iter_text():
            got += chunk
            if keep and got.count("\n\n") >= keep:
                return got.rsplit("\n\n", got.count("\n\n") - keep)[0] + "\n\n"
    return got


def test_stream_started_on_a_resumes_on_b_without_loss_or_repeat(
    pair: list[Server], tenant: dict[str, str]
) -> None:
    a, b = pair
    key = tenant["write_key"]
    cid = conversation(a, key)
    path = f"/v1/conversation/{cid}/chat"
    headers = {"Idempotency-Key": f"resume-{uuid.uuid4()}"}
    first = sse(read_events(a, key, path, headers, keep=2))
    assert [e["id"] for e in first] == [1, 2]
    started = time.monotonic()
    rest_text = ""
    first_event_seconds = None
    with (
        client(b, key) as c,
        c.stream(
            "POST",
            path,
            json={"message": "tell me a long story"},
            headers={"Accept": "text/event-stream", "Last-Event-ID": "2", **headers},
        ) as r,
    ):
        assert r.status_code == 200
        for chunk in r.iter_text():
            if first_event_seconds is None:
                first_event_seconds = time.monotonic() - started
            rest_text += chunk
    rest = sse(rest_text)
    events = first + rest
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    assert [e["event"] for e in events].count("complete") == 1
    assert events[-1]["event"] == "complete"
    assert all(e["event"] == "delta" for e in events[1:-1]) and len(events) > 5
    text = "".join(e["data"]["content"] for e in events if e["event"] == "delta")
    assert events[-1]["data"]["content"] == text
    # The reply is stored once, and a replay from A (now complete) gives the same events.
    stored = messages(b, key, cid)
    assert [m["role"] for m in stored] == ["user", "assistant"]
    replayed = sse(read_events(a, key, path, headers, keep=0))
    assert replayed == events
    print(f"\nresume on another process: first event after {first_event_seconds:.3f} s")


def test_twenty_identical_posts_over_two_processes_store_once(
    pair: list[Server], tenant: dict[str, str]
) -> None:
    key = tenant["write_key"]
    cid = conversation(pair[0], key)
    idem = f"burst-{uuid.uuid4()}"
    answers: list[httpx.Response] = []
    lock = threading.Lock()
    go = threading.Barrier(20)

    def post(i: int) -> None:
        with client(pair[i % 2], key) as c:
            go.wait()
            r = c.post(
                f"/v1/conversation/{cid}/chat",
                json={"message": "once"},
                headers={"Idempotency-Key": idem},
            )
        with lock:
            answers.append(r)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(answers) == 20
    fresh = [r for r in answers if r.status_code == 200 and "idempotent-replayed" not in r.headers]
    replays = [r for r in answers if r.headers.get("idempotent-replayed") == "true"]
    busy = [r for r in answers if r.status_code == 409]
    assert len(fresh) == 1, [(r.status_code, r.text[:200]) for r in answers]
    assert len(fresh) + len(replays) + len(busy) == 20
    for r in busy:
        assert r.json()["type"].endswith("idempotency-key-in-flight")
    for r in replays:
        assert r.content == fresh[0].content
    assert [m["content"] for m in messages(pair[1], key, cid)][:1] == ["once"]
    assert len(messages(pair[1], key, cid)) == 2
    # Once stored, every process replays it.
    for server in pair:
        with client(server, key) as c:
            again = c.post(
                f"/v1/conversation/{cid}/chat",
                json={"message": "once"},
                headers={"Idempotency-Key": idem},
            )
        assert again.headers.get("idempotent-replayed") == "true"
        assert again.content == fresh[0].content


async def _stored_events(idempotency_key: str) -> int:
    db = Database(PG_URL)
    try:
        async with db.read() as conn:
            query = select(func.count()).where(tables.stream_events.c.key == idempotency_key)
            return int((await conn.execute(query)).scalar_one())
    finally:
        await db.close()


async def _lease_until(idempotency_key: str) -> str:
    db = Database(PG_URL)
    try:
        async with db.read() as conn:
            c = tables.idempotency.c
            query = select(c.lease_until).where(c.key == idempotency_key)
            (until,) = (await conn.execute(query)).scalars().all()
            assert isinstance(until, str)
            return until
    finally:
        await db.close()


async def _revoke(url: str, key_id: str) -> None:
    db = Database(url)
    try:
        await revoke_key(db, key_id)
    finally:
        await db.close()


def test_key_revoked_through_one_process_is_refused_by_all(
    pair: list[Server], tenant: dict[str, str]
) -> None:
    tid = tenant["tenant_id"]
    made = parley("keys", "create", "--tenant", tid, "--database-url", PG_URL, "--json")
    created = json.loads(made.stdout)
    key = created["key"]
    listed = json.loads(parley("keys", "list", "--database-url", PG_URL, "--json").stdout)
    (info,) = [k for k in listed if key.startswith(k["prefix"]) and k["revoked_at"] is None]
    for server in pair:  # both processes' key caches hold the key now
        with client(server, key) as c:
            assert c.get("/v1/agent").status_code == 200
    asyncio.run(_revoke(PG_URL, info["id"]))
    # That the notification (not the cache's expiry) refuses it is proven on a frozen clock in
    # test_revocation_notification_refuses_a_cached_key_at_once; the deadline is a hang guard.
    refused: set[str] = set()
    deadline = time.monotonic() + 60
    with client(pair[0], key) as ca, client(pair[1], key) as cb:
        while len(refused) < 2:
            assert time.monotonic() < deadline, f"only {refused or 'none'} refused the key"
            for name, c in (("a", ca), ("b", cb)):
                if name not in refused and c.get("/v1/agent").status_code == 401:
                    refused.add(name)
            time.sleep(0.02)
    listed = json.loads(parley("keys", "list", "--database-url", PG_URL, "--json").stdout)
    assert [k["revoked_at"] is not None for k in listed if k["id"] == info["id"]] == [True]


def test_revocation_notification_refuses_a_cached_key_at_once(tenant: dict[str, str]) -> None:
    """A server's cache forgets a key revoked elsewhere on the notification, not on expiry."""

    async def run() -> None:
        db = Database(PG_URL)
        auth = Authenticator(db, "s" * 40, clock=lambda: 0.0)  # the cache never expires
        forgotten = asyncio.Event()

        def forget(key_hash: str) -> None:
            auth.forget(key_hash)
            forgotten.set()

        notifier = Notifier(db, forget)
        await notifier.start()
        try:
            assert notifier.listening
            async with db.write() as conn:
                key = await create_api_key(conn, tenant["tenant_id"], ["read"])
            assert (await auth.authenticate({"x-api-key": key})).tenant_id == tenant["tenant_id"]
            (info,) = [i for i in await list_keys(db) if key.startswith(i.prefix)]
            await revoke_key(db, info.id)
            await asyncio.wait_for(forgotten.wait(), 60)  # hang guard, not a time limit
            with pytest.raises(ProblemError) as refused:
                await auth.authenticate({"x-api-key": key})
            assert refused.value.status == 401
        finally:
            await notifier.close()
            await db.close()

    asyncio.run(run())


def test_sigkill_of_the_producer_ends_followers_with_stream_interrupted(
    pair: list[Server], tenant: dict[str, str], tmp_path: Path
) -> None:
    key = tenant["write_key"]
    cid = conversation(pair[0], key)
    path = f"/v1/conversation/{cid}/chat"
    headers = {"Idempotency-Key": f"kill-{uuid.uuid4()}"}
    with servers(1, PG_URL, tmp_path, token_delay=0.2, lease_seconds=LEASE) as (producer,):
        seen = sse(read_events(producer, key, path, headers, keep=3))
        # Wait until the producer has flushed the events the client saw to the database (the
        # deadline is a hang guard, not a time limit).
        deadline = time.monotonic() + 60
        while asyncio.run(_stored_events(headers["Idempotency-Key"])) < 3:
            assert time.monotonic() < deadline, "the first events never reached the database"
            time.sleep(0.02)
        producer.kill()
    lease_until = asyncio.run(_lease_until(headers["Idempotency-Key"]))
    followed = ""
    with (
        client(pair[1], key) as c,
        c.stream(
            "POST",
            path,
            json={"message": "tell me a long story"},
            headers={"Accept": "text/event-stream", "Last-Event-ID": "3", **headers},
        ) as r,
    ):
        for chunk in r.iter_text():
            followed += chunk
    ended = now()
    events = sse(followed)
    assert events[-1]["event"] == "error"
    assert events[-1]["data"]["type"].endswith("stream-interrupted")
    assert [e["id"] for e in events] == list(range(4, 4 + len(events)))
    # The follower waited for the lease that the dead producer's last heartbeat wrote (two
    # timestamps of the same clock, so no load can make this fail by itself).
    assert ended >= lease_until, (ended, lease_until)
    assert [e["event"] for e in seen] == ["start", "delta", "delta"]
    # Nothing stored twice: the user's message once, no reply; a repeat on A changes nothing.
    with client(pair[0], key) as c:
        again = c.post(
            path,
            json={"message": "tell me a long story"},
            headers={"Accept": "text/event-stream", **headers},
        )
    replay = sse(again.text)
    assert replay[0] == seen[0] and replay[-1]["event"] == "error"
    assert [m["role"] for m in messages(pair[0], key, cid)] == ["user"]


def test_contract_test_passes_through_a_round_robin_proxy(
    tenant: dict[str, str], tmp_path: Path
) -> None:
    other = json.loads(
        parley("tenants", "create", "--name", "other", "--database-url", PG_URL, "--json").stdout
    )
    started = time.monotonic()
    # Replies without a per-token delay: the run exercises contract, not patience.
    with (
        servers(2, PG_URL, tmp_path, token_delay=0, lease_seconds=LEASE) as pair,
        RoundRobinProxy([s.port for s in pair]) as proxy,
    ):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "parley_cli",
                "contract-test",
                proxy.url,
                "--api-key",
                tenant["write_key"],
                "--read-only-api-key",
                tenant["read_key"],
                "--other-tenant-api-key",
                other["write_key"],
                "--max-examples",
                "5",
                "--seed",
                "1",
                "--max-time",
                "30",  # fuzzing through the proxy: the promise checks after it are the point
            ],
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        connections = proxy.connections
    elapsed = time.monotonic() - started
    print(f"\ncontract-test through the proxy: {elapsed:.1f} s, {connections} connections")
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert ", 0 failures" in result.stdout
    assert connections >= 2
