"""The coverage phase over the whole spec, and seeded fuzzing, against `parley serve`.

schemathesis' coverage phase mutates headers, query strings and bodies, some of them into
requests that are not valid HTTP/1.1 (a `Content-Length` of `CY2`). These reach uvicorn's
parser, not the app, so they are only seen over a real socket: one reference server runs as
`parley serve` does (a subprocess on 127.0.0.1, SQLite), and each run is one
`parley contract-test URL --phases ... --max-examples 5 --seed S` subprocess.

The coverage phase draws its values with a fixed seed of its own (schemathesis'
`generate_one`): its requests do not depend on `--seed`, so it runs once, in CI, together
with the fuzzing phase on the fixed seed :data:`CI_SEED`. The fuzzing phase (which also
mutates headers in its negative cases) sends different requests for every seed (about 2,000
each): the sweep over :data:`SWEEP_SEEDS` is marked ``sweep``, left out of the default run,
and run with::

    pytest -m sweep tests/contract/test_coverage_sweep.py

(about 5 CPU-minutes; 24 minutes of wall time were measured at load average 12-17 on 2 cores).
A failure names the seed and the command that replays it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from parley_server.testing import EmbeddedServer, start_server

CI_SEED = 1
"""The fuzzing seed of the default run (fixed: CI is reproducible)."""
SWEEP_SEEDS = [1, 2, 3, 42, 176017372547308032906058897223864969484, *range(1000, 1020)]
CONCURRENT_SEEDS = 3
FUZZING_EXAMPLES = 5
SEED_TIMEOUT_SECONDS = 600


@pytest.fixture(scope="module")
def target() -> Iterator[tuple[EmbeddedServer, str]]:
    """The server and the id of an agent of its first tenant."""
    with start_server() as server:
        agent = httpx.post(
            server.base_url + "/v1/agent",
            json={"name": "sweep"},
            headers={"X-API-Key": server.tenant.write_key},
            timeout=30,
        )
        assert agent.status_code == 201, agent.text
        yield server, str(agent.json()["id"])


def _command(url: str, agent_id: str, phases: str, seed: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "parley_cli",
        "contract-test",
        url,
        "--phases",
        phases,
        "--max-examples",
        str(FUZZING_EXAMPLES),
        "--no-extra-checks",
        "--path-value",
        f"agentKey={agent_id}",
        "--seed",
        str(seed),
    ]


def _run(target: tuple[EmbeddedServer, str], phases: str, seed: int) -> tuple[int, int, str]:
    server, agent_id = target
    env = {**os.environ, "PARLEY_API_KEY": server.tenant.write_key}
    command = _command(server.base_url, agent_id, phases, seed)
    print(f"contract-test --phases {phases} --seed {seed}")
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=SEED_TIMEOUT_SECONDS
    )
    return seed, done.returncode, done.stdout + done.stderr


def _assert_passed(results: list[tuple[int, int, str]], phases: str) -> None:
    failed = [(seed, output) for seed, code, output in results if code != 0]
    for seed, output in failed:
        print(f"--- seed {seed} ---\n{output[-6000:]}")
        print(
            f"rerun: parley serve & PARLEY_API_KEY=<write key> parley contract-test URL "
            f"--phases {phases} --max-examples {FUZZING_EXAMPLES} --no-extra-checks "
            f"--path-value agentKey=<agent id> --seed {seed}"
        )
    assert not failed, f"contract-test --phases {phases} failed for seeds {[s for s, _ in failed]}"


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_coverage_phase_and_fuzzing_on_the_ci_seed_pass(target: tuple[EmbeddedServer, str]) -> None:
    result = _run(target, "coverage,fuzzing", CI_SEED)
    _assert_passed([result], "coverage,fuzzing")
    assert ", 0 failures" in result[2], result[2][-3000:]


@pytest.mark.slow
@pytest.mark.sweep
@pytest.mark.timeout(3600)
def test_fuzzing_passes_for_every_sweep_seed(target: tuple[EmbeddedServer, str]) -> None:
    with ThreadPoolExecutor(CONCURRENT_SEEDS) as pool:
        results = list(pool.map(lambda seed: _run(target, "fuzzing", seed), SWEEP_SEEDS))
    _assert_passed(results, "fuzzing")
