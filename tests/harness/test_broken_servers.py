"""`parley contract-test URL` catches broken servers and names the operation and the check.

Each variant is the reference server behind one piece of ASGI middleware that breaks the
contract on one operation, most of them subtly (one field, one enum value, one event, one
count, one status code). Variants on different operations share a server, and a default run
(every operation, phase and check) must name each one's operation and check.

The control, that the healthy server passes the same run, is
`test_healthy_servers.test_embedded_reference_server_passes_every_operation`: a default run of
every operation on the session's fuzzing seed, which under CI is the seed used here (1).
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
from parley_server.testing import InProcessApp, build_app

from tests.harness import broken
from tests.harness.serving import serve
from tests.harness.variants import VARIANTS, Variant

# Variants share a server when they break different operations (no operation has more than
# two): each default run tests half of them, and the two runs go side by side (two cores).
GROUPS = 2
PARALLEL_RUNS = 2


def grouped(variants: list[Variant], count: int) -> list[list[Variant]]:
    """Split `variants` into `count` groups, no two of a group on the same operation."""
    groups: list[list[Variant]] = [[] for _ in range(count)]
    for variant in variants:
        free = [g for g in groups if all(v.operation_id != variant.operation_id for v in g)]
        assert free, f"more than {count} variants break {variant.operation_id}"
        min(free, key=len).append(variant)
    return groups


def broken_server(server: InProcessApp, variants: list[Variant]) -> broken.App:
    """The reference server with every variant of `variants` applied, one around the other."""
    app: broken.App = server.app
    for variant in variants:
        app = variant.wrap(replace(server, app=app))
    return app


def contract_test(
    url: str, *args: str, cwd: Path, timeout: float = 480
) -> subprocess.CompletedProcess[str]:
    # The working directory takes schemathesis' crash cache (`.schemathesis/`).
    return subprocess.run(
        [sys.executable, "-m", "parley_contract", url, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def summary_block(output: str, operation_id: str) -> str:
    """The summary row of `operation_id` and its indented detail lines."""
    lines = output.split("parley contract-test summary", 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:1] == [operation_id])
    end = start + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    return "\n".join(lines[start:end])


def run_group(index: int, variants: list[Variant], tmp_path: Path) -> tuple[int, str]:
    """A default `parley contract-test` of one broken server; its exit code and output."""
    folder = tmp_path / f"group-{index}"
    folder.mkdir()
    server = build_app(f"sqlite:///{folder / 'parley.db'}")
    args = [
        "--api-key",
        server.tenant.write_key,
        "--read-only-api-key",
        server.tenant.read_key,
        "--other-tenant-api-key",
        server.other_tenant.write_key,
        "--seed",
        "1",
        "--report",
        "junit",
        "--report-dir",
        str(folder / "report"),
    ]
    with serve(broken_server(server, variants)) as url:
        result = contract_test(url, *args, cwd=folder)
    assert (folder / "report" / "junit.xml").is_file()
    return result.returncode, result.stdout + result.stderr


def missed(variant: Variant, output: str) -> str | None:
    """Why the run's summary does not show `variant` caught, or None when it does."""
    try:
        block = summary_block(output, variant.operation_id)
    except (IndexError, StopIteration):
        return "no summary row"
    row = block.splitlines()[0].split()
    failed = block.rpartition("failed checks: ")[2].splitlines()[0].split(", ")
    if "failed checks: " not in block:
        failed = row[5:6]
    if int(row[2]) < 1 or variant.check not in failed:
        return f"not caught by {variant.check}:\n{block}"
    if "curl -X" not in block:
        return f"the failure lacks a curl line:\n{block}"
    if failed[0] == variant.check and variant.says not in block:
        return f"the failure does not say {variant.says!r}:\n{block}"
    # response_validated fails with a stream check: an invalid stream validated nothing.
    allowed = {"response_validated", *variant.also}
    if variant.only and [c for c in failed if c not in allowed] != [variant.check]:
        return f"other checks caught it too, {failed}:\n{block}"
    return None


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_every_variant_is_caught_by_a_default_run(tmp_path: Path) -> None:
    """Mutation score 100%: a default run catches every broken variant, named by its check."""
    groups = grouped(VARIANTS, GROUPS)
    with ThreadPoolExecutor(PARALLEL_RUNS) as pool:
        runs = list(pool.map(lambda ig: run_group(*ig, tmp_path), enumerate(groups)))
    problems = []
    for variants, (code, output) in zip(groups, runs, strict=True):
        if code != 1:
            problems.append(f"exit {code}, not 1: {output[-2000:]}")
        problems += [
            f"{v.name} ({v.operation_id}): {why}"
            for v in variants
            if (why := missed(v, output)) is not None
        ]
    assert not problems, "\n\n".join(problems)
