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

from parley_contract.client import Credential
from parley_contract.options import ALL_PHASES, ContractTestOptions
from parley_contract.results import Tally
from parley_contract.target import Target

__all__ = ["ReplayOptions", "replay_command", "unfilter_curls"]

_FILTERED = "[Filtered]"


@dataclass(frozen=True)
class ReplayOptions:
    """What a replay of one operation repeats of a run.

    Attributes:
        options: The run's options (spec, configuration, path values, max examples, extra
            checks).
        seed: The run's seed.
        phases: The phases that ran.
        target: The server tested and its credentials, or None for the embedded reference
            server (a replay boots a fresh one).
    """

    options: ContractTestOptions
    seed: int
    phases: Sequence[str]
    target: Target | None = None


def _credential_args(flag: str, credential: Credential | None) -> list[str]:
    if credential is None:
        return []
    option = "--bearer-token" if credential.header == "Authorization" else flag
    return [option, f'"${credential.env}"']


def replay_command(replay: ReplayOptions, operation_id: str) -> str:
    """The `parley contract-test` command line that replays ``operation_id`` of a run.

    Returns:
        A shell command; credentials are ``"$VARIABLE"`` references, other values are quoted;
        ``--phases`` only when the run did not run them all.
    """
    options, target = replay.options, replay.target
    words = ["parley", "contract-test"]
    if target is not None:
        words.append(shlex.quote(target.base_url))
        words += _credential_args("--api-key", target.credential)
        words += _credential_args("--read-only-api-key", target.read_only)
        words += _credential_args("--other-tenant-api-key", target.other_tenant)
    if options.spec_path is not None:
        words += ["--spec", shlex.quote(str(options.spec_path))]
    if options.config_file is not None:
        words += ["--config-file", shlex.quote(str(options.config_file))]
    for name, value in options.path_values.items():
        words += ["--path-value", shlex.quote(f"{name}={value}")]
    if tuple(replay.phases) != ALL_PHASES:
        words += ["--phases", ",".join(replay.phases)]
    if options.max_examples is not None:
        words += ["--max-examples", str(options.max_examples)]
    if not options.extra_checks:
        words.append("--no-extra-checks")
    words += ["--seed", str(replay.seed), "--include-operation-id", shlex.quote(operation_id)]
    return " ".join(words)


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
