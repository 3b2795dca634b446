"""`write_scope_required` and `read_scope_allowed`: what the operations' security roles promise.

A read-only key gets 403 on every operation that needs `write`, and a success on every
operation that needs only `read` (its roles say a read-only key may call it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import httpx
from parley_spec import Operation

from parley_contract.checks.context import CheckContext, judge
from parley_contract.data import World, method_order
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "READ", "read_scope_allowed", "write_scope_required"]

CHECK = "write_scope_required"
READ = "read_scope_allowed"


def write_scope_required(ctx: CheckContext) -> list[CheckOutcome]:
    """Send a valid request of each selected write operation with the read-only key.

    Each must answer 403 (the credential is valid, the scope is missing). Skipped, with no
    outcome, when no read-only key was given.

    Returns:
        One outcome per write operation.
    """

    def expect(_operation: Operation, response: httpx.Response) -> str | None:
        if response.status_code == 403:
            return None
        return (
            f"a read-only key got {response.status_code} on an operation that needs the "
            "write scope; expected 403"
        )

    operations = sorted((op for op in ctx.operations if op.needs_write), key=method_order)
    return _with_read_only_key(ctx, CHECK, operations, expect)


def read_scope_allowed(ctx: CheckContext) -> list[CheckOutcome]:
    """Send a valid request of each selected read-only operation with the read-only key.

    Each must answer 2xx: its security roles ask for `read` alone. Skipped, with no outcome,
    when no read-only key was given.

    Returns:
        One outcome per operation whose roles do not include `write`.
    """

    def expect(operation: Operation, response: httpx.Response) -> str | None:
        if response.is_success:
            return None
        return (
            f"a read-only key got {response.status_code} on an operation whose roles "
            f"are {sorted(operation.scopes)}; expected a success"
        )

    operations = [op for op in ctx.operations if op.scopes and not op.needs_write]
    return _with_read_only_key(ctx, READ, operations, expect)


def _with_read_only_key(
    ctx: CheckContext,
    check: str,
    operations: Sequence[Operation],
    expect: Callable[[Operation, httpx.Response], str | None],
) -> list[CheckOutcome]:
    """Send a valid request of each operation with the read-only key; `expect` judges it."""
    reader = ctx.reader
    if reader is None:
        return []

    def one(world: World, operation: Operation) -> Iterator[CheckOutcome]:
        path, body = world.request_for(operation)
        response = reader.request(operation.method, path, body=body)
        yield judge(operation, check, reader, response, expect(operation, response))

    return ctx.probe(check, operations, one)
