"""`request_id`: every answer carries the `X-Request-ID` the contract promises, on every case.

CONTRIBUTING.md's `request-id` convention, read from the `components/headers/RequestId` header
every response declares (its schema is the well-formed id). While a `parley contract-test` run
lasts, this module registers a schemathesis `before_call` hook that sends, in turn, no
`X-Request-ID`, a fresh well-formed one (`parley-` and a UUID) and a malformed one (with
spaces), and the schemathesis check `request_id`, which judges every response schemathesis gets
(`judge_request_id`). A spec that declares no `RequestId` header gets neither.
"""

from __future__ import annotations

import itertools
import json
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from parley_spec import Contract

__all__ = [
    "CHECK",
    "HEADER",
    "RequestIdPromise",
    "judge_request_id",
    "promise_of",
    "request_ids_checked",
]

CHECK = "request_id"
HEADER = "X-Request-ID"
_PROBLEM_MEDIA_TYPE = "application/problem+json"


@dataclass(frozen=True)
class RequestIdPromise:
    """What the contract promises about request ids.

    Attributes:
        pattern: The well-formed id, from the `RequestId` header's schema (`pattern`,
            `minLength`, `maxLength`); `.*` when the schema gives no pattern.
        min_length: The shortest well-formed id.
        max_length: The longest well-formed id.
    """

    pattern: str
    min_length: int = 1
    max_length: int = 128

    def well_formed(self, value: str) -> bool:
        """Whether `value` is an id the server must answer unchanged."""
        return (
            self.min_length <= len(value) <= self.max_length
            and re.search(self.pattern, value) is not None
        )


def promise_of(contract: Contract) -> RequestIdPromise | None:
    """The request-id promise of the contract, or None when it makes none."""
    header = contract.document.get("components", {}).get("headers", {}).get("RequestId")
    if not isinstance(header, dict):
        return None
    schema = contract.resolve(contract.resolve(header).get("schema", {}))
    return RequestIdPromise(
        pattern=str(schema.get("pattern", ".*")),
        min_length=int(schema.get("minLength", 1)),
        max_length=int(schema.get("maxLength", 128)),
    )


def judge_request_id(
    promise: RequestIdPromise,
    sent: str | None,
    answered: list[str],
    media_type: str,
    body: bytes,
) -> tuple[str, str] | None:
    """Judges one answer; returns `(title, message)` of what broke the promise, or None.

    Args:
        promise: The contract's promise.
        sent: The `X-Request-ID` the request carried, if any.
        answered: Every `X-Request-ID` value of the response (normally exactly one).
        media_type: The response's `Content-Type` without parameters.
        body: The response body.
    """
    if not answered:
        return "Response without X-Request-ID", (
            f"The contract promises an {HEADER} header on every response; this one has none."
        )
    if len(answered) > 1:
        return "Several X-Request-ID headers", f"The response carries {len(answered)}: {answered}."
    value = answered[0]
    if not promise.well_formed(value):
        return "Malformed X-Request-ID", (
            f"The response's {HEADER} {value!r} does not match the contract's RequestId "
            f"schema ({promise.min_length}-{promise.max_length} characters, {promise.pattern})."
        )
    if sent is not None and promise.well_formed(sent) and value != sent:
        return "X-Request-ID not echoed", (
            f"The request sent the well-formed {HEADER} {sent!r}; the response answered "
            f"{value!r}. A well-formed id must come back unchanged."
        )
    if media_type == _PROBLEM_MEDIA_TYPE:
        try:
            problem = json.loads(body)
        except ValueError:
            return None  # not JSON: response_schema_conformance reports it
        given = problem.get("request_id", value) if isinstance(problem, dict) else value
        if given != value:
            return "Problem request_id differs from X-Request-ID", (
                f"The Problem's request_id is {given!r}, the response's {HEADER} {value!r}; "
                "they must be the same id."
            )
    return None


@contextmanager
def request_ids_checked(contract: Contract) -> Iterator[RequestIdPromise | None]:
    """Register the `request_id` check and its `before_call` hook for the block's duration.

    Args:
        contract: The contract under test; nothing is registered when it makes no
            request-id promise.

    Yields:
        The promise being checked, or None.
    """
    promise = promise_of(contract)
    if promise is None:
        yield None
        return
    import schemathesis
    from schemathesis.checks import CHECKS
    from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER

    check = _make_check(promise)
    hook = _make_hook()
    schemathesis.check(check)
    schemathesis.hook("before_call")(hook)
    try:
        yield promise
    finally:
        GLOBAL_HOOK_DISPATCHER.unregister(hook)
        CHECKS.unregister(CHECK)


def _make_hook() -> Any:
    turn = itertools.count()

    def before_call(context: Any, case: Any, **kwargs: Any) -> None:
        kind = next(turn) % 3
        headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "x-request-id"}
        if kind == 1:
            headers[HEADER] = f"parley-{uuid.uuid4()}"
        elif kind == 2:
            headers[HEADER] = f"not well formed {uuid.uuid4()}"
        case.headers = headers

    return before_call


def _make_check(promise: RequestIdPromise) -> Any:
    from schemathesis.core.failures import Failure

    class RequestIdBroken(Failure):
        """An answer that breaks the request-id promise."""

        checks = (CHECK,)
        kind_title = "Request id promise broken"

        @property
        def _unique_key(self) -> str:
            return self.title

    def request_id(ctx: Any, response: Any, case: Any) -> bool | None:
        sent = response.request.headers.get(HEADER)
        answered = response.headers.get(HEADER.lower(), [])
        media_type = (response.headers.get("content-type") or [""])[0].split(";")[0].strip()
        broken = judge_request_id(promise, sent, answered, media_type, response.content)
        if broken is not None:
            title, message = broken
            raise RequestIdBroken(operation=case.operation.label, title=title, message=message)
        return None

    return request_id
