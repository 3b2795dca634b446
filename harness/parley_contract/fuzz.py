"""Run schemathesis (its own CLI, in-process) against a server and tally what it found.

Everything schemathesis does is left to it: phases, checks, filters, progress output and the
junit and ndjson reports. This module only turns `parley contract-test` options into the
arguments of `schemathesis run` and collects per-operation results through `tally`.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from parley_contract.depth import ResourcePool, deepening
from parley_contract.reports import REPORT_FILES
from parley_contract.requestids import request_ids_checked
from parley_contract.results import Tally
from parley_contract.spec import load_spec
from parley_contract.tally import collecting

__all__ = ["ALL_PHASES", "FuzzSettings", "run_schemathesis", "schemathesis_args"]

ALL_PHASES = ("examples", "coverage", "fuzzing", "stateful")


@dataclass(frozen=True)
class FuzzSettings:
    """One schemathesis run.

    Attributes:
        base_url: The server under test.
        spec_path: The OpenAPI document.
        headers: Headers sent with every request (the credential).
        config_file: A `schemathesis.toml` to load, or None for schemathesis' own discovery.
        include_tags: `--include-tag` values.
        exclude_tags: `--exclude-tag` values.
        include_operation_ids: `--include-operation-id` values.
        phases: The phases to run.
        checks: Check names for `--checks`, or None (the default) for every check except those
            the configuration switches off for an operation. `--checks` on the command line
            overrides the configuration file, per-operation switches included.
        max_examples: Cases per operation and phase, or None for the configured default.
        seed: The random seed, or None for a random one.
        workers: Concurrent workers, or None for the configured default.
        max_time: Time budget in seconds, or None for none.
        report_formats: Report formats (`junit`, `ndjson`).
        report_dir: Where reports go.
        request_timeout: Seconds to wait for one response.
        environment: Variables exported while schemathesis runs (the shared
            `schemathesis.toml` reads the credential from `PARLEY_API_KEY`).
        parameters: Fixed parameter values (`path.agentKey` = an agent's key), added to the
            configuration as its `[parameters]` table.
    """

    base_url: str
    spec_path: Path
    headers: Mapping[str, str]
    config_file: Path | None = None
    include_tags: Sequence[str] = ()
    exclude_tags: Sequence[str] = ()
    include_operation_ids: Sequence[str] = ()
    phases: Sequence[str] = ALL_PHASES
    checks: Sequence[str] | None = None
    max_examples: int | None = None
    seed: int | None = None
    workers: int | None = None
    max_time: int | None = None
    report_formats: Sequence[str] = ()
    report_dir: Path = field(default_factory=lambda: Path("parley-report"))
    request_timeout: float = 30.0
    environment: Mapping[str, str] = field(default_factory=dict)
    parameters: Mapping[str, str] = field(default_factory=dict)


def schemathesis_args(settings: FuzzSettings, config_file: Path | None = None) -> list[str]:
    """The argument list of `schemathesis [--config-file F] run ...` for `settings`.

    Args:
        settings: What to run.
        config_file: The configuration to load instead of `settings.config_file`.
    """
    args: list[str] = []
    config_file = config_file or settings.config_file
    if config_file is not None:
        args += ["--config-file", str(config_file)]
    args += [
        "run",
        str(settings.spec_path),
        "--url",
        settings.base_url,
        "--phases",
        ",".join(settings.phases),
        "--request-timeout",
        str(settings.request_timeout),
        # Each run starts from scratch: no examples replayed from an earlier run's database.
        "--generation-database",
        "none",
    ]
    if settings.checks is not None:
        args += ["--checks", ",".join(settings.checks)]
    for name, value in settings.headers.items():
        args += ["--header", f"{name}: {value}"]
    for tag in settings.include_tags:
        args += ["--include-tag", tag]
    for tag in settings.exclude_tags:
        args += ["--exclude-tag", tag]
    for operation_id in settings.include_operation_ids:
        args += ["--include-operation-id", operation_id]
    optional: dict[str, int | None] = {
        "--max-examples": settings.max_examples,
        "--seed": settings.seed,
        "--workers": settings.workers,
        "--max-time": settings.max_time,
    }
    for option, number in optional.items():
        if number is not None:
            args += [option, str(number)]
    if settings.report_formats:
        args += ["--report", ",".join(settings.report_formats)]
        for name in settings.report_formats:
            args += [f"--report-{name}-path", str(settings.report_dir / REPORT_FILES[name])]
    return args


@contextmanager
def _exported(variables: Mapping[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _with_parameters(settings: FuzzSettings) -> Iterator[Path | None]:
    """A temporary copy of the configuration with a `[parameters]` table, when any are set."""
    if not settings.parameters:
        yield None
        return
    base = settings.config_file.read_text(encoding="utf-8") if settings.config_file else ""
    table = "\n".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in settings.parameters.items())
    with tempfile.TemporaryDirectory(prefix="parley-st-") as tmp:
        path = Path(tmp) / "schemathesis.toml"
        path.write_text(f"{base}\n\n[parameters]\n{table}\n", encoding="utf-8")
        yield path


def run_schemathesis(settings: FuzzSettings, pool: ResourcePool | None = None) -> tuple[int, Tally]:
    """Run schemathesis in this process and tally its cases and failures per operation.

    Its progress and its own summary go to stdout as `schemathesis run` prints them.

    Args:
        settings: What to run.
        pool: Created resources whose ids a share of the generated cases get (see
            `parley_contract.depth`); None leaves their ids as generated. Either way every case
            with valid headers gets a fresh `Idempotency-Key`, and the `request_id` check
            judges every answer (see `parley_contract.requestids`).

    Returns:
        Schemathesis' exit code (0 when nothing failed) and the tally.
    """
    import click
    from schemathesis.cli import schemathesis as schemathesis_cli

    tally = Tally()
    with (
        collecting(tally),
        deepening(load_spec(settings.spec_path), pool),
        request_ids_checked(settings.spec_path),
        _exported(settings.environment),
        _with_parameters(settings) as config_file,
    ):
        try:
            result = schemathesis_cli.main(
                args=schemathesis_args(settings, config_file),
                prog_name="schemathesis",
                standalone_mode=False,
            )
            code = result if isinstance(result, int) else 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        except click.ClickException as exc:
            exc.show()
            code = exc.exit_code
    if code != 0 and not tally.failed:
        tally.errors.append(f"schemathesis exited with {code}")
    return code, tally
