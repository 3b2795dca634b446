"""`unknown_id`: a path id that names nothing the server issued answers 404 with a Problem.

For every selected operation with path parameters, reads and writes alike, the request is
made valid (path values of real resources, the documented example body), then sent once per
path parameter with that parameter alone set to an id nobody issued: a new UUID (of the
parameter's schema: every id of the document is a UUID or a free string). Each must answer
404 with an `application/problem+json` body; nothing is created, so nothing needs undoing.
"""

from __future__ import annotations

import uuid

from parley_spec import Operation

from parley_contract.checks.context import CheckContext, judge
from parley_contract.data import SetupFailed, World
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "unknown_id"]

CHECK = "unknown_id"
_PROBLEM = "application/problem+json"


def unknown_id(ctx: CheckContext) -> list[CheckOutcome]:
    """Send each selected operation once per path parameter with that id unknown.

    Args:
        ctx: The run's check context.

    Returns:
        One outcome per (operation, path parameter), and a failed one per setup failure.
    """
    if not ctx.promised(CHECK):
        return []
    outcomes: list[CheckOutcome] = []
    with ctx.world(CHECK, outcomes, shared=True) as world:
        for op in ctx.operations:
            if not op.path_parameters:
                continue
            try:
                _check(world, op, outcomes)
            except SetupFailed as failed:
                outcomes.append(failed.outcome)
    return outcomes


def _check(world: World, op: Operation, outcomes: list[CheckOutcome]) -> None:
    values = world.path_values(op)
    body = world.body_for(op)
    for name in op.path_parameters:
        unknown = str(uuid.uuid4())
        response = world.call(op, {**values, name: unknown}, body)
        media = response.headers.get("content-type", "").split(";")[0].strip()
        problem = None
        if response.status_code != 404 or media != _PROBLEM:
            problem = (
                f"{name} {unknown}, which no request made, answered {response.status_code} "
                f"{media or '(no media type)'}, not 404 {_PROBLEM}"
            )
        outcomes.append(judge(op, CHECK, world.client, response, problem))
