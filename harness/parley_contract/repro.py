"""Reproduction: a `parley contract-test` command per failing operation, and honest curl lines.

A failure is replayed by running the same test again, limited to its operation and with the
seed of the run (schemathesis seeds every operation's generation with it, so one operation on
its own gets the same cases). Credentials appear as environment-variable references
(`"$PARLEY_API_KEY"`), never as values nor as schemathesis' `[Filtered]`. A run against the
embedded reference server prints a command without a URL: it boots a fresh embedded server,
as the failing run did, since that server and its port are gone once the run ends.
"""

from __future__ import annotations

import dataclasses
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from parley_contract.checks.client import Credential
from parley_contract.results import Tally
from parley_contract.spec import Operation

__all__ = ["ReplayOptions", "replay_command", "replay_lines", "unfilter_curls"]

_FILTERED = "[Filtered]"


@dataclass(frozen=True)
class ReplayOptions:
    """The options of a run that a replay must repeat.

    Attributes:
        url: The tested URL, or None for the embedded reference server.
        credential: The main credential (None for the embedded server, which makes its own).
        read_only: The read-only credential, if the run had one.
        other_tenant: The other-tenant credential, if the run had one.
        seed: The run's seed.
        phases: The phases the run asked for.
        max_examples: `--max-examples`, if given.
        spec_path: `--spec`, if given.
        config_file: `--config-file`, if given.
        agent_key: `--agent-key`, if given.
        extra_checks: Whether the extra checks ran.
    """

    url: str | None
    credential: Credential | None
    read_only: Credential | None
    other_tenant: Credential | None
    seed: int
    phases: Sequence[str]
    max_examples: int | None = None
    spec_path: Path | None = None
    config_file: Path | None = None
    agent_key: str | None = None
    extra_checks: bool = True


def _credential_args(flag: str, credential: Credential | None) -> list[str]:
    if credential is None:
        return []
    option = "--bearer-token" if credential.header == "Authorization" else flag
    return [option, f'"${credential.env}"']


def replay_command(options: ReplayOptions, operation_id: str, all_phases: Sequence[str]) -> str:
    """The `parley contract-test` command line that replays `operation_id` of this run.

    Args:
        options: The run's options.
        operation_id: The failing operation.
        all_phases: The default phases; `--phases` is printed only when the run differed.

    Returns:
        A shell command; credentials are `"$VARIABLE"` references, other values are quoted.
    """
    words = ["parley", "contract-test"]
    if options.url is not None:
        words.append(shlex.quote(options.url))
        words += _credential_args("--api-key", options.credential)
        words += _credential_args("--read-only-api-key", options.read_only)
        words += _credential_args("--other-tenant-api-key", options.other_tenant)
    if options.spec_path is not None:
        words += ["--spec", shlex.quote(str(options.spec_path))]
    if options.config_file is not None:
        words += ["--config-file", shlex.quote(str(options.config_file))]
    if options.agent_key is not None:
        words += ["--agent-key", shlex.quote(options.agent_key)]
    if tuple(options.phases) != tuple(all_phases):
        words += ["--phases", ",".join(options.phases)]
    if options.max_examples is not None:
        words += ["--max-examples", str(options.max_examples)]
    if not options.extra_checks:
        words.append("--no-extra-checks")
    words += ["--seed", str(options.seed), "--include-operation-id", shlex.quote(operation_id)]
    return " ".join(words)


def replay_lines(
    tally: Tally,
    operations: Sequence[Operation],
    options: ReplayOptions,
    all_phases: Sequence[str],
) -> list[str]:
    """The reproduction section printed after the summary: empty when nothing failed.

    Args:
        tally: What the run found.
        operations: The selected operations (labels are mapped to their operationId).
        options: The run's options.
        all_phases: The default phases.

    Returns:
        Lines: a heading naming the seed, then one command per failing operation.
    """
    ids = {op.label: op.operation_id for op in operations}
    failing = [ids[label] for label, op in tally.operations.items() if op.failures and label in ids]
    if not failing:
        return []
    lines = [f"Reproduce (seed {options.seed}); each command replays one failing operation:"]
    if options.url is None:
        lines.append("  (each boots a fresh embedded reference server, as this run did)")
    lines += [f"  {replay_command(options, op_id, all_phases)}" for op_id in failing]
    return lines


def unfilter_curls(tally: Tally, credentials: Sequence[Credential]) -> None:
    """Replace schemathesis' `[Filtered]` credential values in the tally's curl lines.

    The header carrying a credential gets its environment-variable reference instead, in
    double quotes (`-H "X-API-Key: $PARLEY_API_KEY"`), so the line works once the variable is
    exported. schemathesis' own failure report above the summary keeps its placeholder.
    """
    by_header = {c.header.lower(): c for c in reversed(credentials)}

    def fix(curl: str) -> str:
        if _FILTERED not in curl:
            return curl

        def header(match: re.Match[str]) -> str:
            credential = by_header.get(match.group(2).lower())
            if credential is None:
                return match.group(0)
            # Double quotes, so the shell expands the variable (as the parley checks' lines do).
            return f'-H "{match.group(2)}: {credential.shown}"'

        return re.sub(r"-H (['\"])([A-Za-z0-9-]+): \[Filtered\]\1", header, curl)

    for op in tally.operations.values():
        first = op.first_failure
        if first is not None and _FILTERED in first.curl:
            op.first_failure = dataclasses.replace(first, curl=fix(first.curl))
