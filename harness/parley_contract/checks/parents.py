"""`wrong_parent`: a child addressed through a parent that is not its own answers 404.

For every selected operation whose path has two or more parameters, the request (path values
of real resources, the documented example body) is sent with its first parameter set to
another existing resource of the same kind (the second one the same write made): it must
answer 404 with an `application/problem+json` body. For a write, every selected GET on the
child's own path values (some of them) must answer as before (see `restores.same_answer`).
"""

from __future__ import annotations

from parley_spec import Operation

from parley_contract.checks.context import CheckContext, judge
from parley_contract.checks.restores import same_answer
from parley_contract.data import SetupFailed, World
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "wrong_parent"]

CHECK = "wrong_parent"
_PROBLEM = "application/problem+json"


def wrong_parent(ctx: CheckContext) -> list[CheckOutcome]:
    """Send each selected operation with two or more path parameters through another parent.

    Args:
        ctx: The run's check context.

    Returns:
        One outcome per operation judged, and a failed one per setup failure.
    """
    if not ctx.promised(CHECK):
        return []
    outcomes: list[CheckOutcome] = []
    with ctx.world(CHECK, outcomes, shared=True) as world:
        for op in ctx.operations:
            if len(op.path_parameters) < 2:
                continue
            try:
                outcomes += _check(ctx, world, op)
            except SetupFailed as failed:
                outcomes.append(failed.outcome)
    return outcomes


def _check(ctx: CheckContext, world: World, op: Operation) -> list[CheckOutcome]:
    parent = op.path_parameters[0]
    identity = ctx.recipes.identity(op, parent)
    if identity is None:
        return []
    values = world.path_values(op)
    other = world.value_of(identity, 1)
    if other == values[parent]:
        other = world.value_of(identity, 0)
    names = set(values)
    reads = [
        read
        for read in ctx.operations
        if read.method == "GET" and read.path_parameters and set(read.path_parameters) <= names
    ]
    before = [world.call(read, values) for read in reads] if op.method != "GET" else []
    response = world.call(op, {**values, parent: other}, world.body_for(op))
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if response.status_code != 404 or media != _PROBLEM:
        problem = (
            f"through {parent} {other}, not the child's own, it answered "
            f"{response.status_code} {media or '(no media type)'}, not 404 {_PROBLEM}"
        )
        return [judge(op, CHECK, world.client, response, problem)]
    for read, was in zip(reads, before, strict=False):
        now = world.call(read, values)
        if not same_answer(was, now):
            problem = (
                f"after {op.operation_id} through another {parent} answered 404, "
                f"{read.operation_id} of the child answers {now.status_code} {now.text[:200]}; "
                f"before, {was.status_code} {was.text[:200]}"
            )
            return [judge(op, CHECK, world.client, now, problem)]
    return [judge(op, CHECK, world.client, response, None)]
