"""`tenant_writes_leave_no_trace`: another tenant's writes through a tenant's ids change nothing.

As CONTRIBUTING.md's `tenancy` convention says (`tenant_isolation` judges the answer itself);
the reads are compared with `context.changed`. Skipped without `--other-tenant-api-key`.
"""

from __future__ import annotations

from collections.abc import Iterator

from parley_spec import Operation

from parley_contract.checks.context import CheckContext, changed, judge
from parley_contract.client import ApiClient
from parley_contract.data import World
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "tenant_writes_leave_no_trace"]

CHECK = "tenant_writes_leave_no_trace"


def tenant_writes_leave_no_trace(ctx: CheckContext) -> list[CheckOutcome]:
    """Send each selected write on the first tenant's ids with the second tenant's key.

    Returns:
        One outcome per write with a read to compare, and a failed one per setup failure.
    """
    other = ctx.other_tenant
    if other is None or not ctx.promised(CHECK):
        return []
    writes = [op for op in ctx.operations if op.method != "GET" and op.path_parameters]
    return ctx.probe(CHECK, writes, lambda world, op: _check(ctx, other, world, op), shared=True)


def _check(
    ctx: CheckContext, other: ApiClient, world: World, op: Operation
) -> Iterator[CheckOutcome]:
    values = world.path_values(op)
    body = world.body_for(op)
    reads = ctx.reads_on(values)
    if not reads:
        return
    before = [world.call(read, values) for read in reads]
    response = other.request(op.method, op.fill_path(values), body=body)
    change = changed(world, reads, values, before)
    problem = None
    if change is not None:
        read, _now, how = change
        problem = (
            f"after another tenant's {op.operation_id} (answered {response.status_code}), "
            f"{read.operation_id} {how}"
        )
    yield judge(op, CHECK, other, response, problem)
