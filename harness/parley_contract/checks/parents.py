"""`wrong_parent`: a child addressed through a parent that is not its own answers 404.

The request as CONTRIBUTING.md's `wrong-parent` convention says (the other parent: the second
resource the same write made); a write's child is read back with `context.changed`.
"""

from __future__ import annotations

from parley_spec import Operation

from parley_contract.checks.context import CheckContext, changed, judge, not_refused
from parley_contract.data import World
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "wrong_parent"]

CHECK = "wrong_parent"


def wrong_parent(ctx: CheckContext) -> list[CheckOutcome]:
    """Send each selected operation with two or more path parameters through another parent.

    Returns:
        One outcome per operation judged, and a failed one per setup failure.
    """
    if not ctx.promised(CHECK):
        return []
    operations = [op for op in ctx.operations if len(op.path_parameters) >= 2]
    return ctx.probe(CHECK, operations, lambda world, op: _check(ctx, world, op), shared=True)


def _check(ctx: CheckContext, world: World, op: Operation) -> list[CheckOutcome]:
    parent = op.path_parameters[0]
    identity = ctx.recipes.identity(op, parent)
    if identity is None:
        return []
    values = world.path_values(op)
    other = world.value_of(identity, 1)
    if other == values[parent]:
        other = world.value_of(identity, 0)
    reads = ctx.reads_on(values)
    before = [world.call(read, values) for read in reads] if op.method != "GET" else []
    response = world.call(op, {**values, parent: other}, world.body_for(op))
    problem = not_refused(response, 404, f"through {parent} {other}, not the child's own, it")
    if problem is not None:
        return [judge(op, CHECK, world.client, response, problem)]
    change = changed(world, reads, values, before)
    if change is not None:
        read, now, how = change
        problem = (
            f"after {op.operation_id} through another {parent} answered 404, "
            f"{read.operation_id} of the child {how}"
        )
        return [judge(op, CHECK, world.client, now, problem)]
    return [judge(op, CHECK, world.client, response, None)]
