"""`unknown_id`: a path id that names nothing the server issued answers 404 with a Problem.

As CONTRIBUTING.md's `unknown-id` convention says; the unknown id is a new UUID (every id of
the document is a UUID or a free string), so nothing is created and nothing needs undoing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from parley_spec import Operation

from parley_contract.checks.context import CheckContext, judge, not_refused
from parley_contract.data import World
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "unknown_id"]

CHECK = "unknown_id"


def unknown_id(ctx: CheckContext) -> list[CheckOutcome]:
    """Send each selected operation once per path parameter with that id unknown.

    Returns:
        One outcome per (operation, path parameter), and a failed one per setup failure.
    """
    if not ctx.promised(CHECK):
        return []
    operations = [op for op in ctx.operations if op.path_parameters]
    return ctx.probe(CHECK, operations, _check, shared=True)


def _check(world: World, op: Operation) -> Iterator[CheckOutcome]:
    values = world.path_values(op)
    body = world.body_for(op)
    for name in op.path_parameters:
        unknown = str(uuid.uuid4())
        response = world.call(op, {**values, name: unknown}, body)
        problem = not_refused(response, 404, f"{name} {unknown}, which no request made")
        yield judge(op, CHECK, world.client, response, problem)
