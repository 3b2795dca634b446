"""The promises the document makes outside the `x-parley-*` annotations, judged by the extra checks.

Derived from the document, not from operation ids: each operation's security roles (scope),
each operation another tenant must not reach (tenancy), each operation taking an
`Idempotency-Key` (idempotency), each `text/event-stream` operation (stream: event order, ids,
resume), each list with `page` and `per_page` (pagination: echo and bounds), and each
operation whose response schemas use `format` (format). The verdict of each row is taken from
the `CheckOutcome`s of the run; a row no outcome judged is `not exercised`, with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from parley_spec import Contract, Operation
from parley_spec.annotations import Unchecked

from parley_contract.checks.pagination import paginated
from parley_contract.promises.promise import Promise
from parley_contract.promises.report import FAILED, PASSED, UNEXERCISED, PromiseResult
from parley_contract.results import CheckOutcome

__all__ = ["COVERED_KINDS", "Credentials", "covered_results", "unchecked_results"]

COVERED_KINDS = ("scope", "tenancy", "idempotency", "stream", "pagination", "format")


@dataclass(frozen=True)
class Credentials:
    """Which optional credentials the run had (the checks that need them are skipped without).

    Attributes:
        read_only: A read-only key of the first tenant was given.
        other_tenant: A key of a second tenant was given.
    """

    read_only: bool
    other_tenant: bool


def covered_results(
    contract: Contract,
    operations: Sequence[Operation],
    outcomes: Iterable[CheckOutcome],
    credentials: Credentials,
) -> list[PromiseResult]:
    """One verdict per selected operation and kind of promise the extra checks judge.

    Taken from every `CheckOutcome` of the run (extra checks, `response_validated`...); the
    verdicts come operations in document order, kinds in `COVERED_KINDS` order.
    """
    by_label: dict[str, list[CheckOutcome]] = {}
    for outcome in outcomes:
        by_label.setdefault(outcome.label, []).append(outcome)
    results: list[PromiseResult] = []
    for operation in operations:
        seen = by_label.get(operation.label, [])
        for promise, checks, missing in _promises(contract, operation, credentials):
            results.append(_verdict(promise, seen, checks, missing))
    return results


def _promises(
    contract: Contract, op: Operation, credentials: Credentials
) -> list[tuple[Promise, tuple[str, ...], str]]:
    """(promise, the checks that judge it, why nothing judged it) for each of `op`'s promises."""
    op_id = op.operation_id
    found: list[tuple[Promise, tuple[str, ...], str]] = []
    no_reader = "" if credentials.read_only else "no --read-only-api-key was given"
    no_other = "" if credentials.other_tenant else "no --other-tenant-api-key was given"
    if op.scopes:
        roles = "+".join(sorted(op.scopes))
        if op.needs_write:
            promise = Promise("scope", op_id, f"{roles}: a read-only key gets 403", None)
            found.append((promise, ("write_scope_required",), no_reader))
        else:
            promise = Promise("scope", op_id, f"{roles}: a read-only key is answered", None)
            found.append((promise, ("read_scope_allowed",), no_reader))
    if op.path_parameters:
        promise = Promise("tenancy", op_id, "another tenant gets 404", None)
        found.append((promise, ("tenant_isolation",), no_other))
    elif op.method == "GET":
        promise = Promise("tenancy", op_id, "another tenant's list leaks no id", None)
        found.append((promise, ("tenant_isolation",), no_other))
    if op.takes_idempotency_key:
        if op.answers_json:
            promise = Promise(
                "idempotency", op_id, "replayed; key reused with another body 422", None
            )
            found.append((promise, ("idempotent_replay", "idempotency_key_reuse"), ""))
        elif op.resumes_streams:
            promise = Promise("idempotency", op_id, "same key replays the stream's events", None)
            found.append((promise, ("stream_resume",), ""))
    if op.streams:
        what = "start, deltas, one end; ids 1, 2, 3...; payloads"
        found.append((Promise("stream", op_id, what, None), ("stream_completion",), ""))
        if op.resumes_streams:
            promise = Promise("stream", op_id, "Last-Event-ID resumes after that id", None)
            found.append((promise, ("stream_resume",), ""))
    if paginated(op):
        promise = Promise("pagination", op_id, "page/per_page echoed, total, pages, bounds", None)
        found.append((promise, ("pagination_consistency",), ""))
    formats = sorted(_formats(contract, op))
    if formats:
        promise = Promise("format", op_id, ", ".join(formats), None)
        found.append((promise, ("response_format", "response_validated"), ""))
    return found


def _verdict(
    promise: Promise, seen: list[CheckOutcome], checks: tuple[str, ...], missing: str
) -> PromiseResult:
    judged = [o for o in seen if o.check in checks]
    failed = [o for o in judged if not o.passed]
    if failed:
        return PromiseResult(
            promise, FAILED, f"{failed[0].check}: {failed[0].message}", failed[0].curl, len(judged)
        )
    if judged:
        return PromiseResult(promise, PASSED, judged=len(judged))
    reason = missing or f"no outcome of {', '.join(checks)} on this operation (filtered out?)"
    return PromiseResult(promise, UNEXERCISED, reason)


def _formats(contract: Contract, op: Operation) -> set[str]:
    """Every `format` in the operation's response schemas (JSON and stream payloads)."""
    found: set[str] = set()
    seen: set[int] = set()

    def walk(node: Any) -> None:
        node = contract.resolve(node)
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, Mapping):
            if isinstance(node.get("format"), str) and node.get("type") != "object":
                found.add(str(node["format"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for response in op.responses.values():
        for media in response.content.values():
            walk(media.schema)
    return found


def unchecked_results(contract: Contract, operations: Sequence[Operation]) -> list[PromiseResult]:
    """The contract's ``x-parley-unchecked`` promises that concern the selected operations.

    Each entry is ``{promise, reason, operations?}`` (no ``operations``: every operation).
    They are ``not exercised``, with the reason, whatever the run: no check can judge them.
    One result per entry, in document order: kind ``prose``, operation ``(every)`` or the
    selected ones it names.
    """
    selected = [op.operation_id for op in operations]
    results: list[PromiseResult] = []
    for note in contract.annotations:
        entry = note.value
        if not isinstance(entry, Unchecked):
            continue
        concerned = (
            [op for op in selected if op in entry.operations] if entry.operations else selected
        )
        if not concerned:
            continue
        where = ", ".join(concerned) if entry.operations else "(every)"
        results.append(
            PromiseResult(Promise("prose", where, entry.promise, note), UNEXERCISED, entry.reason)
        )
    return results
