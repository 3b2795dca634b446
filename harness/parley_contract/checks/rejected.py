"""`rejected_write_no_trace`: a write answered 4xx leaves no trace (RESTler's leakage rule).

As CONTRIBUTING.md's `rejected-write` convention says: the documented example body is `spoiled`,
and the write's tags' GETs are compared with `context.same_answer`.
"""

from __future__ import annotations

from typing import Any

import httpx
from parley_spec import Operation

from parley_contract.checks.context import CheckContext, judge, same_answer
from parley_contract.data import World
from parley_contract.data.schemas import request_schema
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "rejected_write_no_trace", "spoiled"]

CHECK = "rejected_write_no_trace"


def spoiled(required: list[str], body: Any) -> Any | None:
    """``body`` made invalid, or None when it is no object with members.

    Its first required member is removed; with none, its first member gets another JSON type.
    """
    if not isinstance(body, dict) or not body:
        return None
    gone = next((name for name in required if name in body), None)
    if gone is not None:
        return {k: v for k, v in body.items() if k != gone}
    first = next(iter(body))
    return {**body, first: [] if isinstance(body[first], str) else "not of its type"}


def rejected_write_no_trace(ctx: CheckContext) -> list[CheckOutcome]:
    """Send each selected write with a spoiled body and read its tags' GETs around it.

    Returns:
        One outcome per write judged, and a failed one per setup failure.
    """
    if not ctx.promised(CHECK):
        return []
    seen: dict[tuple[str, str], httpx.Response] = {}
    writes = [op for op in ctx.operations if op.method != "GET" and op.request_body is not None]
    return ctx.probe(CHECK, writes, lambda world, op: _check(ctx, world, op, seen), shared=True)


def _check(
    ctx: CheckContext, world: World, op: Operation, seen: dict[tuple[str, str], httpx.Response]
) -> list[CheckOutcome]:
    """Judge one write; ``seen`` holds the last answer of each read (by read and path)."""
    schema = ctx.contract.resolve(request_schema(op)) or {}
    body = spoiled(list(schema.get("required", [])), world.body_for(op))
    if body is None:
        return []
    values = world.path_values(op)
    reads = [
        read
        for read in ctx.operations
        if read.method == "GET"
        and set(read.tags) & set(op.tags)
        and set(read.path_parameters) <= set(values)
    ]
    paths = [read.fill_path(values) for read in reads]
    before = [
        seen.get((read.operation_id, path)) or world.call(read, values)
        for read, path in zip(reads, paths, strict=True)
    ]
    response = world.call(op, values, body)
    if not 400 <= response.status_code < 500:
        problem = f"an invalid body ({_short(body)}) answered {response.status_code}, not 4xx"
        return [judge(op, CHECK, world.client, response, problem)]
    for read, path, was in zip(reads, paths, before, strict=True):
        now = seen[read.operation_id, path] = world.call(read, values)
        if not same_answer(was, now):
            problem = (
                f"after {op.operation_id} refused an invalid body with {response.status_code}, "
                f"{read.operation_id} answers {now.status_code} {now.text[:200]}; before, "
                f"{was.status_code} {was.text[:200]}"
            )
            return [judge(op, CHECK, world.client, now, problem)]
    return [judge(op, CHECK, world.client, response, None)]


def _short(body: Any) -> str:
    text = str(body)
    return text if len(text) < 120 else text[:117] + "..."
