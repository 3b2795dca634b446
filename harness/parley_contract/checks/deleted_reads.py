"""`deleted_is_gone`: a deleted resource answers 404 on every read operation that takes its id.

For every selected delete of one resource (a DELETE whose path ends with its last path
parameter, e.g. `DELETE /v1/conversation/{conversation_id}`), a fresh resource is created and
deleted; then every selected GET operation whose path takes the same parameter, in the same
family of paths (`/api/...` or not), must answer 404 for it. Soft delete included: restore
is a write, not a read.
"""

from __future__ import annotations

from parley_contract.checks.context import CheckContext, judge
from parley_contract.checks.world import SetupFailed, World
from parley_contract.results import CheckOutcome
from parley_contract.spec import Operation

__all__ = ["CHECK", "deleted_is_gone", "reads_of"]

CHECK = "deleted_is_gone"


def _family(operation: Operation) -> str:
    return operation.path.split("/", 2)[1]


def reads_of(delete: Operation, operations: tuple[Operation, ...]) -> list[Operation]:
    """The GET operations that take the id `delete` removes, in the same family of paths."""
    if not delete.path_params or not delete.path.endswith("{" + delete.path_params[-1] + "}"):
        return []
    name = delete.path_params[-1]
    return [
        op
        for op in operations
        if op.method == "GET" and name in op.path_params and _family(op) == _family(delete)
    ]


def deleted_is_gone(ctx: CheckContext) -> list[CheckOutcome]:
    """Delete one resource per selected delete operation and read it back with every read.

    Args:
        ctx: The run's check context.

    Returns:
        One outcome per (delete, read) pair, and a failed one when the delete itself fails.
    """
    outcomes: list[CheckOutcome] = []
    for delete in (op for op in ctx.operations if op.method == "DELETE"):
        reads = reads_of(delete, ctx.operations)
        if not reads:
            continue
        with ctx.world(CHECK, outcomes) as world:
            try:
                _check(world, delete, reads, outcomes)
            except SetupFailed as failed:
                outcomes.append(failed.outcome)
    return outcomes


def _check(
    world: World, delete: Operation, reads: list[Operation], outcomes: list[CheckOutcome]
) -> None:
    values = world.path_values(delete)
    response = world.call(delete.operation_id, values)
    if response.status_code != delete.success_status:
        problem: str | None = f"delete answered {response.status_code}, not {delete.success_status}"
        outcomes.append(judge(delete, CHECK, world.client, response, problem))
        return
    name = delete.path_params[-1]
    for read in reads:
        path = {**world.path_values(read), name: values[name]}
        answer = world.call(read.operation_id, path)
        problem = None
        if answer.status_code != 404:
            problem = (
                f"after {delete.operation_id} answered {response.status_code}, "
                f"{read.operation_id} of the deleted {name} answered {answer.status_code}, not 404"
            )
        outcomes.append(judge(read, CHECK, world.client, answer, problem))
