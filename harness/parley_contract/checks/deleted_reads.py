"""`deleted_is_gone`: a deleted resource answers 404 on every read operation that takes its id.

As CONTRIBUTING.md's table of conventions says: per selected delete of one resource (a DELETE
whose path ends with its last path parameter), a new resource is made and deleted, then read by
every selected GET whose path parameter names the same kind of resource (the same example id,
see `parley_contract.data.recipes`).
"""

from __future__ import annotations

from collections.abc import Iterator

from parley_spec import Operation

from parley_contract.checks.context import CheckContext, judge
from parley_contract.data import Recipes, World
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "deleted_is_gone", "reads_of"]

CHECK = "deleted_is_gone"


def reads_of(
    recipes: Recipes, delete: Operation, operations: tuple[Operation, ...]
) -> list[tuple[Operation, str]]:
    """``(read, parameter)``: the GETs of ``operations`` taking the id ``delete`` removes.

    Empty when ``delete`` is not a delete of one resource.
    """
    if not recipes.deletes_one(delete):
        return []
    gone = recipes.identity(delete, delete.path_parameters[-1])
    found = []
    for op in operations:
        if op.method != "GET" or gone is None:
            continue
        name = next((n for n in op.path_parameters if recipes.identity(op, n) == gone), None)
        if name is not None:
            found.append((op, name))
    return found


def deleted_is_gone(ctx: CheckContext) -> list[CheckOutcome]:
    """Delete one resource per selected delete operation and read it back with every read.

    Returns:
        One outcome per (delete, read) pair, and a failed one when the delete itself fails.
    """
    deletes = [
        op
        for op in ctx.operations
        if op.method == "DELETE" and reads_of(ctx.recipes, op, ctx.operations)
    ]

    def one(world: World, delete: Operation) -> Iterator[CheckOutcome]:
        return _check(world, delete, reads_of(ctx.recipes, delete, ctx.operations))

    return ctx.probe(CHECK, deletes, one, apart=True)


def _check(
    world: World, delete: Operation, reads: list[tuple[Operation, str]]
) -> Iterator[CheckOutcome]:
    values = world.path_values(delete)
    response = world.call(delete, values)
    if response.status_code != delete.success_status:
        problem: str | None = f"delete answered {response.status_code}, not {delete.success_status}"
        yield judge(delete, CHECK, world.client, response, problem)
        return
    gone = values[delete.path_parameters[-1]]
    for read, name in reads:
        answer = world.call(read, {**world.path_values(read), name: gone})
        problem = None
        if answer.status_code != 404:
            problem = (
                f"after {delete.operation_id} answered {response.status_code}, "
                f"{read.operation_id} of the deleted {name} answered {answer.status_code}, not 404"
            )
        yield judge(read, CHECK, world.client, answer, problem)
