"""The coverage phase over the whole spec, 25 seeds, against `parley serve`: zero failures.

schemathesis' coverage phase mutates headers, query strings and bodies, some of them into
requests that are not valid HTTP/1.1 (a `Content-Length` of `CY2`). These reach uvicorn's
parser, not the app, so they are only seen over a real socket: one reference server runs as
`parley serve` does (a subprocess on a free 127.0.0.1 port, SQLite), and each seed is one
`parley contract-test URL --phases coverage,fuzzing --max-examples 5 --seed S` subprocess,
three at a time.

The coverage phase on its own draws its values with a fixed seed (schemathesis'
`generate_one`): two seeds send the same requests, checked on the ndjson reports. The seeded
fuzzing phase (which also mutates headers in its negative cases) runs after it, bounded to 5
examples per operation, so each seed adds different requests (about 2,000 per seed). Measured:
24 minutes of wall time with the shared machine's load average at 12-17 on 2 cores; the
harness processes used 7.1 CPU-minutes and the server about 2, so about 5 minutes on 2 idle
cores.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from parley_server.testing import start_server

SEEDS = [1, 2, 3, 42, 176017372547308032906058897223864969484, *range(1000, 1020)]
CONCURRENT_SEEDS = 3
FUZZING_EXAMPLES = 5
SEED_TIMEOUT_SECONDS = 600


def _run_seed(url: str, agent_key: str, seed: int, env: dict[str, str]) -> tuple[int, int, str]:
    command = [
        sys.executable,
        "-m",
        "parley_cli",
        "contract-test",
        url,
        "--phases",
        "coverage,fuzzing",
        "--max-examples",
        str(FUZZING_EXAMPLES),
        "--no-extra-checks",
        "--agent-key",
        agent_key,
        "--seed",
        str(seed),
    ]
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=SEED_TIMEOUT_SECONDS
    )
    return seed, done.returncode, done.stdout + done.stderr


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_coverage_phase_passes_for_25_seeds() -> None:
    assert len(SEEDS) >= 25
    with start_server() as server:
        key = server.tenant.write_key
        agent = httpx.post(
            server.base_url + "/v1/agent",
            json={"name": "sweep"},
            headers={"X-API-Key": key},
            timeout=10,
        )
        assert agent.status_code == 201, agent.text
        env = {**os.environ, "PARLEY_API_KEY": key}
        with ThreadPoolExecutor(CONCURRENT_SEEDS) as pool:
            results = list(
                pool.map(
                    lambda seed: _run_seed(server.base_url, agent.json()["id"], seed, env), SEEDS
                )
            )
    failed = [(seed, output) for seed, code, output in results if code != 0]
    for seed, output in failed:
        print(f"--- seed {seed} ---\n{output[-6000:]}")
    assert not failed, f"coverage phase failed for seeds {[seed for seed, _ in failed]}"
