"""`idempotency_in_flight`: a repeat while the first keyed request still runs gets 409.

As CONTRIBUTING.md's table of conventions says: the two requests (the example body, on path
values of real resources, one fresh key) are sent on two connections released together, up to
`TRIES` pairs.
"""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from parley_spec import Operation

from parley_contract.checks.context import CheckContext, judge
from parley_contract.data import SetupFailed, World
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "TRIES", "idempotency_in_flight"]

CHECK = "idempotency_in_flight"
TRIES = 5
IN_FLIGHT = "idempotency-key-in-flight"


def _json_write(op: Operation) -> bool:
    return (
        op.method == "POST"
        and op.takes_idempotency_key
        and "application/json" in op.success_media_types
    )


def _pair(world: World, op: Operation, path: str, body: Any) -> list[httpx.Response]:
    """The request sent twice at once with one key, released together on two connections."""
    headers = {"Idempotency-Key": str(uuid.uuid4()), "Accept": "application/json"}
    gate = threading.Barrier(2)

    def send(_: int) -> httpx.Response:
        gate.wait()
        return world.client.request(op.method, path, body=body, headers=headers)

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(send, range(2)))


def _problem_type(response: httpx.Response) -> str:
    try:
        document = response.json()
    except ValueError:
        return ""
    return str(document.get("type", "")) if isinstance(document, dict) else ""


def _judge_pair(op: Operation, pair: list[httpx.Response]) -> tuple[str, httpx.Response]:
    """``("in-flight" | "replay" | problem text, the response judged)``."""
    success = [r for r in pair if r.status_code == op.success_status]
    others = [r for r in pair if r not in success]
    if len(success) == 2:
        replayed = [r for r in success if r.headers.get("idempotent-replayed") == "true"]
        if len(replayed) == 1:
            return "replay", replayed[0]
        return "both requests of one key answered as new writes (the write ran twice)", pair[1]
    if len(success) == 1 and others[0].status_code == 409:
        if _problem_type(others[0]).endswith(IN_FLIGHT):
            return "in-flight", others[0]
        return f"the repeat answered 409 without a Problem of type …/{IN_FLIGHT}", others[0]
    statuses = ", ".join(str(r.status_code) for r in pair)
    return f"two requests with one key answered {statuses}", (others or pair)[0]


def idempotency_in_flight(ctx: CheckContext) -> list[CheckOutcome]:
    """Send each keyed JSON POST twice at once and judge the repeat (module docstring).

    Returns:
        One outcome per operation whose pair showed the repeat in flight or failed; none for
        an operation whose every pair was answered as a replay; a failed one per setup failure.
    """
    if not ctx.promised(CHECK):
        return []
    outcomes: list[CheckOutcome] = []
    with ctx.world(CHECK, outcomes) as world:
        for op in ctx.operations:
            if not _json_write(op):
                continue
            for _ in range(TRIES):
                try:
                    # The main resources first, so that the fresh ones the pairs write to
                    # (an end closes what it addresses) are never the ones others share.
                    world.path_values(op)
                    values = world.path_values(op, fresh=True)
                    world.prepare(op, values)
                except SetupFailed as failed:
                    outcomes.append(failed.outcome)
                    break
                found, response = _judge_pair(
                    op, _pair(world, op, op.fill_path(values), world.body_for(op))
                )
                if found == "replay":
                    continue
                problem = None if found == "in-flight" else found
                outcomes.append(judge(op, CHECK, world.client, response, problem))
                break
    return outcomes
