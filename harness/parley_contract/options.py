"""The options of one contract test: what `parley contract-test` parses, as one frozen value."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from parley_contract.reports import REPORT_FILES

__all__ = [
    "ALL_PHASES",
    "EMBEDDED_MAX_EXAMPLES",
    "EMBEDDED_WORKERS",
    "ContractTestOptions",
    "OptionError",
    "worker_threads_are_safe",
]

ALL_PHASES = ("examples", "coverage", "fuzzing", "stateful")
"""schemathesis' phases, in the order it runs them."""

# Against the embedded server: cases per operation and phase, and schemathesis workers. All 33
# operations, every phase and check, take about 25-45 s on two cores. One worker is faster than
# two there: the server process needs the other core.
EMBEDDED_MAX_EXAMPLES = 25
EMBEDDED_WORKERS = 1


def worker_threads_are_safe(version: tuple[int, int, int]) -> bool:
    """Whether schemathesis may run several worker threads on CPython ``version`` (3 numbers).

    CPython 3.11.0-3.11.7 and 3.12.0-3.12.1 share one recursion counter between threads that
    build ASTs (gh-106905, fixed in 3.11.8 and 3.12.2); hypothesis parses source in each worker,
    and the run then dies with "AST constructor recursion depth mismatch".
    """
    fixed_in = {(3, 11): (3, 11, 8), (3, 12): (3, 12, 2)}.get(version[:2])
    return fixed_in is None or version >= fixed_in


class OptionError(ValueError):
    """An option value a contract test cannot run with (the CLI's usage error, exit 2).

    Attributes:
        option: The command-line flag the value belongs to (`--report`, `--phases`), or None
            when the message names it itself.
    """

    def __init__(self, message: str, option: str | None = None) -> None:
        super().__init__(message)
        self.option = option


@dataclass(frozen=True)
class ContractTestOptions:
    """Everything `parley contract-test` takes, one attribute per command-line option.

    Unlike the command line, nothing is read from the environment: pass the keys themselves
    (the CLI reads `PARLEY_API_KEY` and the other variables into these fields).

    Attributes:
        url: The server to test, or None for the embedded reference server (a fresh SQLite
            database, keys of its own; it stops when the run ends).
        api_key: A read-and-write API key (needed with a URL, unless `bearer_token` is set).
        bearer_token: A read-and-write JWT, used when `api_key` is not set.
        read_only_api_key: A read-only key of the same tenant: enables `write_scope_required`.
        other_tenant_api_key: A key of another tenant: enables `tenant_isolation`.
        path_values: Fixed values of path parameters, by name, used wherever a parameter of
            that name appears (a resource the server is configured with rather than one the
            run can make, e.g. an agent's key); the others come from resources the run makes.
        include_tags: Test only operations with one of these tags.
        exclude_tags: Skip operations with one of these tags.
        include_operation_ids: Test only these operations.
        phases: schemathesis phases to run, a subset of `ALL_PHASES`.
        max_examples: Cases per operation and phase (None: the configuration's, or 25 against
            the embedded server).
        seed: The random seed (None: a random one, reported in the result).
        workers: Concurrent schemathesis workers (None: the configuration's, or 1 against the
            embedded server); above 1 needs CPython 3.11.8+ or 3.12.2+.
        max_time: Time budget of schemathesis, in seconds (None: no budget).
        report_formats: Report files to write: `junit`, `ndjson`.
        report_dir: Where report files go (`junit.xml`, `events.ndjson`).
        extra_checks: Whether Parley's own checks (and the contract's promises) run after
            schemathesis.
        strict: Also fail the run when a promise of the contract was not exercised (or the
            extra checks, which judge the promises, are off).
        spec_path: The OpenAPI document (None: Parley's `openapi.yaml`).
        config_file: A `schemathesis.toml` (None: the project's, next to the spec or installed).
        trace: Print the trace section in full: every behavioural sentence of the prose with
            the verdict of its promises (the summary line is always printed).
    """

    url: str | None = None
    api_key: str | None = None
    bearer_token: str | None = None
    read_only_api_key: str | None = None
    other_tenant_api_key: str | None = None
    path_values: Mapping[str, str] = field(default_factory=dict)
    include_tags: tuple[str, ...] = ()
    exclude_tags: tuple[str, ...] = ()
    include_operation_ids: tuple[str, ...] = ()
    phases: tuple[str, ...] = ALL_PHASES
    max_examples: int | None = None
    seed: int | None = None
    workers: int | None = None
    max_time: int | None = None
    report_formats: tuple[str, ...] = ()
    report_dir: Path = field(default_factory=lambda: Path("parley-report"))
    extra_checks: bool = True
    strict: bool = False
    spec_path: Path | None = None
    config_file: Path | None = None
    trace: bool = False

    def validate(self) -> None:
        """Refuse values no run can use, before anything starts.

        Raises:
            OptionError: An unknown report format or phase, a count below 1, or workers above
                1 on a CPython whose worker threads crash.
        """
        unknown = set(self.report_formats) - set(REPORT_FILES)
        if unknown:
            raise OptionError(f"unknown report format {sorted(unknown)}", "--report")
        if set(self.phases) - set(ALL_PHASES):
            raise OptionError(f"phases are {', '.join(ALL_PHASES)}", "--phases")
        counts = {
            "--max-examples": self.max_examples,
            "--workers": self.workers,
            "--max-time": self.max_time,
        }
        for option, number in counts.items():
            if number is not None and number < 1:
                raise OptionError(f"{number} is below 1", option)
        version = sys.version_info[:3]
        if self.workers is not None and self.workers > 1 and not worker_threads_are_safe(version):
            raise OptionError(
                f"--workers {self.workers} needs CPython 3.11.8+ or 3.12.2+ (this is "
                f"{'.'.join(map(str, version))}, whose AST race gh-106905 crashes "
                "schemathesis worker threads); use --workers 1 or a newer Python"
            )
