"""`soft_delete_restore`: a restore brings back what a soft delete took, as it was.

For every selected delete that a selected write undoes (the write's `x-parley-given` names the
delete, on the same path parameters: single and bulk deletes alike), a new resource is made
and every selected GET on the same path parameters read; then the delete and the restore are
sent, and each read again must answer the same status and body as before (a member that
holds a date-time before and after may move: the writes stamp their time).
"""

from __future__ import annotations

from collections.abc import Iterator

from parley_spec import Operation

from parley_contract.checks.context import CheckContext, json_or_text, judge, same_json
from parley_contract.data import World
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "soft_delete_restore"]

CHECK = "soft_delete_restore"


def soft_delete_restore(ctx: CheckContext) -> list[CheckOutcome]:
    """Delete and restore one new resource per selected delete that can be undone.

    Returns:
        One outcome per (delete, read), and a failed one per setup failure.
    """
    if not ctx.promised(CHECK):
        return []

    def restores(delete: Operation) -> list[Operation]:
        return [op for op in ctx.recipes.restores(delete) if ctx.selected(op)]

    deletes = [
        op
        for op in ctx.operations
        if op.method == "DELETE" and restores(op) and ctx.reads_on(op.path_parameters)
    ]

    def one(world: World, delete: Operation) -> Iterator[CheckOutcome]:
        return _check(world, delete, restores(delete)[0], ctx.reads_on(delete.path_parameters))

    return ctx.probe(CHECK, deletes, one, apart=True)


def _check(
    world: World, delete: Operation, restore: Operation, reads: list[Operation]
) -> Iterator[CheckOutcome]:
    values = world.path_values(delete, fresh=True)
    before = [world.call(read, values) for read in reads]
    world.expect(delete, world.call(delete, values), "the soft delete")
    world.expect(restore, world.call(restore, values), "the restore")
    for read, was in zip(reads, before, strict=True):
        now = world.call(read, values)
        problem = None
        if now.status_code != was.status_code:
            problem = f"answered {now.status_code} after the restore, {was.status_code} before"
        elif was.status_code == 200 and not same_json(json_or_text(was), json_or_text(now)):
            problem = (
                f"after {delete.operation_id} and {restore.operation_id} it answers "
                f"{now.text[:300]}; before, {was.text[:300]}"
            )
        yield judge(read, CHECK, world.client, now, problem)
