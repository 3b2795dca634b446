"""`run_contract_test`: one contract test from Python, the same run `parley contract-test` does.

Four phases, each a function of typed values: pre-flight (`plan.make_plan`, then the live
probes of the target), schemathesis (`fuzz`), Parley's own checks and the promises (`judge`),
and the verdict (`verdict`: the typed `ContractTestResult`, the report files). Printing is
left to the caller: parley's progress lines go to an optional `progress` callback;
schemathesis prints its own progress to stdout, as `schemathesis run` does.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from parley_contract.authguard import only_rejected
from parley_contract.checks import ApiClient, CheckContext, run_extra_checks
from parley_contract.checks.answers import answer_checks
from parley_contract.checks.formats import response_formats
from parley_contract.depth import ResourcePool
from parley_contract.fuzz import run_schemathesis
from parley_contract.options import ContractTestOptions
from parley_contract.plan import Plan, Progress, make_plan
from parley_contract.preflight import check_target
from parley_contract.promises import (
    Credentials,
    PromisesReport,
    check_promises,
    covered_results,
    settle_conventions,
    unchecked_results,
)
from parley_contract.reports import REPORT_FILES, add_outcomes
from parley_contract.repro import unfilter_curls
from parley_contract.results import CheckOutcome, Tally
from parley_contract.target import Target
from parley_contract.validated import response_validated
from parley_contract.verdict import (
    ContractTestResult,
    failures_of,
    promises_report,
    rows_of,
    traced,
)
from parley_contract.wording import counted

__all__ = [
    "Fuzzed",
    "Judged",
    "fuzz",
    "harness_checks",
    "judge",
    "run_contract_test",
    "verdict",
]


@dataclass(frozen=True)
class Fuzzed:
    """What the schemathesis phase found: its cases and failures per operation, and errors."""

    tally: Tally


@dataclass(frozen=True)
class Judged:
    """What Parley's own checks found.

    Attributes:
        outcomes: Every outcome of the extra checks, the promise checks and
            `response_validated`.
        promises: The verdict per promise, or None when the extra checks were off.
    """

    outcomes: tuple[CheckOutcome, ...]
    promises: PromisesReport | None = None


def run_contract_test(
    options: ContractTestOptions | None = None, *, progress: Progress | None = None
) -> ContractTestResult:
    """Contract-test a server against the spec and return what the run found.

    The same run as `parley contract-test` with the same options: with no `options.url` it
    starts the embedded reference server (temporary SQLite database) and stops it at the end.
    `os.environ` is left as it is. It writes data into the server it tests; runs in one
    process go one after the other (schemathesis' hooks are process-wide).

    Args:
        options: What to test and how (default: every operation of the embedded server).
        progress: Called with each progress line parley prints (the target and seed, the
            extra checks' counts); None prints nothing. schemathesis' own progress goes to
            stdout either way.

    Returns:
        The summary rows, failures with their replay commands, the seed and the exit status
        the command line would give (0 or 1).

    Raises:
        OptionError: An option value no run can use (the CLI's usage error).
        PreflightError: The target cannot be tested (bad URL or spec, no credential for a
            URL, filters that leave nothing, nothing listening, a rejected or wrong-tenant
            key): nothing was fuzzed; the CLI's exit code 2.
    """
    say: Progress = progress or (lambda _line: None)
    plan = make_plan(options or ContractTestOptions(), say)
    started = time.monotonic()
    with plan.open_target() as target:
        check_target(target, plan.contract, plan.operations)
        say(
            f"Contract-testing {target.base_url} against {plan.contract.path} "
            f"({counted(len(plan.operations), 'operation')}, seed {plan.seed})"
        )
        fuzzed = fuzz(plan, target)
        judged = judge(plan, target, fuzzed, say)
    return verdict(plan, target, fuzzed, judged, time.monotonic() - started)


def fuzz(plan: Plan, target: Target) -> Fuzzed:
    """Fuzz the selected operations with schemathesis, its cases deepened by made resources.

    Returns:
        The tally; a run in which every answer was 401/403 gets an error.
    """
    client = ApiClient(target.base_url, target.credential)
    try:
        pool = ResourcePool(client, plan.contract, dict(plan.options.path_values))
        _, tally = run_schemathesis(plan.fuzz_settings(target), pool)
    finally:
        client.close()
    rejected = only_rejected(tally)
    if rejected is not None:
        tally.errors.append(rejected)
    return Fuzzed(tally)


def judge(plan: Plan, target: Target, fuzzed: Fuzzed, say: Progress) -> Judged:
    """Parley's checks, then `response_validated`; one progress line per check.

    The extra checks and the promises run unless switched off (`--no-extra-checks`);
    `response_validated` reads what schemathesis found (`fuzzed`).

    Returns:
        The outcomes and the promises' verdicts.
    """
    say("\nparley checks")
    outcomes: list[CheckOutcome] = []
    promises = None
    if plan.options.extra_checks:
        outcomes, promises = _extra(plan, target)
    validated = response_validated(
        fuzzed.tally, plan.operations, outcomes, streams_checked=plan.options.extra_checks
    )
    outcomes += validated
    groups: dict[str, list[CheckOutcome]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.check, []).append(outcome)
    for name, group in groups.items():
        failed = sum(not o.passed for o in group)
        say(f"  {name}: {len(group) - failed} passed, {failed} failed")
    if plan.options.extra_checks and target.read_only is None:
        say("  write_scope_required: skipped (no --read-only-api-key)")
    if plan.options.extra_checks and target.other_tenant is None:
        say("  tenant_isolation: skipped (no --other-tenant-api-key)")
    if promises is not None:
        given = Credentials(target.read_only is not None, target.other_tenant is not None)
        promises.results += covered_results(plan.contract, plan.operations, outcomes, given)
        selected = [op.operation_id for op in plan.operations]
        promises.results = settle_conventions(
            plan.contract, promises.results, outcomes, fuzzed.tally, selected
        )
        order = {op.operation_id: index for index, op in enumerate(plan.contract.operations)}
        promises.results.sort(key=lambda result: order.get(result.promise.operation_id, 0))
        promises.unjudgeable = unchecked_results(plan.contract, plan.operations)
    return Judged(tuple(outcomes), promises)


def _extra(plan: Plan, target: Target) -> tuple[list[CheckOutcome], PromisesReport]:
    """The extra checks, the promise checks and the checks of every answer they read."""
    writer = ApiClient(target.base_url, target.credential)
    reader = ApiClient(target.base_url, target.read_only) if target.read_only else None
    other = ApiClient(target.base_url, target.other_tenant) if target.other_tenant else None
    try:
        ctx = CheckContext(
            plan.contract, plan.operations, writer, reader, other, plan.options.path_values
        )
        return harness_checks(ctx)
    finally:
        for client in (writer, reader, other):
            if client is not None:
                client.close()


def harness_checks(ctx: CheckContext) -> tuple[list[CheckOutcome], PromisesReport]:
    """Parley's own checks on the context's clients (left open), then those of their answers.

    The extra checks, the promises, then `response_format`, `problem_status`...

    Returns:
        Every outcome, and the promises' verdicts (conventions judged by the judges that
        ran here: `settle_conventions` with no schemathesis tally).
    """
    clients = [c for c in (ctx.writer, ctx.reader, ctx.other_tenant) if c is not None]
    outcomes = run_extra_checks(ctx)
    promises = check_promises(ctx)
    outcomes += promises.outcomes
    outcomes += response_formats(ctx.contract, ctx.operations, clients)
    outcomes += answer_checks(ctx.contract, ctx.operations, clients)
    selected = [op.operation_id for op in ctx.operations]
    promises.results = settle_conventions(ctx.contract, promises.results, outcomes, None, selected)
    return outcomes, promises


def verdict(
    plan: Plan, target: Target, fuzzed: Fuzzed, judged: Judged, elapsed: float
) -> ContractTestResult:
    """The typed result of the run; the report files get Parley's outcomes.

    Of the target, closed by now, only its address and credentials are read; `elapsed` is the
    run's wall time in seconds.
    """
    tally, options = fuzzed.tally, plan.options
    # An outcome of no operation (the raw HTTP/1.1 probes) gets a row of its own only failed.
    tally.add_outcomes(
        o for o in judged.outcomes if not o.passed or plan.contract.by_label(o.label) is not None
    )
    if options.report_formats:
        add_outcomes(options.report_dir, options.report_formats, judged.outcomes)
    credentials = (target.credential, target.read_only, target.other_tenant)
    unfilter_curls(tally, [credential for credential in credentials if credential])
    replay = plan.replay(target)
    trace = traced(plan.contract, judged.promises)
    return ContractTestResult(
        base_url=target.base_url,
        spec_path=plan.spec_path,
        seed=plan.seed,
        phases=plan.phases,
        operations=rows_of(tally, plan.operations),
        failures=failures_of(tally, plan.operations, replay),
        checks=judged.outcomes,
        errors=tuple(tally.errors),
        report_files=tuple(options.report_dir / REPORT_FILES[n] for n in options.report_formats),
        elapsed=elapsed,
        reports=(promises_report(judged.promises, replay, trace, full_trace=options.trace),),
        strict=options.strict,
        embedded=plan.url is None,
        trace=trace,
    )
