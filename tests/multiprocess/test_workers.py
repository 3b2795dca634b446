"""`parley serve --workers 2` on PostgreSQL, and the multi-process benchmark section.

Skipped (with the reason shown by ``-ra``) when PARLEY_TEST_DATABASE_URL is unset; CI sets it.
About 45 s for the workers test and 60 s for the benchmark section on the shared 2-core machine.
"""

from __future__ import annotations

import json
import signal
from contextlib import suppress
from pathlib import Path

import pytest

from tests.multiprocess.cluster import client, conversation, messages, parley, servers, sse
from tests.postgres import require_postgres

LEASE = 1.5

PG_URL = require_postgres("multi-process suite")
pytestmark = [pytest.mark.postgres, pytest.mark.slow]  # `parley serve --workers` processes


def workers(pid: int) -> list[int]:
    """The ids of ``pid``'s uvicorn worker processes (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) != pid:
                continue
            with suppress(OSError):
                if b"spawn_main" in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
    return found


def test_workers_two_serve_one_database_and_drain_on_sigterm(tmp_path: Path) -> None:
    creds = json.loads(
        parley("tenants", "create", "--name", "workers", "--database-url", PG_URL, "--json").stdout
    )
    with servers(1, PG_URL, tmp_path, token_delay=0.05, lease_seconds=LEASE, workers=2) as (s,):
        assert s.popen is not None
        assert len(workers(s.popen.pid)) == 2
        with client(s, creds["write_key"]) as c:
            assert c.get("/healthz").json() == {"status": "ok"}
            assert c.get("/readyz").json()["status"] == "ready"
        cid = conversation(s, creds["write_key"])
        got = ""
        with (
            client(s, creds["write_key"]) as c,
            c.stream(
                "POST",
                f"/v1/conversation/{cid}/chat",
                json={"message": "drain"},
                headers={"Accept": "text/event-stream"},
            ) as r,
        ):
            chunks = r.iter_text()
            got = next(chunks)
            assert s.popen is not None
            s.popen.send_signal(signal.SIGTERM)
            got += "".join(chunks)
        assert s.popen.wait(30) == 0
    events = sse(got)
    assert events[-1]["event"] == "complete"
    with servers(1, PG_URL, tmp_path, token_delay=0, lease_seconds=LEASE) as (again,):
        stored = messages(again, creds["write_key"], cid)
    assert [m["content"] for m in stored] == ["drain", events[-1]["data"]["content"]]


def test_multiprocess_benchmark_section_measures_every_row() -> None:
    """Keeps `scripts/bench --only multiprocess` from rotting (quick counts, ~60 s)."""
    from tests.benchmarks import bench_multiprocess
    from tests.benchmarks.common import Config

    rows = {r.name: r for r in bench_multiprocess.run(Config.make(True))}
    assert set(rows) == set(bench_multiprocess.ROWS)
    for row in rows.values():
        assert row.value is not None and row.value > 0, row
    resume = rows["postgres stream resume on another process: first event"]
    assert resume.ratio is not None and resume.extra["same_process_ms"] > 0
