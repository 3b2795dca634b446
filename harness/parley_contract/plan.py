"""Pre-flight, the first phase of a run: the options checked and resolved into a `Plan`.

Nothing here touches the server: the URL and the spec are checked, the filters applied, the
phases, the configuration, the case counts and the seed resolved. The live probes of the
target (`preflight.check_target`) come once the target is open.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from parley_spec import Contract, Operation, spec_path

from parley_contract.client import Credential
from parley_contract.fuzz import FuzzSettings
from parley_contract.options import EMBEDDED_MAX_EXAMPLES, EMBEDDED_WORKERS, ContractTestOptions
from parley_contract.preflight import PreflightError, check_spec, check_url
from parley_contract.repro import ReplayOptions
from parley_contract.target import Target, embedded_target

__all__ = ["Plan", "Progress", "default_config", "make_plan"]

Progress = Callable[[str], None]
"""Receives parley's progress lines, one call per line (e.g. `click.echo`)."""


@dataclass(frozen=True)
class Plan:
    """What a run will do, resolved from its options before anything is sent.

    Attributes:
        options: The options as given.
        url: The checked base URL (no trailing slash), or None for the embedded server.
        contract: The contract read from the spec.
        operations: The operations the filters leave, in document order.
        phases: The schemathesis phases to run (stateful dropped when no link joins two of
            the operations: schemathesis reports an error then).
        config_file: The `schemathesis.toml` to load, or None.
        max_examples: Cases per operation and phase (None: the configuration's).
        workers: schemathesis workers (None: the configuration's).
        seed: The run's seed (the options' or a random one): failures name it.
    """

    options: ContractTestOptions
    url: str | None
    contract: Contract
    operations: tuple[Operation, ...]
    phases: tuple[str, ...]
    config_file: Path | None
    max_examples: int | None
    workers: int | None
    seed: int

    @property
    def spec_path(self) -> Path:
        """Where the contract was read from."""
        assert self.contract.path is not None  # the pre-flight reads it from a file
        return self.contract.path

    def open_target(self) -> AbstractContextManager[Target]:
        """The server under test: the embedded reference server, or the URL's.

        Raises:
            PreflightError: A URL without an API key or a bearer token.
        """
        if self.url is None:
            return embedded_target()
        return _given(_url_target(self.url, self.options))

    def fuzz_settings(self, target: Target) -> FuzzSettings:
        """The schemathesis run of this plan against ``target``."""
        return FuzzSettings(
            base_url=target.base_url,
            spec_path=self.spec_path,
            headers=target.headers,
            options=self.options,
            config_file=self.config_file,
            phases=self.phases,
            max_examples=self.max_examples,
            seed=self.seed,
            workers=self.workers,
            environment=target.environment,
        )

    def replay(self, target: Target) -> ReplayOptions:
        """What a replay of one of its operations repeats."""
        return ReplayOptions(
            self.options, self.seed, self.phases, target if self.url is not None else None
        )


def make_plan(options: ContractTestOptions, say: Progress) -> Plan:
    """Pre-flight without the network: check the options, read the spec, resolve the rest.

    `say` gets a progress line when the stateful phase is dropped.

    Raises:
        OptionError: An option value no run can use.
        PreflightError: A bad URL or spec, or filters that leave no operation.
    """
    options.validate()
    url = check_url(options.url) if options.url is not None else None
    contract = check_spec(options.spec_path or spec_path())
    operations = contract.select(
        include_tags=options.include_tags,
        exclude_tags=options.exclude_tags,
        include_operation_ids=options.include_operation_ids,
    )
    if not operations:
        raise PreflightError("the filters leave no operation of the spec to test")
    phases = tuple(options.phases)
    if "stateful" in phases and not _linked(operations):
        say("Stateful phase skipped: no links between the selected operations")
        phases = tuple(phase for phase in phases if phase != "stateful")
    assert contract.path is not None  # check_spec reads a file
    embedded = url is None
    return Plan(
        options=options,
        url=url,
        contract=contract,
        operations=operations,
        phases=phases,
        config_file=options.config_file or default_config(contract.path),
        max_examples=options.max_examples or (EMBEDDED_MAX_EXAMPLES if embedded else None),
        workers=options.workers or (EMBEDDED_WORKERS if embedded else None),
        # Ours, not schemathesis', so failures can name it.
        seed=options.seed if options.seed is not None else random.getrandbits(64),
    )


def default_config(spec: Path) -> Path | None:
    """The project's `schemathesis.toml`: next to the spec (a checkout) or in this package.

    None when neither place has one (schemathesis then looks for its own).
    """
    for folder in (spec.parent, Path(__file__).parent):
        candidate = folder / "schemathesis.toml"
        if candidate.is_file():
            return candidate
    return None


def _linked(operations: tuple[Operation, ...]) -> bool:
    """Whether a link of one selected operation leads to another selected operation."""
    selected = {op.operation_id for op in operations}
    return any(link.operation_id in selected for op in operations for link in op.links)


@contextmanager
def _given(target: Target) -> Iterator[Target]:
    yield target


def _url_target(url: str, options: ContractTestOptions) -> Target:
    """The server at ``url`` with the options' credentials.

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
        base_url=url,
        credential=credential,
        read_only=Credential.api_key(read_only, "PARLEY_READ_ONLY_API_KEY") if read_only else None,
        other_tenant=Credential.api_key(other, "PARLEY_OTHER_TENANT_API_KEY") if other else None,
    )
