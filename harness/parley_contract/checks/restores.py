"""`soft_delete_restore`: a restore brings back what a soft delete took, as it was.

For every selected delete that a selected write undoes (the write's `x-parley-given` names the
delete, on the same path parameters: single and bulk deletes alike), a new resource is made
and every selected GET on the same path parameters read; then the delete and the restore are
sent, and each read again must answer the same status and body as before (a member that
holds a date-time before and after may move: the writes stamp their time).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
from parley_spec import Operation

from parley_contract.checks.context import CheckContext, judge
from parley_contract.data import SetupFailed, World
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "same_answer", "soft_delete_restore"]

CHECK = "soft_delete_restore"


def soft_delete_restore(ctx: CheckContext) -> list[CheckOutcome]:
    """Delete and restore one new resource per selected delete that can be undone.

    Args:
        ctx: The run's check context.

    Returns:
        One outcome per (delete, read), and a failed one per setup failure.
    """
    if not ctx.promised(CHECK):
        return []
    outcomes: list[CheckOutcome] = []
    for delete in (op for op in ctx.operations if op.method == "DELETE"):
        restores = [op for op in ctx.recipes.restores(delete) if ctx.selected(op)]
        names = set(delete.path_parameters)
        reads = [
            op
            for op in ctx.operations
            if op.method == "GET" and op.path_parameters and set(op.path_parameters) <= names
        ]
        if not restores or not reads:
            continue
        with ctx.world(CHECK, outcomes) as world:
            try:
                _check(world, delete, restores[0], reads, outcomes)
            except SetupFailed as failed:
                outcomes.append(failed.outcome)
    return outcomes


def _check(
    world: World,
    delete: Operation,
    restore: Operation,
    reads: list[Operation],
    outcomes: list[CheckOutcome],
) -> None:
    values = world.path_values(delete, fresh=True)
    before = [world.call(read, values) for read in reads]
    world.expect(delete, world.call(delete, values), "the soft delete")
    world.expect(restore, world.call(restore, values), "the restore")
    for read, was in zip(reads, before, strict=True):
        now = world.call(read, values)
        problem = None
        if now.status_code != was.status_code:
            problem = f"answered {now.status_code} after the restore, {was.status_code} before"
        elif was.status_code == 200 and not _same(_json(was), _json(now)):
            problem = (
                f"after {delete.operation_id} and {restore.operation_id} it answers "
                f"{now.text[:300]}; before, {was.text[:300]}"
            )
        outcomes.append(judge(read, CHECK, world.client, now, problem))


def _json(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text


def same_answer(was: httpx.Response, now: httpx.Response) -> bool:
    """Whether ``now`` answers as ``was`` did: the same status, and a 2xx the same body.

    Date-times aside; a Problem's members (its request id...) may differ.
    """
    if was.status_code != now.status_code:
        return False
    return not 200 <= was.status_code < 300 or _same(_json(was), _json(now))


def _same(was: Any, now: Any) -> bool:
    """Whether ``now`` equals ``was``, any two date-times being equal."""
    if isinstance(was, dict) and isinstance(now, dict):
        return was.keys() == now.keys() and all(_same(was[k], now[k]) for k in was)
    if isinstance(was, list) and isinstance(now, list):
        return len(was) == len(now) and all(map(_same, was, now))
    return was == now or (_stamp(was) and _stamp(now))


def _stamp(value: Any) -> bool:
    """Whether ``value`` is an ISO 8601 date-time."""
    if not isinstance(value, str) or "T" not in value:
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True
