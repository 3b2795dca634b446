"""Run schemathesis (its own CLI, in-process) against a server and tally what it found.

Everything schemathesis does is left to it: phases, checks, filters, progress output and the
junit and ndjson reports. This module only turns `parley contract-test` options into the
arguments of `schemathesis run` and collects per-operation results through `tally`.

schemathesis' Python API (`schemathesis.openapi.from_path` and `parametrize`) tests one
operation at a time under pytest: no stateful phase across operations, no progress output,
no report files, all of which its CLI has. So the CLI's `run` command is invoked, but with a
configuration built here (`schemathesis.Config.from_dict`): the credential fills the
`${PARLEY_API_KEY}` placeholders of `schemathesis.toml` directly, and the caller's
`os.environ` is never changed.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parley_spec import load_contract

from parley_contract.depth import ResourcePool, deepening
from parley_contract.options import ALL_PHASES, ContractTestOptions
from parley_contract.reports import REPORT_FILES
from parley_contract.requestids import request_ids_checked
from parley_contract.results import Tally
from parley_contract.tally import collecting

__all__ = [
    "FuzzSettings",
    "load_configuration",
    "run_args",
    "run_schemathesis",
    "schemathesis_args",
]


@dataclass(frozen=True)
class FuzzSettings:
    """One schemathesis run: the options of the contract test and what the run resolved.

    Attributes:
        base_url: The server under test.
        spec_path: The OpenAPI document.
        headers: Headers sent with every request (the credential).
        options: The contract test's options: filters, `max_time`, the report files.
        config_file: A `schemathesis.toml` to load, or None for schemathesis' own discovery.
        phases: The phases to run.
        max_examples: Cases per operation and phase, or None for the configured default.
        seed: The random seed, or None for a random one.
        workers: Concurrent workers, or None for the configured default.
        checks: Check names for `--checks`, or None (the default) for every check except those
            the configuration switches off for an operation. `--checks` on the command line
            overrides the configuration file, per-operation switches included.
        request_timeout: Seconds to wait for one response.
        environment: Values of `${NAME}` placeholders in the configuration, ahead of the
            process environment (the shared `schemathesis.toml` reads the credential from
            `${PARLEY_API_KEY}`). Nothing is exported: `os.environ` stays as it is.
    """

    base_url: str
    spec_path: Path
    headers: Mapping[str, str]
    options: ContractTestOptions = field(default_factory=ContractTestOptions)
    config_file: Path | None = None
    phases: Sequence[str] = ALL_PHASES
    max_examples: int | None = None
    seed: int | None = None
    workers: int | None = None
    checks: Sequence[str] | None = None
    request_timeout: float = 30.0
    environment: Mapping[str, str] = field(default_factory=dict)


def schemathesis_args(settings: FuzzSettings, config_file: Path | None = None) -> list[str]:
    """The words after `schemathesis` on a command line: `[--config-file F] run ...`.

    `config_file` is loaded instead of `settings.config_file`; `run_args(settings)` follow `run`.
    """
    config_file = config_file or settings.config_file
    loaded = ["--config-file", str(config_file)] if config_file is not None else []
    return [*loaded, "run", *run_args(settings)]


def run_args(settings: FuzzSettings) -> list[str]:
    """The words after `schemathesis run`: the spec path, `--url`, `--phases` and the rest."""
    args = [
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
    options = settings.options
    for tag in options.include_tags:
        args += ["--include-tag", tag]
    for tag in options.exclude_tags:
        args += ["--exclude-tag", tag]
    for operation_id in options.include_operation_ids:
        args += ["--include-operation-id", operation_id]
    optional: dict[str, int | None] = {
        "--max-examples": settings.max_examples,
        "--seed": settings.seed,
        "--workers": settings.workers,
        "--max-time": options.max_time,
    }
    for option, number in optional.items():
        if number is not None:
            args += [option, str(number)]
    if options.report_formats:
        args += ["--report", ",".join(options.report_formats)]
        for name in options.report_formats:
            args += [f"--report-{name}-path", str(options.report_dir / REPORT_FILES[name])]
    return args


# `${NAME}` placeholders and the `$${` escape, as schemathesis reads them in a configuration.
_PLACEHOLDER = re.compile(r"\$(?:\$(?=\{)|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)\})")


def _substitute(text: str, values: Mapping[str, str]) -> str:
    """`text` with the placeholders named in `values` filled in, escaped for schemathesis.

    Other placeholders and escapes stay for schemathesis to resolve. A value's `$` that would
    start a placeholder or an escape (a `$` before `{`) is doubled, so it stays a `$`.
    """

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name is None or name not in values:
            return match.group(0)
        value = values[name].replace("${", "$${")
        if value.endswith("$") and text.startswith("{", match.end()):
            value += "$"
        return value

    return _PLACEHOLDER.sub(replace, text)


def _filled(data: Any, values: Mapping[str, str]) -> Any:
    """A copy of parsed TOML `data` with `_substitute` applied to every string, keys included."""
    if isinstance(data, str):
        return _substitute(data, values)
    if isinstance(data, dict):
        return {_substitute(k, values): _filled(value, values) for k, value in data.items()}
    if isinstance(data, list):
        return [_filled(item, values) for item in data]
    return data


def _discovered() -> Path | None:
    """The `schemathesis.toml` schemathesis would find on its own: here or in a parent folder.

    Like schemathesis' search, it stops at the first folder holding `.git`.
    """
    folder = Path.cwd()
    while True:
        candidate = folder / "schemathesis.toml"
        if candidate.is_file():
            return candidate
        if (folder / ".git").is_dir() or folder.parent == folder:
            return None
        folder = folder.parent


def load_configuration(settings: FuzzSettings) -> Any:
    """The schemathesis configuration of `settings`, built without touching `os.environ`.

    The file (`settings.config_file`, else the one schemathesis would discover) is parsed, its
    placeholders named in `settings.environment` are filled in, and
    `schemathesis.Config.from_dict` builds the configuration;
    placeholders of other names resolve from the environment, as schemathesis does.

    Returns:
        A `schemathesis.Config`; its `config_path` names the file read, as `from_path` does.

    Raises:
        OSError: The file cannot be read.
        tomllib.TOMLDecodeError: The file is not TOML.
        schemathesis.errors.SchemathesisError: schemathesis refuses the configuration (a
            `ConfigError`: an unknown key, a missing variable) or cannot import its hooks.
    """
    from schemathesis import Config

    path = settings.config_file or _discovered()
    data: dict[str, Any] = {}
    if path is not None:
        with path.open("rb") as stream:
            data = tomllib.load(stream)
    data = _filled(data, settings.environment)
    config = Config.from_dict(data, base_dir=str(path.resolve().parent) if path else None)
    if path is not None:
        config._config_path = str(path.resolve())  # shown as "Configuration:" in its header
    return config


def run_schemathesis(settings: FuzzSettings, pool: ResourcePool | None = None) -> tuple[int, Tally]:
    """Run schemathesis in this process and tally its cases and failures per operation.

    Its progress and its own summary go to stdout as `schemathesis run` prints them. The
    configuration is passed to its `run` command whole (`load_configuration`); a file that
    does not load is left to schemathesis, which says why as its CLI does. `os.environ` is
    not changed.

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
    from schemathesis.errors import SchemathesisError

    run_command = schemathesis_cli.commands["run"]
    tally = Tally()
    contract = pool.contract if pool is not None else load_contract(settings.spec_path)
    with (
        collecting(tally),
        deepening(contract, pool),
        request_ids_checked(contract),
    ):
        try:
            try:
                config = load_configuration(settings)
            except (OSError, tomllib.TOMLDecodeError, SchemathesisError):
                # It fails again the same way in schemathesis' hands, which report it.
                result = schemathesis_cli.main(
                    args=schemathesis_args(settings),
                    prog_name="schemathesis",
                    standalone_mode=False,
                )
            else:
                # schemathesis turns `color = false` into `os.environ["NO_COLOR"]`; the click
                # context carries it instead.
                color = False if config.color is False else None
                if color is False:
                    config.color = None
                result = run_command.main(
                    args=run_args(settings),
                    prog_name="schemathesis run",
                    standalone_mode=False,
                    obj=config,
                    color=color,
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
