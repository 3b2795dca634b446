"""Judging the promise variants: their server, one tenant's verdicts, a half's problems.

`test_promise_variants.py` and `test_promise_variants_second_half.py` each judge half of
`PROMISE_VARIANTS` against a server of their own, so pytest-xdist (`--dist loadscope`, one
module to a worker) runs the halves side by side.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
from parley_contract.checks import ApiClient, CheckContext, Credential
from parley_contract.promises import PromisesReport, check_promises
from parley_contract.promises.convention import fuzz_judges
from parley_contract.runner import harness_checks
from parley_spec import load_contract

from tests.harness.promise_variants import PROMISE_VARIANTS, PromiseVariant

__all__ = ["HALVES", "judge", "judge_half", "variants_server", "verdict"]

PARALLEL = 3
"""Tenants judged side by side (the server runs in a child process)."""
HALVES = 2


@contextmanager
def variants_server(folder: Path) -> Iterator[tuple[str, list[list[str]]]]:
    """The variants' server (`promise_server`, a child process) keeping its data in `folder`:
    its URL and the keys of each variant's tenant (write, read-only, another tenant's), the
    control's last. The child stops when the block ends."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.harness.promise_server", str(folder)],
        cwd=Path(__file__).resolve().parents[2],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        started = json.loads(child.stdout.readline())
        # The first request waits for the server's lifespan (tenants seeded) to finish.
        httpx.get(f"{started['url']}/readyz", timeout=60).raise_for_status()
        yield started["url"], started["keys"]
    finally:
        if child.stdin is not None:
            child.stdin.close()  # the child stops when its input ends
        child.wait(timeout=30)


def judge(url: str, keys: list[str], variant: PromiseVariant | None) -> PromisesReport:
    """The promises' verdicts for the tenant of `keys` (write, read-only, another tenant's).

    A convention's variant and the control (None) are judged with every check of the harness
    (conventions are judged by them); the others by the promise checks alone, conventions
    left out.
    """
    contract = load_contract()
    writer, reader, other = (
        ApiClient(url, Credential.api_key(key, env))
        for key, env in zip(keys, ("PARLEY_API_KEY", "READ_KEY", "OTHER_KEY"), strict=True)
    )
    try:
        if variant is None or variant.promise.startswith("convention "):
            everyone = CheckContext(contract, contract.operations, writer, reader, other)
            report = harness_checks(everyone)[1]
            # Conventions judged on schemathesis' answers only are proven by `FUZZ_JUDGED`.
            fuzz = fuzz_judges()
            report.results = [
                r
                for r in report.results
                if r.promise.kind != "convention" or not set(r.promise.value.judge) <= fuzz
            ]
            return report
        report = check_promises(CheckContext(contract, contract.operations, writer))
        report.results = [r for r in report.results if r.promise.kind != "convention"]
        return report
    finally:
        for client in (writer, reader, other):
            client.close()


def verdict(variant: PromiseVariant, report: PromisesReport) -> str | None:
    """What is wrong with `report` for `variant`, or None: its promise alone must fail, every
    other be exercised, and the failure carry a curl line."""
    failed = sorted(r.promise.key for r in report.failed)
    if failed != [variant.promise]:
        return f"{variant.name}: failed {failed}, expected [{variant.promise}]"
    unexercised = [f"{r.promise.key} ({r.detail})" for r in report.unexercised]
    if unexercised:
        return f"{variant.name}: not exercised {unexercised}"
    caught = report.result(variant.promise)
    if "curl -X" not in caught.curl:
        return f"{variant.name}: the failure has no curl line"
    return None


def judge_half(url: str, keys: list[list[str]], half: int) -> list[str]:
    """Judge every `HALVES`-th variant from `half` on (the first half also judges the control
    tenant, which must pass every promise, each exercised).

    Returns:
        What went wrong: one line per variant not caught by its promise alone, and the
        control's promises that did not pass.
    """
    chosen: list[tuple[list[str], PromiseVariant | None]] = [
        (keys[index], variant)
        for index, variant in enumerate(PROMISE_VARIANTS)
        if index % HALVES == half
    ]
    if half == 0:
        chosen.append((keys[-1], None))
    with ThreadPoolExecutor(PARALLEL) as pool:
        reports = list(pool.map(lambda pair: judge(url, *pair), chosen))
    problems = []
    for (_, variant), report in zip(chosen, reports, strict=True):
        if variant is None:
            problems += [
                f"control: {r.promise.key} {r.status} {r.detail}"
                for r in report.results
                if r.status != "passed"
            ]
        elif (why := verdict(variant, report)) is not None:
            problems.append(why)
    return problems
