"""`tenant_writes_leave_no_trace`: another tenant's writes through a tenant's ids change nothing.

For every selected write whose path names resources (path parameters), the first tenant's
path values and example body are sent with the second tenant's credential (as
`tenant_isolation` does, which judges that answer); every selected GET of the first tenant
on the same path values (some of them) must answer the same before and after it (see
`restores.same_answer`). Skipped without `--other-tenant-api-key`.
"""

from __future__ import annotations

from parley_contract.checks.context import CheckContext, judge
from parley_contract.checks.restores import same_answer
from parley_contract.data import SetupFailed
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "tenant_writes_leave_no_trace"]

CHECK = "tenant_writes_leave_no_trace"


def tenant_writes_leave_no_trace(ctx: CheckContext) -> list[CheckOutcome]:
    """Send each selected write on the first tenant's ids with the second tenant's key.

    Args:
        ctx: The run's check context.

    Returns:
        One outcome per write with a read to compare, and a failed one per setup failure.
    """
    other = ctx.other_tenant
    if other is None or not ctx.promised(CHECK):
        return []
    outcomes: list[CheckOutcome] = []
    with ctx.world(CHECK, outcomes, shared=True) as world:
        for op in ctx.operations:
            if op.method == "GET" or not op.path_parameters:
                continue
            try:
                values = world.path_values(op)
                body = world.body_for(op)
            except SetupFailed as failed:
                outcomes.append(failed.outcome)
                continue
            reads = [
                read
                for read in ctx.operations
                if read.method == "GET"
                and read.path_parameters
                and set(read.path_parameters) <= set(values)
            ]
            if not reads:
                continue
            before = [world.call(read, values) for read in reads]
            response = other.request(op.method, op.fill_path(values), body=body)
            problem = None
            for read, was in zip(reads, before, strict=True):
                now = world.call(read, values)
                if not same_answer(was, now):
                    problem = (
                        f"after another tenant's {op.operation_id} (answered "
                        f"{response.status_code}), {read.operation_id} answers {now.status_code} "
                        f"{now.text[:200]}; before, {was.status_code} {was.text[:200]}"
                    )
                    break
            outcomes.append(judge(op, CHECK, other, response, problem))
    return outcomes
