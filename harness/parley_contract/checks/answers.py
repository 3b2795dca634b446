"""What every answer parley's checks received must be: `problem_status`, `no_content_204`...

`problem_status`, `no_content_204` and `allow_on_405`, as CONTRIBUTING.md's table of conventions
says. Like `response_format` they run after the other checks, over the answers their clients
received. `unsupported_methods` makes sure some 405s are among them: one request per path of the
selected operations with a method none of that path's operations takes.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import httpx
from parley_spec import Contract, Operation

from parley_contract.checks.context import CheckContext, judges, router
from parley_contract.client import ApiClient
from parley_contract.results import CheckOutcome

__all__ = ["CHECKS", "answer_checks", "unsupported_methods"]

PROBLEM_STATUS, NO_CONTENT, ALLOW = "problem_status", "no_content_204", "allow_on_405"
CHECKS = (PROBLEM_STATUS, NO_CONTENT, ALLOW)
_PROBLEM = "application/problem+json"
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

Judge = Callable[[Operation, httpx.Response], str | None]


def unsupported_methods(ctx: CheckContext) -> list[CheckOutcome]:
    """Send, once per path of the selected operations, a method that path does not take.

    The answers are judged with the others by `answer_checks` (`allow_on_405`); the request
    carries no body and new UUIDs as its path values: a server routes before it reads.

    Returns:
        No outcome of its own.
    """
    if not ctx.promised(ALLOW):
        return []
    taken: dict[str, set[str]] = {}
    for op in ctx.contract.operations:
        taken.setdefault(op.path, set()).add(op.method)
    done: set[str] = set()
    for op in ctx.operations:
        free = [m for m in _METHODS if m not in taken[op.path]]
        if op.path in done or not free:
            continue
        done.add(op.path)
        values = {name: str(uuid.uuid4()) for name in op.path_parameters}
        ctx.writer.request(free[0], op.fill_path(values))
    return []


def answer_checks(
    contract: Contract, operations: Iterable[Operation], clients: Iterable[ApiClient]
) -> list[CheckOutcome]:
    """Judge every answer the clients received that one of `CHECKS` applies to.

    Args:
        contract: The contract.
        operations: The operations selected for the run (an answer is counted under the
            one its path and method name, or under the first one of its path).
        clients: The clients the checks used (their `responses`).

    Returns:
        Per operation and check, one outcome: failed with the first problem and its
        request's curl line, else passed; none where no answer applied.
    """
    promised = judges(contract)
    if not promised & set(CHECKS):
        return []
    route = router(operations)
    checks: dict[str, Judge] = {
        PROBLEM_STATUS: _problem_status,
        NO_CONTENT: _no_content,
        ALLOW: lambda op, response: _allow(contract, op, response),
    }
    checks = {name: judge for name, judge in checks.items() if name in promised}
    found: dict[tuple[str, str], CheckOutcome] = {}
    for client in clients:
        for response in client.responses:
            matching = route(response.request.url.path)
            same = [op for op in matching if op.method == response.request.method]
            if not matching:
                continue
            operation = (same or matching)[0]
            for name, judge in checks.items():
                if not _applies(name, response.status_code, response.headers):
                    continue
                problem, key = judge(operation, response), (operation.label, name)
                if problem is not None and found.get(key, _PASS).passed:
                    curl = client.curl(response)
                    found[key] = CheckOutcome(operation.label, name, False, problem, curl)
                else:
                    found.setdefault(key, CheckOutcome(operation.label, name, True))
    return list(found.values())


_PASS = CheckOutcome("", "", True)


def _applies(name: str, status: int, headers: Mapping[str, str]) -> bool:
    if name == PROBLEM_STATUS:
        return status >= 400 and headers.get("content-type", "").startswith(_PROBLEM)
    return status == (204 if name == NO_CONTENT else 405)


def _problem_status(_op: Operation, response: httpx.Response) -> str | None:
    try:
        problem: Any = json.loads(response.content)
    except ValueError:
        return None  # not JSON: the schema checks report it
    if not isinstance(problem, dict):
        return None
    status = problem.get("status")
    if status is not None and status != response.status_code:
        return f"a Problem with status {status} answered HTTP {response.status_code}"
    instance, path = problem.get("instance"), response.request.url.path
    if instance is not None and instance != path:
        return f"a Problem's instance {instance!r} is not the request's path {path!r}"
    return None


def _no_content(_op: Operation, response: httpx.Response) -> str | None:
    # An HTTP/1.1 client reads no body after a 204 whatever follows: framing headers tell.
    length = response.headers.get("content-length", "0")
    if response.content or length != "0" or "transfer-encoding" in response.headers:
        size = len(response.content) or length
        return f"a 204 answer carries a body ({size} bytes, its framing headers say)"
    return None


def _allow(contract: Contract, op: Operation, response: httpx.Response) -> str | None:
    allow = response.headers.get("allow")
    if allow is None:
        return f"a 405 answer to {response.request.method} carries no Allow header"
    # The 405 the operation documents is its own method's (another method's is the path's).
    documented = op.responses.get("405") if response.request.method == op.method else None
    header = documented.headers.get("Allow") if documented is not None else None
    schema = contract.resolve(header.get("schema", {})) if header is not None else {}
    allowed = [schema["const"]] if "const" in schema else schema.get("enum")
    if allowed and allow not in allowed:
        return f"a 405 answer's Allow is {allow!r}; the document gives {allowed}"
    return None
