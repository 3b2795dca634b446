"""The contract's promises, read from `x-parley-*` annotations of `openapi.yaml` and checked.

`inventory(document)` lists every promise (order, filter, visibility, effect, count,
timestamps); `check_promises(ctx)` seeds a scene through the server's own writes and judges
each promise of the selected operations; `render_promises(report)` is the summary section.
Nothing here names an operation: a new annotated list, filter, write or count is checked by
its annotation alone. The vocabulary is documented in CONTRIBUTING.md.
"""

from __future__ import annotations

from typing import Any

import httpx

from parley_contract.checks.context import CheckContext
from parley_contract.checks.world import SetupFailed
from parley_contract.promises._covered import (
    COVERED_KINDS,
    Credentials,
    covered_results,
    unchecked_results,
)
from parley_contract.promises._document import load_document
from parley_contract.promises._inventory import KINDS, Promise, inventory, operations_of
from parley_contract.promises._lists import check_filter, check_order, check_visibility
from parley_contract.promises._report import (
    Ledger,
    PromiseResult,
    PromisesReport,
    render_promises,
)
from parley_contract.promises._scene import Scene
from parley_contract.promises._writes import check_count, check_effect, check_timestamps

__all__ = [
    "COVERED_KINDS",
    "KINDS",
    "Credentials",
    "Promise",
    "PromiseResult",
    "PromisesReport",
    "check_promises",
    "covered_results",
    "inventory",
    "load_document",
    "render_promises",
    "unchecked_results",
]


def check_promises(ctx: CheckContext, document: dict[str, Any] | None = None) -> PromisesReport:
    """Judge every promise of the run's selected operations against the server.

    Seeds a scene with the writer client (agents, conversations, messages, Q&A and agent
    conversations, soft deletes), then runs one check per promise; writes with effects or
    counts of a change get fresh resources of their own.

    Args:
        ctx: The run's check context (spec, selected operations, writer client, agent key).
        document: The parsed OpenAPI document; read from `ctx.spec.path` when None.

    Returns:
        A verdict per promise (passed, failed, not exercised with the reason) and the
        `CheckOutcome`s (checks `promise_<kind>`, plus `promise_setup` for a failed seed).
    """
    document = document if document is not None else load_document(ctx.spec.path)
    selected = {op.operation_id for op in ctx.operations}
    promises = [
        p for p in inventory(document) if selected.intersection(p.operations or (p.operation_id,))
    ]
    ledger = Ledger(ctx.spec, promises)
    scene = Scene(ctx, document)
    scene.build([p.operation_id for p in promises if p.kind == "visibility"])
    raw = operations_of(document)
    # Checks that only read run first, on one memo of reads; then those that write.
    reading = [p for p in promises if not _writes(p)]
    with scene.memoized():
        for promise in reading:
            _run(scene, promise, ledger, raw, selected)
    for promise in promises:
        if _writes(promise):
            _run(scene, promise, ledger, raw, selected)
    report = ledger.report()
    report.outcomes += scene.problems
    return report


def _writes(promise: Promise) -> bool:
    """Whether checking `promise` sends writes (effects, and counts of what a write changed)."""
    if promise.kind == "effect":
        return True
    return promise.kind == "count" and any(t.get("when") == "change" for t in promise.annotation)


def _run(
    scene: Scene,
    promise: Promise,
    ledger: Ledger,
    raw: dict[str, dict[str, Any]],
    selected: set[str],
) -> None:
    """Check one promise; what stops the check becomes the reason it was not exercised."""
    pointer = str((raw[promise.operation_id].get("x-parley-order") or {}).get("items", ""))
    try:
        _check(scene, promise, ledger, pointer, selected)
    except SetupFailed as failed:
        ledger.outcomes.append(failed.outcome)
        ledger.skip(promise, f"setup failed: {failed.outcome.message}")
    except httpx.HTTPError as exc:
        ledger.skip(promise, f"a request failed: {exc}")
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        ledger.skip(promise, f"an answer lacked what the check reads: {type(exc).__name__} {exc}")


def _check(
    scene: Scene, promise: Promise, ledger: Ledger, pointer: str, selected: set[str]
) -> None:
    """Run the check of `promise`'s kind; `pointer` is its list's items (lists only)."""
    if promise.kind == "order":
        check_order(scene, promise, ledger)
    elif promise.kind == "filter":
        check_filter(scene, promise, ledger, pointer)
    elif promise.kind == "visibility":
        check_visibility(scene, promise, ledger, pointer)
    elif promise.kind == "effect":
        check_effect(scene, promise, ledger)
    elif promise.kind == "count":
        check_count(scene, promise, ledger, selected)
    else:
        check_timestamps(scene, promise, ledger, selected)
