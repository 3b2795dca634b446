"""`run_contract_test`: one contract test from Python, the same run `parley contract-test` does.

Pre-flight, schemathesis (every selected phase and check, with the depth hooks), Parley's
own checks, `response_validated`, the report files, then a typed `ContractTestResult`.
Printing is left to the caller: parley's progress lines go to an optional `progress`
callback; schemathesis prints its own progress to stdout, as `schemathesis run` does.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Literal

from parley_contract.authguard import only_rejected
from parley_contract.checks import ApiClient, CheckContext, Credential, run_extra_checks
from parley_contract.checks.formats import response_formats
from parley_contract.depth import ResourcePool
from parley_contract.fuzz import ALL_PHASES, FuzzSettings, run_schemathesis
from parley_contract.options import EMBEDDED_MAX_EXAMPLES, EMBEDDED_WORKERS, ContractTestOptions
from parley_contract.preflight import PreflightError, check_spec, check_target, check_url
from parley_contract.promises import (
    Credentials,
    PromisesReport,
    check_promises,
    covered_results,
    render_promises,
    unchecked_results,
)
from parley_contract.reports import REPORT_FILES, add_outcomes
from parley_contract.repro import ReplayOptions, replay_command, replay_lines, unfilter_curls
from parley_contract.results import CheckOutcome
from parley_contract.spec import Operation, Spec, default_spec_path
from parley_contract.summary import render_summary
from parley_contract.target import Target, embedded_target
from parley_contract.validated import response_validated
from parley_contract.verdict import (
    CheckReport,
    CheckRow,
    ContractTestResult,
    failures_of,
    rows_of,
)
from parley_contract.wording import counted

__all__ = ["Progress", "default_config", "run_contract_test"]

Progress = Callable[[str], None]
"""Receives parley's progress lines, one call per line (e.g. `click.echo`)."""


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
    options = options or ContractTestOptions()
    say: Progress = progress or (lambda _line: None)
    options.validate()
    base_url = check_url(options.url) if options.url is not None else None
    spec = check_spec(options.spec_path or default_spec_path())
    operations = spec.select(
        include_tags=options.include_tags,
        exclude_tags=options.exclude_tags,
        include_operation_ids=options.include_operation_ids,
    )
    if not operations:
        raise PreflightError("the filters leave no operation of the spec to test")
    phases = tuple(options.phases)
    if "stateful" in phases and not _linked(operations):
        # schemathesis reports an error when no link joins two selected operations.
        say("Stateful phase skipped: no links between the selected operations")
        phases = tuple(phase for phase in phases if phase != "stateful")
    config_file = options.config_file or default_config(spec.path)
    max_examples, workers = options.max_examples, options.workers
    if base_url is None:
        target: AbstractContextManager[Target] = embedded_target()
        max_examples = max_examples or EMBEDDED_MAX_EXAMPLES
        workers = workers or EMBEDDED_WORKERS
    else:
        target = _given(_given_target(base_url, options))
    # Ours, not schemathesis', so failures can name it.
    seed = options.seed if options.seed is not None else random.getrandbits(64)
    started = time.monotonic()
    with target as server:
        check_target(server, spec, operations)
        say(
            f"Contract-testing {server.base_url} against {spec.path} "
            f"({counted(len(operations), 'operation')}, seed {seed})"
        )
        pool_client = ApiClient(server.base_url, server.credential)
        pool = ResourcePool(pool_client, spec, options.agent_key)
        settings = FuzzSettings(
            base_url=server.base_url,
            spec_path=spec.path,
            headers=server.headers,
            environment=server.environment,
            config_file=config_file,
            include_tags=options.include_tags,
            exclude_tags=options.exclude_tags,
            include_operation_ids=options.include_operation_ids,
            phases=phases,
            max_examples=max_examples,
            seed=seed,
            workers=workers,
            max_time=options.max_time,
            report_formats=options.report_formats,
            report_dir=options.report_dir,
        )
        try:
            _, tally = run_schemathesis(settings, pool)
        finally:
            pool_client.close()
        rejected = only_rejected(tally)
        if rejected is not None:
            tally.errors.append(rejected)
        outcomes, promises = (
            _extra(server, spec, operations, options.agent_key, say)
            if options.extra_checks
            else ([], None)
        )
    validated = response_validated(
        tally, operations, outcomes, streams_checked=options.extra_checks
    )
    if not options.extra_checks:
        say("\nparley checks")
    unvalidated = sum(not o.passed for o in validated)
    say(f"  response_validated: {len(validated) - unvalidated} passed, {unvalidated} failed")
    outcomes += validated
    if promises is not None:
        given = Credentials(server.read_only is not None, server.other_tenant is not None)
        promises.results += covered_results(spec, operations, outcomes, given)
        order = {op.operation_id: index for index, op in enumerate(spec.operations)}
        promises.results.sort(key=lambda result: order.get(result.promise.operation_id, 0))
        promises.unjudgeable = unchecked_results(spec, operations)
    tally.add_outcomes(outcomes)
    if options.report_formats:
        add_outcomes(options.report_dir, options.report_formats, outcomes)
    credentials = (server.credential, server.read_only, server.other_tenant)
    unfilter_curls(tally, [credential for credential in credentials if credential])
    replay = ReplayOptions(
        url=base_url,
        credential=server.credential,
        read_only=server.read_only,
        other_tenant=server.other_tenant,
        seed=seed,
        phases=phases,
        max_examples=options.max_examples,
        spec_path=options.spec_path,
        config_file=config_file if config_file != default_config(spec.path) else None,
        agent_key=options.agent_key if base_url is not None else None,
        extra_checks=options.extra_checks,
    )
    return ContractTestResult(
        base_url=server.base_url,
        spec_path=spec.path,
        seed=seed,
        phases=phases,
        operations=rows_of(tally, operations),
        failures=failures_of(tally, operations, replay, ALL_PHASES),
        checks=tuple(outcomes),
        errors=tuple(tally.errors),
        summary=render_summary(tally, operations),
        reproduce=tuple(replay_lines(tally, operations, replay, ALL_PHASES)),
        report_files=tuple(
            options.report_dir / REPORT_FILES[name] for name in options.report_formats
        ),
        elapsed=time.monotonic() - started,
        reports=(_promises_report(promises, replay),),
        strict=options.strict,
    )


def _promises_report(promises: PromisesReport | None, replay: ReplayOptions) -> CheckReport:
    """The promises as a report of the result: a row per promise and the printed table."""
    if promises is None:
        reason = "the extra checks, which judge the promises, were off (--no-extra-checks)"
        return CheckReport("promises", (CheckRow("every promise", "unchecked", reason),), "")
    status: dict[str, Literal["passed", "failed", "unchecked"]] = {
        "passed": "passed",
        "failed": "failed",
        "not exercised": "unchecked",
    }
    rows = tuple(
        CheckRow(
            f"{result.promise.operation_id} {result.promise.kind} "
            f"{result.promise.name or '(default)'}",
            status[result.status],
            result.detail,
        )
        for result in promises.results
    )
    table = render_promises(promises, lambda op: replay_command(replay, op, ALL_PHASES))
    heading = (
        "Promises (x-parley-* annotations of the contract, see CONTRIBUTING.md; and the\n"
        "security roles, tenancy, Idempotency-Key, streams, pagination and formats the\n"
        "extra checks judge)"
    )
    return CheckReport("promises", rows, f"{heading}\n\n{table}")


def default_config(spec_path: Path) -> Path | None:
    """The project's `schemathesis.toml`: next to the spec (a checkout) or in this package.

    Args:
        spec_path: The OpenAPI document of the run.

    Returns:
        The file, or None when neither place has one (schemathesis then looks for its own).
    """
    for folder in (spec_path.parent, Path(__file__).parent):
        candidate = folder / "schemathesis.toml"
        if candidate.is_file():
            return candidate
    return None


def _linked(operations: tuple[Operation, ...]) -> bool:
    """Whether a link of one selected operation leads to another selected operation."""
    selected = {op.operation_id for op in operations}
    return any(
        link.get("operationId") in selected for op in operations for link in op.links.values()
    )


@contextmanager
def _given(target: Target) -> Iterator[Target]:
    yield target


def _given_target(url: str, options: ContractTestOptions) -> Target:
    """The server at `url` with the options' credentials.

    Raises:
        PreflightError: Neither an API key nor a bearer token was given.
    """
    if options.api_key:
        credential = Credential.api_key(options.api_key, "PARLEY_API_KEY")
    elif options.bearer_token:
        credential = Credential.bearer(options.bearer_token, "PARLEY_BEARER_TOKEN")
    else:
        raise PreflightError(
            "testing a URL needs --api-key or --bearer-token (or PARLEY_API_KEY or "
            "PARLEY_BEARER_TOKEN in the environment)"
        )
    read_only, other = options.read_only_api_key, options.other_tenant_api_key
    return Target(
        base_url=url.rstrip("/"),
        credential=credential,
        read_only=Credential.api_key(read_only, "PARLEY_READ_ONLY_API_KEY") if read_only else None,
        other_tenant=Credential.api_key(other, "PARLEY_OTHER_TENANT_API_KEY") if other else None,
    )


def _extra(
    server: Target,
    spec: Spec,
    operations: tuple[Operation, ...],
    agent_key: str | None,
    say: Progress,
) -> tuple[list[CheckOutcome], PromisesReport]:
    """Run the extra checks and the promise checks, saying one progress line per check."""
    say("\nparley checks")
    writer = ApiClient(server.base_url, server.credential)
    reader = ApiClient(server.base_url, server.read_only) if server.read_only else None
    other = ApiClient(server.base_url, server.other_tenant) if server.other_tenant else None
    try:
        ctx = CheckContext(spec, operations, writer, reader, other, agent_key)
        outcomes = run_extra_checks(ctx)
        promises = check_promises(ctx)
        outcomes += promises.outcomes
        read = [client for client in (writer, reader, other) if client is not None]
        outcomes += response_formats(spec, operations, read)
    finally:
        for client in (writer, reader, other):
            if client is not None:
                client.close()
    checks: dict[str, list[CheckOutcome]] = {}
    for outcome in outcomes:
        checks.setdefault(outcome.check, []).append(outcome)
    for name, group in checks.items():
        failed = sum(not o.passed for o in group)
        say(f"  {name}: {len(group) - failed} passed, {failed} failed")
    if reader is None:
        say("  write_scope_required: skipped (no --read-only-api-key)")
    if other is None:
        say("  tenant_isolation: skipped (no --other-tenant-api-key)")
    return outcomes, promises
