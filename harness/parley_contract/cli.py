"""`parley contract-test [URL]`: contract-test a server against the spec.

The run itself is `parley_contract.run_contract_test`: this command parses the options (its help
is `contract_test`'s docstring), calls it, prints the result and exits with its status.
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import click

from parley_contract.options import (
    ALL_PHASES,
    EMBEDDED_MAX_EXAMPLES,
    EMBEDDED_WORKERS,
    ContractTestOptions,
    OptionError,
    worker_threads_are_safe,
)
from parley_contract.preflight import PreflightError
from parley_contract.runner import run_contract_test
from parley_contract.verdict import CheckReport

__all__ = [
    "EMBEDDED_MAX_EXAMPLES",
    "EMBEDDED_WORKERS",
    "contract_test",
    "worker_threads_are_safe",
]


def _csv(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _pairs(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    found = {}
    for value in values:
        name, equals, given = value.partition("=")
        if not equals or not name.strip() or not given:
            raise click.BadParameter(f"{value!r} is not NAME=VALUE")
        found[name.strip()] = given
    return found


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
    "--path-value",
    "path_values",
    multiple=True,
    callback=_pairs,
    metavar="NAME=VALUE",
    help="A fixed value for every path parameter NAME (a resource the server is configured "
    "with rather than one the run can make; default: the run makes one).",
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
@click.option(
    "--trace",
    is_flag=True,
    help="Print every behavioural sentence of the contract's prose with its promises' verdicts.",
)
def contract_test(
    url: str | None,
    api_key: str | None,
    bearer_token: str | None,
    read_only_api_key: str | None,
    other_tenant_api_key: str | None,
    path_values: dict[str, str],
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
    trace: bool,
) -> None:
    """Contract-test the server at URL (default: the embedded reference server).

    For example `parley contract-test`, or `parley contract-test http://127.0.0.1:8080
    --api-key KEY --include-tag qa`. Exits 0 only when no check failed, 1 when a check failed,
    2 when the target cannot be tested (bad URL or spec, nothing listening, a rejected or
    wrong-tenant key: one line says which, before any fuzzing).

    WARNING: it writes data into the target server (everything the contract's writes make,
    soft deletes included): point it at a test server or tenant, never at production data.

    Each failure prints the seed and a command that replays it (credentials as
    environment-variable names: export PARLEY_API_KEY and the others first).
    """
    options = ContractTestOptions(
        url=url,
        api_key=api_key,
        bearer_token=bearer_token,
        read_only_api_key=read_only_api_key,
        other_tenant_api_key=other_tenant_api_key,
        path_values=path_values,
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
        extra_checks=extra_checks,
        spec_path=spec_path,
        config_file=config_file,
        strict=strict,
        trace=trace,
    )
    try:
        result = run_contract_test(options, progress=click.echo)
    except OptionError as exc:
        if exc.option is None:
            raise click.UsageError(str(exc)) from exc
        raise click.BadParameter(str(exc), param_hint=exc.option) from exc
    except PreflightError as exc:
        _refuse(exc)
    click.echo("\nparley contract-test summary\n")
    click.echo(result.summary)
    for line in result.reproduce:
        click.echo(line)
    for report in result.reports:
        _print_report(report)
    click.echo(f"Finished in {result.elapsed:.1f}s")
    for path in result.report_files:
        click.echo(f"Report: {path}")
    raise SystemExit(result.exit_status)


def _refuse(error: PreflightError) -> NoReturn:
    """Print the pre-flight problem as one line and exit 2 (nothing was tested)."""
    click.echo(f"parley contract-test: {error}", err=True)
    raise SystemExit(2)


def _print_report(report: CheckReport) -> None:
    """A check report joined to the run: its own text, or its counts and each row not passed."""
    if report.text:
        click.echo(f"\n{report.text}")
        return
    counts = f"{report.count('passed')} passed, {report.count('failed')} failed"
    unchecked = report.count("unchecked")
    click.echo(f"\n{report.name}: {counts}" + (f", {unchecked} unchecked" if unchecked else ""))
    for row in report.rows:
        if row.status != "passed":
            click.echo(f"  {row.status}: {row.subject}: {row.message}")
