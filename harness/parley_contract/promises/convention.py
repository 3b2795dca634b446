"""`convention`: the document-wide promises of ``x-parley-conventions``, judged by their checks.

A convention names, in ``judge``, the checks that judge it: schemathesis' own
(``status_code_conformance``...) and the harness's (``problem_status``...). Nothing is sent
for it: once the run's checks are done, `settle` takes its verdict from theirs. It failed if
any of its judges failed, passed if every judge ran and none failed, and was not exercised
if one never ran. A run without a schemathesis phase (the promise checks alone, as the
promise variants are judged) judges a convention by its judges that do not judge
schemathesis' answers (`fuzz_judges`), and leaves it not exercised when it has none.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from parley_spec import Contract
from parley_spec.annotations import Annotation, Convention

from parley_contract.promises.kind import KindCheck
from parley_contract.promises.promise import Promise
from parley_contract.promises.report import FAILED, PASSED, UNEXERCISED, Ledger, PromiseResult
from parley_contract.requestids import CHECK as REQUEST_ID
from parley_contract.results import CheckOutcome, Tally
from parley_contract.validated import CHECK as VALIDATED

__all__ = ["KIND", "fuzz_judges", "settle"]

_PENDING = "judged from the run's checks once they are done"


def _promises(contract: Contract, note: Annotation[Any]) -> list[Promise]:
    """One promise per convention, keyed by its first operation (or the document's first)."""
    value: Convention = note.value
    operations = value.operations or tuple(op.operation_id for op in contract.operations)
    return [Promise("convention", operations[0], value.name, note, operations=operations)]


def _check(_scene: Any, promise: Promise, ledger: Ledger) -> None:
    """Sends nothing: `settle` judges the promise from the run's outcomes."""
    ledger.skip(promise, _PENDING)


KIND = KindCheck(
    name="convention",
    promises=_promises,
    check=_check,
)


def fuzz_judges() -> frozenset[str]:
    """The checks that judge schemathesis' answers: its own, `request_id`, `response_validated`."""
    import schemathesis.specs.openapi.checks  # noqa: F401  (registers the OpenAPI checks)
    from schemathesis.checks import CHECKS

    return frozenset({*CHECKS.get_all_names(), REQUEST_ID, VALIDATED})


def settle(
    contract: Contract,
    results: Sequence[PromiseResult],
    outcomes: Iterable[CheckOutcome],
    fuzzed: Tally | None,
    selected: Iterable[str] | None = None,
) -> list[PromiseResult]:
    """``results`` with each convention's verdict taken from the verdicts of its judges.

    In a run of some of a convention's operations only (``selected``), its judges that
    found nothing to judge there are left out, and a convention none judged is dropped.

    Args:
        contract: The contract.
        results: The promises' verdicts; those of kind ``convention`` are replaced.
        outcomes: Every `CheckOutcome` of the harness's checks in the run.
        fuzzed: What schemathesis found (which checks judged which operation, and failed),
            or None when the run had no schemathesis phase.
        selected: The operations the run selected (default: every operation).

    Returns:
        The verdicts, in the same order.
    """
    seen = list(outcomes)
    chosen = set(selected) if selected is not None else None
    settled = []
    for result in results:
        promise = result.promise
        if promise.kind == "convention" and promise.note is not None:
            partial = chosen is not None and not set(promise.judged_on) <= chosen
            result = _settle(contract, promise, seen, fuzzed, partial=partial)
            if partial and result.status == UNEXERCISED and not result.judged:
                continue
        settled.append(result)
    return settled


def _settle(
    contract: Contract,
    promise: Promise,
    outcomes: list[CheckOutcome],
    fuzzed: Tally | None,
    *,
    partial: bool,
) -> PromiseResult:
    labels = {contract.by_id(op).label for op in promise.judged_on}
    judges: tuple[str, ...] = promise.value.judge
    if fuzzed is None:
        judges = tuple(name for name in judges if name not in fuzz_judges())
        if not judges:
            why = "judged on schemathesis' answers only, and this run had no schemathesis phase"
            return PromiseResult(promise, UNEXERCISED, why)
    judged, missing = 0, []
    for name in judges:
        mine = [
            o
            for o in outcomes
            if o.check == name and (o.label in labels or contract.by_label(o.label) is None)
        ]
        if fuzzed is not None:
            for label in labels & set(fuzzed.operations):
                tally = fuzzed.operation(label)
                if name in tally.failed_checks:
                    first = tally.first_failure
                    message = first.message if first and first.check == name else "see its report"
                    mine.append(CheckOutcome(label, name, False, f"on {label}: {message}"))
                elif name in tally.ran:
                    mine.append(CheckOutcome(label, name, True))
        failed = next((o for o in mine if not o.passed), None)
        if failed is not None:
            return PromiseResult(promise, FAILED, f"{name}: {failed.message}", failed.curl, 1)
        judged += len(mine)
        if not mine:
            missing.append(name)
    if judged and (not missing or partial):
        return PromiseResult(promise, PASSED, judged=judged)
    why = f"no outcome of {', '.join(missing)} in this run"
    return replace(PromiseResult(promise, UNEXERCISED, why), judged=judged)
