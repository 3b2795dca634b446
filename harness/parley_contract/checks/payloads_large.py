"""Bodies a server must refuse before reading them: too large (413) or compressed (415).

`payload_too_large` and `compressed_body`, as CONTRIBUTING.md's conventions of those names say:
4 MiB (servers commonly accept 1); a server taking bodies uncompressed only must answer 415, not
read the gzip bytes as JSON (400) nor inflate them (2xx).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable

import httpx
from parley_spec import Operation

from parley_contract.checks.context import CheckContext, judge, not_refused
from parley_contract.data import World
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "COMPRESSED_CHECK", "SIZE", "compressed_body", "payload_too_large"]

CHECK = "payload_too_large"
COMPRESSED_CHECK = "compressed_body"
SIZE = 4 << 20

Sender = Callable[[World, Operation], httpx.Response]


def _refused(
    ctx: CheckContext, check: str, status: int, what: str, send: Sender, *, json_only: bool
) -> list[CheckOutcome]:
    """Judges each selected operation with a body, sent by ``send``: ``status`` and a Problem.

    ``json_only`` limits it to operations taking a JSON body. Returns one outcome per
    operation, a failed one per setup failure.
    """
    if not ctx.promised(check):
        return []
    operations = [
        op
        for op in ctx.operations
        if op.request_body is not None
        and not (json_only and "application/json" not in op.request_body.content)
    ]

    def one(world: World, op: Operation) -> list[CheckOutcome]:
        response = send(world, op)
        return [judge(op, check, world.client, response, not_refused(response, status, what))]

    return ctx.probe(check, operations, one, shared=True)


def payload_too_large(ctx: CheckContext) -> list[CheckOutcome]:
    """Send each selected operation that takes a body a body of `SIZE` bytes.

    Returns:
        One outcome per operation, and a failed one per setup failure.
    """
    body = {"parley": "a" * SIZE}

    def send(world: World, op: Operation) -> httpx.Response:
        path = op.fill_path(world.path_values(op))
        return world.client.request(op.method, path, body=body)

    return _refused(ctx, CHECK, 413, f"a body of {SIZE >> 20} MiB", send, json_only=False)


def compressed_body(ctx: CheckContext) -> list[CheckOutcome]:
    """Send each selected operation with a JSON body its example body gzip-compressed.

    Returns:
        One outcome per operation, and a failed one per setup failure.
    """
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}

    def send(world: World, op: Operation) -> httpx.Response:
        path, example = world.request_for(op)
        raw = gzip.compress(json.dumps(example).encode())
        return world.client.request(op.method, path, headers=headers, raw=raw)

    what = "a gzip body with Content-Encoding: gzip"
    return _refused(ctx, COMPRESSED_CHECK, 415, what, send, json_only=True)
