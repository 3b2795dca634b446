"""Several server processes on one PostgreSQL database (issue 10, item 5's multi-process rows).

* Throughput, 2 workers vs 1: ``parley serve --workers 1`` and ``--workers 2`` run side by
  side on the same database; ``getConversation`` and ``sendMessage`` (JSON) at 16 connections
  are loaded on each in turn, round after round; the ratio is the median of per-round ratios.
  On a 2-core machine that also runs the load generator and PostgreSQL, expect well under 2x.
* Stream resume on another process: a stream is started on server A with an
  ``Idempotency-Key``, two events are read, then the same request with ``Last-Event-ID: 2`` is
  sent to server B (or, as the baseline, to A again); the figure is the time to B's first
  replayed event (median of several streams).

Needs ``PARLEY_TEST_DATABASE_URL``; without it the rows say so.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from tests.multiprocess.cluster import Server, parley, servers

from .common import Config, Row, median
from .servers import load

ROWS = [
    "postgres getConversation c=16 2 workers vs 1",
    "postgres sendMessage c=16 2 workers vs 1",
    "postgres stream resume on another process: first event",
]
NOTE_2_CORES = (
    "2 shared cores also run PostgreSQL and the load generator: a second worker adds little "
    "CPU, so well under 2x is expected"
)


def _requests(server: Server, key: str, read_key: str) -> dict[str, list[dict[str, Any]]]:
    with httpx.Client(base_url=server.url, headers={"X-API-Key": key}, timeout=60) as c:
        agent = c.post("/v1/agent", json={"name": "bench"}).json()["id"]
        body = {"agent_id": agent, "max_context_length": 20}
        convs = [c.post("/v1/conversation", json=body).json()["id"] for _ in range(16)]
    read = {"X-API-Key": read_key, "Accept": "application/json"}
    write = {"X-API-Key": key, "Accept": "application/json"}
    return {
        "getConversation": [
            {"method": "GET", "path": f"/v1/conversation/{convs[0]}", "headers": read}
        ],
        "sendMessage": [
            {
                "method": "POST",
                "path": f"/v1/conversation/{cid}/chat",
                "headers": write,
                "body": {"message": "How much is the enterprise plan?"},
            }
            for cid in convs
        ],
    }


def _workers(cfg: Config, url: str, creds: dict[str, str], workdir: Path) -> list[Row]:
    with (
        servers(1, url, workdir / "one", token_delay=0, lease_seconds=3, workers=1) as (one,),
        servers(1, url, workdir / "two", token_delay=0, lease_seconds=3, workers=2) as (two,),
    ):
        reqs = _requests(one, creds["write_key"], creds["read_key"])
        rounds = 1 if cfg.quick else 3
        seconds = max(cfg.load_seconds, 1.0)  # sendMessage at 16 connections needs time
        rows = []
        for op in ("getConversation", "sendMessage"):
            ones, twos = [], []
            for _ in range(rounds):
                ones.append(load(one.port, reqs[op], 16, seconds, 0.2))
                twos.append(load(two.port, reqs[op], 16, seconds, 0.2))
            ratios = [b["rps"] / a["rps"] for a, b in zip(ones, twos, strict=True) if a["rps"]]
            failed = sum(x["requests"] - x["ok"] + x["errors"] for x in ones + twos)
            rows.append(
                Row(
                    "multiprocess",
                    f"postgres {op} c=16 2 workers vs 1",
                    median([x["rps"] for x in twos]),
                    "req/s",
                    median(ratios) if ratios else None,
                    "2 workers/1 worker",
                    "",
                    None,
                    NOTE_2_CORES + (f"; {failed} failed" if failed else ""),
                    {"one_worker_rps": median([x["rps"] for x in ones])},
                )
            )
    return rows


def _first_event_seconds(a: Server, b: Server, key: str, cid: str) -> float:
    """Starts a stream on ``a``, reads 2 events, resumes on ``b``; returns b's first event time."""
    headers = {"Accept": "text/event-stream", "Idempotency-Key": f"bench-{uuid.uuid4()}"}
    body = {"message": "tell me a long story"}
    path = f"/v1/conversation/{cid}/chat"
    with httpx.Client(headers={"X-API-Key": key}, timeout=60) as c:
        with c.stream("POST", a.url + path, json=body, headers=headers) as r:
            got = ""
            for chunk in r.iter_text():
                got += chunk
                if got.count("\n\n") >= 2:
                    break
        started = time.perf_counter()
        resume = {**headers, "Last-Event-ID": "2"}
        with c.stream("POST", b.url + path, json=body, headers=resume) as r:
            for _ in r.iter_text():
                return time.perf_counter() - started
    raise RuntimeError("the resumed stream sent nothing")


def _resume(cfg: Config, url: str, creds: dict[str, str], workdir: Path) -> list[Row]:
    with servers(2, url, workdir / "pair", token_delay=0.05, lease_seconds=3) as (a, b):
        key = creds["write_key"]
        with httpx.Client(base_url=a.url, headers={"X-API-Key": key}, timeout=60) as c:
            agent = c.post("/v1/agent", json={"name": "bench"}).json()["id"]
            body = {"agent_id": agent, "max_context_length": 4}
            cid = c.post("/v1/conversation", json=body).json()["id"]
        other, same = [], []
        for _ in range(2 if cfg.quick else 5):
            other.append(_first_event_seconds(a, b, key, cid))
            same.append(_first_event_seconds(a, a, key, cid))
    return [
        Row(
            "multiprocess",
            "postgres stream resume on another process: first event",
            median(other) * 1000,
            "ms",
            median(other) / median(same),
            "other process/same process",
            "",
            None,
            "includes B's key lookup and idempotency claim; the follower then waits on LISTEN",
            {"same_process_ms": median(same) * 1000},
        )
    ]


def run(cfg: Config) -> list[Row]:
    """Measures the multi-process rows on PostgreSQL (rows without values when unset)."""
    url = os.environ.get("PARLEY_TEST_DATABASE_URL")
    if not url:
        why = "needs PostgreSQL: set PARLEY_TEST_DATABASE_URL"
        return [Row("multiprocess", name, None, "", note=why) for name in ROWS]
    made = parley("tenants", "create", "--name", "bench", "--database-url", url, "--json")
    creds = json.loads(made.stdout)
    with tempfile.TemporaryDirectory(prefix="parley-bench-mp-") as folder:
        workdir = Path(folder)
        for sub in ("one", "two", "pair"):
            (workdir / sub).mkdir()
        return _workers(cfg, url, creds, workdir) + _resume(cfg, url, creds, workdir)
