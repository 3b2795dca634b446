"""`parley contract-test [URL]`: contract-test a server against the spec.

With no URL the embedded reference server is started on a temporary SQLite file and tested.
schemathesis runs every phase and check on the selected operations; then the extra checks run
(scopes, tenant isolation, idempotency, streams, soft delete, pagination, deleted reads,
validated responses, and the promises of the document's `x-parley-*` annotations); a summary
table with each operation's 2xx share, the promises report and the optional junit/ndjson
reports follow. The exit code is 0 only when nothing failed (with `--strict`, also only when
every promise was exercised).
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import NoReturn

import click

from parley_contract.authguard import only_rejected
from parley_contract.checks import ApiClient, CheckContext, Credential, run_extra_checks
from parley_contract.depth import ResourcePool
from parley_contract.fuzz import ALL_PHASES, FuzzSettings, run_schemathesis
from parley_contract.preflight import PreflightError, check_spec, check_target, check_url
from parley_contract.promises import PromisesReport, check_promises, render_promises
from parley_contract.reports import REPORT_FILES, add_outcomes
from parley_contract.repro import ReplayOptions, replay_command, replay_lines, unfilter_curls
from parley_contract.results import CheckOutcome
from parley_contract.spec import Operation, Spec, default_spec_path
from parley_contract.summary import render_summary
from parley_contract.target import Target, embedded_target
from parley_contract.validated import response_validated
from parley_contract.wording import counted

__all__ = [
    "EMBEDDED_MAX_EXAMPLES",
    "EMBEDDED_WORKERS",
    "contract_test",
    "worker_threads_are_safe",
]

# Against the embedded server: cases per operation and phase, and schemathesis workers. All 33
# operations, every phase and check, take about 25-45 s on two cores. One worker is faster than
# two there: the server process needs the other core.
EMBEDDED_MAX_EXAMPLES = 25
EMBEDDED_WORKERS = 1


def worker_threads_are_safe(version: tuple[int, int, int]) -> bool:
    """Whether schemathesis may run several worker threads on this CPython.

    CPython 3.11.0-3.11.7 and 3.12.0-3.12.1 share one recursion counter between threads that
    build ASTs (gh-106905, fixed in 3.11.8 and 3.12.2); hypothesis parses source in each worker,
    and the run then dies with "AST constructor recursion depth mismatch".

    Args:
        version: ``(major, minor, micro)`` of the interpreter.

    Returns:
        True when ``--workers`` above 1 is safe.
    """
    fixed_in = {(3, 11): (3, 11, 8), (3, 12): (3, 12, 2)}.get(version[:2])
    return fixed_in is None or version >= fixed_in


def _csv(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


@click.command("contract-test")
@click.argument("url", required=False)
@click.option("--api-key", envvar="PARLEY_API_KEY", help="A read-and-write API key.")
@click.option("--bearer-token", envvar="PARLEY_BEARER_TOKEN", help="A read-and-write JWT.")
@click.option(
    "--read-only-api-key",
    envvar="PARLEY_READ_ONLY_API_KEY",
    help="A read-only key of the same tenant: enables the write_scope_required check.",
)
@click.option(
    "--other-tenant-api-key",
    envvar="PARLEY_OTHER_TENANT_API_KEY",
    help="A read-and-write key of another tenant: enables the tenant_isolation check.",
)
@click.option(
    "--agent-key", help="agentKey for agent-conversation paths (default: create an agent)."
)
@click.option("--include-tag", multiple=True, help="Test only operations with this tag.")
@click.option("--exclude-tag", multiple=True, help="Skip operations with this tag.")
@click.option("--include-operation-id", multiple=True, help="Test only this operation.")
@click.option(
    "--phases",
    default=",".join(ALL_PHASES),
    show_default=True,
    callback=_csv,
    help="schemathesis phases to run.",
)
@click.option("--max-examples", type=click.IntRange(min=1), help="Cases per operation and phase.")
@click.option(
    "--seed", type=int, help="Random seed, for a reproducible run (default: a random one, printed)."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Concurrent schemathesis workers (above 1 needs CPython 3.11.8+ or 3.12.2+).",
)
@click.option("--max-time", type=click.IntRange(min=1), help="Time budget in seconds.")
@click.option(
    "--report",
    "report_formats",
    default="",
    callback=_csv,
    help="Report files to write: junit, ndjson (comma-separated).",
)
@click.option(
    "--report-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("parley-report"),
    show_default=True,
    help="Where --report files go (junit.xml, events.ndjson).",
)
@click.option("--extra-checks/--no-extra-checks", default=True, help="Run the parley checks.")
@click.option(
    "--spec",
    "spec_path",
    type=click.Path(path_type=Path),  # checked by the pre-flight, in one line
    help="The OpenAPI document (default: Parley's openapi.yaml).",
)
@click.option(
    "--config-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A schemathesis.toml (default: the project's, next to the spec or installed).",
)
@click.option(
    "--strict", is_flag=True, help="Also fail when a promise of the contract was not exercised."
)
def contract_test(
    url: str | None,
    api_key: str | None,
    bearer_token: str | None,
    read_only_api_key: str | None,
    other_tenant_api_key: str | None,
    agent_key: str | None,
    include_tag: tuple[str, ...],
    exclude_tag: tuple[str, ...],
    include_operation_id: tuple[str, ...],
    phases: tuple[str, ...],
    max_examples: int | None,
    seed: int | None,
    workers: int | None,
    max_time: int | None,
    report_formats: tuple[str, ...],
    report_dir: Path,
    extra_checks: bool,
    spec_path: Path | None,
    config_file: Path | None,
    strict: bool,
) -> None:
    """Contract-test the server at URL (default: the embedded reference server).

    For example `parley contract-test`, or `parley contract-test http://127.0.0.1:8080
    --api-key KEY --include-tag qa`. Exits 0 only when no check failed, 1 when a check failed,
    2 when the target cannot be tested (bad URL or spec, nothing listening, a rejected or
    wrong-tenant key: one line says which, before any fuzzing).

    WARNING: it writes data into the target server (agents, conversations, messages, soft
    deletes): point it at a test server or tenant, never at production data.

    Each failure prints the seed and a command that replays it (credentials as
    environment-variable names: export PARLEY_API_KEY and the others first).
    """
    unknown = set(report_formats) - set(REPORT_FILES)
    if unknown:
        raise click.BadParameter(f"unknown report format {sorted(unknown)}", param_hint="--report")
    if set(phases) - set(ALL_PHASES):
        raise click.BadParameter(f"phases are {', '.join(ALL_PHASES)}", param_hint="--phases")
    if workers is not None and workers > 1 and not worker_threads_are_safe(sys.version_info[:3]):
        raise click.UsageError(
            f"--workers {workers} needs CPython 3.11.8+ or 3.12.2+ (this is "
            f"{'.'.join(map(str, sys.version_info[:3]))}, whose AST race gh-106905 crashes "
            "schemathesis worker threads); use --workers 1 or a newer Python"
        )
    try:
        base_url = check_url(url) if url is not None else None
        spec = check_spec(spec_path or default_spec_path())
    except PreflightError as exc:
        _refuse(exc)
    operations = spec.select(
        include_tags=include_tag,
        exclude_tags=exclude_tag,
        include_operation_ids=include_operation_id,
    )
    if not operations:
        _refuse(PreflightError("the filters leave no operation of the spec to test"))
    if "stateful" in phases and not _linked(operations):
        # schemathesis reports an error when no link joins two selected operations.
        click.echo("Stateful phase skipped: no links between the selected operations")
        phases = tuple(phase for phase in phases if phase != "stateful")
    config_file = config_file or _default_config(spec.path)
    given_max_examples = max_examples
    if base_url is None:
        target: AbstractContextManager[Target] = embedded_target()
        max_examples = max_examples or EMBEDDED_MAX_EXAMPLES
        workers = workers or EMBEDDED_WORKERS
    else:
        target = _given_target(
            base_url, api_key, bearer_token, read_only_api_key, other_tenant_api_key
        )
    if seed is None:
        seed = random.getrandbits(64)  # ours, not schemathesis', so failures can name it
    started = time.monotonic()
    with target as server:
        try:
            check_target(server, spec, operations)
        except PreflightError as exc:
            _refuse(exc)
        click.echo(
            f"Contract-testing {server.base_url} against {spec.path} "
            f"({counted(len(operations), 'operation')}, seed {seed})"
        )
        pool_client = ApiClient(server.base_url, server.credential)
        pool = ResourcePool(pool_client, spec, agent_key)
        settings = FuzzSettings(
            base_url=server.base_url,
            spec_path=spec.path,
            headers=server.headers,
            environment=server.environment,
            config_file=config_file,
            include_tags=include_tag,
            exclude_tags=exclude_tag,
            include_operation_ids=include_operation_id,
            phases=phases,
            max_examples=max_examples,
            seed=seed,
            workers=workers,
            max_time=max_time,
            report_formats=report_formats,
            report_dir=report_dir,
        )
        try:
            _, tally = run_schemathesis(settings, pool)
        finally:
            pool_client.close()
        rejected = only_rejected(tally)
        if rejected is not None:
            tally.errors.append(rejected)
        outcomes, promises = (
            _extra(server, spec, operations, agent_key) if extra_checks else ([], None)
        )
    validated = response_validated(tally, operations, outcomes, streams_checked=extra_checks)
    if not extra_checks:
        click.echo("\nparley checks")
    unvalidated = sum(not o.passed for o in validated)
    click.echo(f"  response_validated: {len(validated) - unvalidated} passed, {unvalidated} failed")
    outcomes += validated
    tally.add_outcomes(outcomes)
    if report_formats:
        add_outcomes(report_dir, report_formats, outcomes)
    credentials = (server.credential, server.read_only, server.other_tenant)
    unfilter_curls(tally, [credential for credential in credentials if credential])
    click.echo("\nparley contract-test summary\n")
    click.echo(render_summary(tally, operations))
    replay = ReplayOptions(
        url=base_url,
        credential=server.credential,
        read_only=server.read_only,
        other_tenant=server.other_tenant,
        seed=seed,
        phases=phases,
        max_examples=given_max_examples,
        spec_path=spec_path,
        config_file=config_file if config_file != _default_config(spec.path) else None,
        agent_key=agent_key if base_url is not None else None,
        extra_checks=extra_checks,
    )
    for line in replay_lines(tally, operations, replay, ALL_PHASES):
        click.echo(line)
    click.echo("\nPromises (x-parley-* annotations of the contract; see CONTRIBUTING.md)\n")
    click.echo(
        render_promises(promises, lambda op: replay_command(replay, op, ALL_PHASES))
        if promises is not None
        else "  not checked (--no-extra-checks)"
    )
    unexercised = promises is None or bool(promises.unexercised)
    click.echo(f"Finished in {time.monotonic() - started:.1f}s")
    for name in report_formats:
        click.echo(f"Report: {report_dir / REPORT_FILES[name]}")
    raise SystemExit(1 if tally.failed or (strict and unexercised) else 0)


def _refuse(error: PreflightError) -> NoReturn:
    """Print the pre-flight problem as one line and exit 2 (nothing was tested)."""
    click.echo(f"parley contract-test: {error}", err=True)
    raise SystemExit(2)


def _default_config(spec_path: Path) -> Path | None:
    """The project's `schemathesis.toml`: next to the spec (a checkout) or in this package."""
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


def _given_target(
    url: str,
    api_key: str | None,
    bearer_token: str | None,
    read_only_api_key: str | None,
    other_tenant_api_key: str | None,
) -> AbstractContextManager[Target]:
    if api_key:
        credential = Credential.api_key(api_key, "PARLEY_API_KEY")
    elif bearer_token:
        credential = Credential.bearer(bearer_token, "PARLEY_BEARER_TOKEN")
    else:
        _refuse(
            PreflightError(
                "testing a URL needs --api-key or --bearer-token (or PARLEY_API_KEY or "
                "PARLEY_BEARER_TOKEN in the environment)"
            )
        )
    return _given(
        Target(
            base_url=url.rstrip("/"),
            credential=credential,
            read_only=(
                Credential.api_key(read_only_api_key, "PARLEY_READ_ONLY_API_KEY")
                if read_only_api_key
                else None
            ),
            other_tenant=(
                Credential.api_key(other_tenant_api_key, "PARLEY_OTHER_TENANT_API_KEY")
                if other_tenant_api_key
                else None
            ),
        )
    )


def _extra(
    server: Target, spec: Spec, operations: tuple[Operation, ...], agent_key: str | None
) -> tuple[list[CheckOutcome], PromisesReport]:
    """Run the extra checks against `server`, printing one progress line per check."""
    click.echo("\nparley checks")
    writer = ApiClient(server.base_url, server.credential)
    reader = ApiClient(server.base_url, server.read_only) if server.read_only else None
    other = ApiClient(server.base_url, server.other_tenant) if server.other_tenant else None
    try:
        ctx = CheckContext(spec, operations, writer, reader, other, agent_key)
        outcomes = run_extra_checks(ctx)
        promises = check_promises(ctx)
        outcomes += promises.outcomes
    finally:
        for client in (writer, reader, other):
            if client is not None:
                client.close()
    checks: dict[str, list[CheckOutcome]] = {}
    for outcome in outcomes:
        checks.setdefault(outcome.check, []).append(outcome)
    for name, group in checks.items():
        failed = sum(not o.passed for o in group)
        click.echo(f"  {name}: {len(group) - failed} passed, {failed} failed")
    if reader is None:
        click.echo("  write_scope_required: skipped (no --read-only-api-key)")
    if other is None:
        click.echo("  tenant_isolation: skipped (no --other-tenant-api-key)")
    return outcomes, promises
