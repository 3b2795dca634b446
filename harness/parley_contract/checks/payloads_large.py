"""`payload_too_large`: a request body larger than the server accepts gets 413 and a Problem.

For every selected operation with a request body, the request (path values of real
resources) is sent with a JSON body of 4 MiB (servers commonly accept 1), an object whose one
member is a long string: it must answer 413 with an `application/problem+json` body.
"""

from __future__ import annotations

from parley_contract.checks.context import CheckContext, judge
from parley_contract.data import SetupFailed
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "SIZE", "payload_too_large"]

CHECK = "payload_too_large"
SIZE = 4 << 20
_PROBLEM = "application/problem+json"


def payload_too_large(ctx: CheckContext) -> list[CheckOutcome]:
    """Send each selected operation that takes a body a body of `SIZE` bytes.

    Args:
        ctx: The run's check context.

    Returns:
        One outcome per operation, and a failed one per setup failure.
    """
    if not ctx.promised(CHECK):
        return []
    outcomes: list[CheckOutcome] = []
    body = {"parley": "a" * SIZE}
    with ctx.world(CHECK, outcomes, shared=True) as world:
        for op in ctx.operations:
            if op.request_body is None:
                continue
            try:
                path = op.fill_path(world.path_values(op))
            except SetupFailed as failed:
                outcomes.append(failed.outcome)
                continue
            response = world.client.request(op.method, path, body=body)
            media = response.headers.get("content-type", "").split(";")[0].strip()
            problem = None
            if response.status_code != 413 or media != _PROBLEM:
                problem = (
                    f"a body of {SIZE >> 20} MiB answered {response.status_code} "
                    f"{media or '(no media type)'}, not 413 {_PROBLEM}"
                )
            outcomes.append(judge(op, CHECK, world.client, response, problem))
    return outcomes
