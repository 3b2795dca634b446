"""`compressed_body`: a request body sent compressed gets 415 and a Problem.

For every selected operation with a JSON request body, its example body (path values of real
resources) is gzip-compressed and sent with `Content-Encoding: gzip`: a server that takes
bodies uncompressed only must answer 415 with an `application/problem+json` body, not read
the compressed bytes as JSON (400) nor inflate them (2xx).
"""

from __future__ import annotations

import gzip
import json

from parley_contract.checks.context import CheckContext, judge
from parley_contract.data import SetupFailed
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "compressed_body"]

CHECK = "compressed_body"
_PROBLEM = "application/problem+json"


def compressed_body(ctx: CheckContext) -> list[CheckOutcome]:
    """Send each selected operation with a JSON body its example body gzip-compressed.

    Args:
        ctx: The run's check context.

    Returns:
        One outcome per operation, and a failed one per setup failure.
    """
    if not ctx.promised(CHECK):
        return []
    outcomes: list[CheckOutcome] = []
    with ctx.world(CHECK, outcomes, shared=True) as world:
        for op in ctx.operations:
            body = op.request_body
            if body is None or "application/json" not in body.content:
                continue
            try:
                path, example = world.request_for(op)
            except SetupFailed as failed:
                outcomes.append(failed.outcome)
                continue
            headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
            compressed = gzip.compress(json.dumps(example).encode())
            response = world.client.request(op.method, path, headers=headers, raw=compressed)
            media = response.headers.get("content-type", "").split(";")[0].strip()
            problem = None
            if response.status_code != 415 or media != _PROBLEM:
                problem = (
                    f"a gzip body with Content-Encoding: gzip answered {response.status_code} "
                    f"{media or '(no media type)'}, not 415 {_PROBLEM}"
                )
            outcomes.append(judge(op, CHECK, world.client, response, problem))
    return outcomes
