"""The contract's promises, read from its ``x-parley-*`` annotations, and their checks.

`inventory(contract)` lists every promise the annotations make (through each kind's module,
`registry.CHECKS`); `check_promises(ctx)` makes the scene those of the selected operations
need and judges each with its kind's check; `render_promises(report)` is the summary
section. Nothing here names an operation: a new annotated list, filter, write or count is
checked by its annotation alone. The vocabulary is documented in CONTRIBUTING.md.
"""

from __future__ import annotations

import httpx
from parley_spec import Contract

from parley_contract.checks.context import CheckContext
from parley_contract.data import SetupFailed
from parley_contract.promises.convention import settle as settle_conventions
from parley_contract.promises.covered import (
    COVERED_KINDS,
    Credentials,
    covered_results,
    unchecked_results,
)
from parley_contract.promises.promise import Promise
from parley_contract.promises.registry import CHECKLESS, CHECKS, check_of, promises_of
from parley_contract.promises.report import (
    Ledger,
    PromiseResult,
    PromisesReport,
    render_promises,
)
from parley_contract.promises.scene import Scene

__all__ = [
    "CHECKLESS",
    "CHECKS",
    "COVERED_KINDS",
    "Credentials",
    "Promise",
    "PromiseResult",
    "PromisesReport",
    "check_promises",
    "covered_results",
    "inventory",
    "render_promises",
    "settle_conventions",
    "unchecked_results",
]


def inventory(contract: Contract) -> list[Promise]:
    """Every promise the contract's annotations make, in their order; ``key``s are unique."""
    return [promise for note in contract.annotations for promise in promises_of(contract, note)]


def check_promises(ctx: CheckContext) -> PromisesReport:
    """Judge every promise of the run's selected operations against the server.

    Makes the scene the promises need with the writer client, runs the checks that only read
    (on one memo of reads), then those that write (effects, counts of a change: each on a new
    resource of its own).

    Returns:
        A verdict per promise (passed, failed, not exercised with the reason) and the
        `CheckOutcome`s (checks ``promise_<kind>``, plus ``promise_setup`` for a failed step).
    """
    contract = ctx.contract
    selected = {op.operation_id for op in ctx.operations}
    promises = [p for p in inventory(contract) if selected.intersection(p.judged_on)]
    ledger = Ledger(contract, promises)
    scene = Scene(ctx)
    checks = [(promise, check_of(promise)) for promise in promises]
    scene.build(kind.needs(contract, promise) for promise, kind in checks if kind is not None)
    with scene.memoized():
        for promise, kind in checks:
            if kind is None or not kind.writes(promise):
                _run(scene, promise, ledger)
    for promise, kind in checks:
        if kind is not None and kind.writes(promise):
            _run(scene, promise, ledger)
    report = ledger.report()
    report.outcomes += scene.problems
    return report


def _run(scene: Scene, promise: Promise, ledger: Ledger) -> None:
    """Check one promise; what stops the check becomes the reason it was not exercised."""
    kind = check_of(promise)
    if kind is None:
        ledger.skip(promise, f"no check for kind {promise.kind}")
        return
    try:
        kind.check(scene, promise, ledger)
    except SetupFailed as failed:
        ledger.outcomes.append(failed.outcome)
        ledger.skip(promise, f"setup failed: {failed.outcome.message}")
    except httpx.HTTPError as exc:
        ledger.skip(promise, f"a request failed: {exc}")
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        ledger.skip(promise, f"an answer lacked what the check reads: {type(exc).__name__} {exc}")
