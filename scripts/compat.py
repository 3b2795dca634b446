"""The compatibility run behind scripts/check-compat: the newest release against today's server.

1. Generates the functional client of the newest release (``releases/<X.Y.Z>/openapi.yaml``)
   into a temporary folder, with the pinned openapi-python-client of the dev extra, the
   repository's ``generator-config.yml`` and Parley's model-template edits (the pipeline of
   ``scripts/regenerate``, pointed at the snapshot).
2. Runs ``releases/smoke.py`` with that client against today's reference server: every
   operation of the release once, streams included. A failed call, or an operation of the
   release the smoke does not call, fails the run and is named.
3. Runs ``parley contract-test`` against the same server, ``--max-examples`` small, with the
   *tolerant copy* of the release's document as ``--spec`` (written to the temporary folder):
   the release with exactly the tolerances that ``parley diff`` calls compatible for what a
   server sends (new response enum values, new stream events, new error statuses, what
   the release deprecated with an ``x-sunset`` date that has passed; see
   ``parley_diff.tolerant``), so that it checks what the diff promises the release's
   clients, no more. Every failing operation is named.

An operation of the release that was deprecated with an ``x-sunset`` date that has passed, or
that carries such a parameter or property (``parley_diff.tolerant.retired``), may fail its
smoke call or go uncalled: the failure is listed as tolerated, with the date, not counted.

A change that ``parley diff`` calls compatible but that fails either part is a bug in the diff
or in the server. Without ``--url`` the reference server is started on a temporary SQLite
file (``parley_server.testing.start_server``) and stopped at the end. About 40 s.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml
from parley_diff import release_file
from parley_diff.tolerant import TOLERANCES, retired, tolerant_copy
from parley_spec import Contract, read_document

ROOT = Path(__file__).resolve().parents[1]
MAX_EXAMPLES = 3
"""Cases per operation and phase in the contract-test part: enough to read every answer."""


@dataclass(frozen=True)
class Server:
    """The server under test and its credentials (a first tenant's write and read keys, a
    second tenant's write key)."""

    base_url: str
    write_key: str
    read_key: str
    other_tenant_key: str


@dataclass
class CompatResult:
    """What the run found.

    Attributes:
        release: The release whose client and contract were run, e.g. ``1.0.0``.
        smoke_failures: operationId -> why its smoke call failed (or that it was not called).
        smoke_passed: The operations whose smoke call passed.
        smoke_tolerated: operationId -> why its failure is tolerated (an x-sunset that has
            passed) and the failure.
        contract_failures: The operations the release's contract-test failed on.
        tolerances: The tolerances of the copy the contract-test ran with (name: what it
            accepts, and the diff checks it mirrors); empty when it did not run.
        contract_exit: ``parley contract-test``'s exit status (0, 1 failures, 2 not run).
        contract_output: Its output, for the log.
    """

    release: str
    smoke_failures: dict[str, str] = field(default_factory=dict)
    smoke_passed: list[str] = field(default_factory=list)
    smoke_tolerated: dict[str, str] = field(default_factory=dict)
    contract_failures: list[str] = field(default_factory=list)
    tolerances: list[str] = field(default_factory=list)
    contract_exit: int = 0
    contract_output: str = ""

    @property
    def ok(self) -> bool:
        """True when both parts passed."""
        return not self.smoke_failures and self.contract_exit == 0


def operation_ids(spec: Path) -> list[str]:
    """The operationIds of a document, in document order."""
    return [op.operation_id for op in Contract(read_document(spec)).operations]


def generate_client(spec: Path, folder: Path) -> Path:
    """Generates the functional client of ``spec`` as ``folder/parley_client``.

    Returns:
        ``folder``, to put first on ``PYTHONPATH``.

    Raises:
        RuntimeError: The generator failed; its log is in the message.
    """
    templates = folder / "templates"
    bin_dir = Path(sys.executable).parent
    commands = [
        [sys.executable, "generator-templates/build_templates.py", str(templates)],
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(spec),
            "--config",
            "generator-config.yml",
            "--custom-template-path",
            str(templates),
            "--meta",
            "none",
            "--output-path",
            str(folder / "parley_client"),
        ],
    ]
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    for command in commands:
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command[:2])} failed:\n{done.stdout}{done.stderr}")
    return folder


def run_smoke(spec: Path, client: Path, server: Server) -> tuple[dict[str, str], list[str]]:
    """Runs ``releases/smoke.py`` with the client in ``client`` against ``server``.

    Returns:
        operationId -> failure (a failed call, or "not called by releases/smoke.py" for an
        operation of ``spec`` it never called), and the operations that passed.
    """
    env = {**os.environ, "PYTHONPATH": str(client)}
    command = [sys.executable, str(ROOT / "releases" / "smoke.py"), str(spec)]
    command += [server.base_url, server.write_key, str(client)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    failures: dict[str, str] = {}
    passed: list[str] = []
    for line in done.stdout.splitlines():
        result = json.loads(line)
        if result["ok"]:
            passed.append(result["operation"])
        else:
            failures.setdefault(result["operation"], result["detail"])
    if done.returncode != 0:
        failures["(smoke)"] = f"exited {done.returncode}: {done.stderr.strip()[-2000:]}"
    called = set(passed) | set(failures)
    for operation in operation_ids(spec):
        if operation not in called:
            failures[operation] = "not called by releases/smoke.py: add a call for it"
    return failures, passed


def tolerate_sunsets(
    failures: dict[str, str], sunsets: dict[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """Splits smoke failures into those that count and those an x-sunset tolerates.

    Args:
        failures: operationId -> failure (:func:`run_smoke`).
        sunsets: operationId -> why it may fail (``parley_diff.tolerant.retired``).

    Returns:
        The failures that count, and operationId -> "why: failure" for the tolerated ones.
    """
    kept = {op: why for op, why in failures.items() if op not in sunsets}
    tolerated = {op: f"{sunsets[op]}: {why}" for op, why in failures.items() if op in sunsets}
    return kept, tolerated


def write_tolerant_copy(
    spec: Path, folder: Path, today: str | None = None
) -> tuple[Path, list[str]]:
    """Writes the tolerant copy of the release ``spec`` (``parley_diff.tolerant``).

    ``today`` is the date x-sunset dates are compared with (UTC today when None).

    Returns:
        The copy's path (``folder/openapi.tolerant.yaml``) and one line per tolerance it
        applies: its name, what it accepts and the diff checks it mirrors.
    """
    target = folder / "openapi.tolerant.yaml"
    text = yaml.safe_dump(tolerant_copy(read_document(spec), today), sort_keys=False)
    target.write_text(text, encoding="utf-8")
    lines = [f"{t.name}: {t.grants} [{', '.join(t.checks)}]" for t in TOLERANCES]
    return target, lines


def run_contract_test(
    spec: Path, server: Server, *, max_examples: int, operations: tuple[str, ...] = ()
) -> tuple[int, list[str], str]:
    """``parley contract-test`` of the release's document against ``server``.

    Returns:
        The exit status, the operations with a failed check (from its summary table), and
        the output.
    """
    command = [sys.executable, "-m", "parley_contract", server.base_url]
    command += ["--api-key", server.write_key, "--read-only-api-key", server.read_key]
    command += ["--other-tenant-api-key", server.other_tenant_key, "--spec", str(spec)]
    command += ["--config-file", str(ROOT / "schemathesis.toml")]
    command += ["--max-examples", str(max_examples), "--workers", "1", "--seed", "1"]
    for operation in operations:
        command += ["--include-operation-id", operation]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    output = done.stdout + done.stderr
    return done.returncode, failing_operations(output, operation_ids(spec)), output


def failing_operations(output: str, operations: list[str]) -> list[str]:
    """The operations with failures in contract-test's summary table (``name cases failures``)."""
    failing = []
    for line in output.splitlines():
        match = re.match(r"^(\w+)\s+\d+\s+(\d+)\s", line)
        if match and match[1] in operations and int(match[2]) > 0 and match[1] not in failing:
            failing.append(match[1])
    return failing


def run_compat(
    server: Server,
    *,
    root: Path = ROOT,
    release: str = "latest",
    max_examples: int = MAX_EXAMPLES,
    parts: tuple[str, ...] = ("smoke", "contract"),
    operations: tuple[str, ...] = (),
    today: str | None = None,
) -> CompatResult:
    """Runs the release's client smoke and contract-test against ``server``.

    Args:
        server: Today's server and its credentials.
        root: The repository root (``releases/``).
        release: The release to run, ``latest`` for the newest one.
        max_examples: Cases per operation and phase in the contract-test part.
        parts: ``smoke``, ``contract`` or both.
        operations: Contract-test only these operationIds (default: all of the release).
        today: ``YYYY-MM-DD`` x-sunset dates are compared with (UTC today when None).

    Returns:
        The findings of both parts.

    Raises:
        LookupError: There is no such release.
        RuntimeError: The release's client cannot be generated.
    """
    spec = release_file(root, release)
    result = CompatResult(release=spec.parent.name)
    with tempfile.TemporaryDirectory(prefix="parley-compat-") as tmp:
        if "smoke" in parts:
            client = generate_client(spec, Path(tmp) / "client")
            failures, result.smoke_passed = run_smoke(spec, client, server)
            sunsets = retired(read_document(spec), today or datetime.now(UTC).date().isoformat())
            result.smoke_failures, result.smoke_tolerated = tolerate_sunsets(failures, sunsets)
        if "contract" in parts:
            tolerant, result.tolerances = write_tolerant_copy(spec, Path(tmp), today)
            code, failing, output = run_contract_test(
                tolerant, server, max_examples=max_examples, operations=operations
            )
            result.contract_exit, result.contract_failures = code, failing
            result.contract_output = output
    return result


def report(result: CompatResult, parts: tuple[str, ...]) -> list[str]:
    """The lines that tell a human what passed and, per operation, what failed."""
    lines = []
    if "smoke" in parts:
        passed = len(result.smoke_passed)
        lines.append(
            f"check-compat: the {result.release} client against today's server: "
            f"{passed} calls passed, {len(result.smoke_failures)} operations failed"
        )
        lines += [f"  FAILED {op}: {why}" for op, why in result.smoke_failures.items()]
        lines += [f"  tolerated {op}: {why}" for op, why in result.smoke_tolerated.items()]
    if "contract" in parts:
        status = "passed" if result.contract_exit == 0 else f"FAILED ({result.contract_exit})"
        lines.append(
            f"check-compat: contract-test of release {result.release} against today's server "
            f"(its tolerant copy: what `parley diff` calls compatible is accepted): {status}"
        )
        lines += [f"  tolerates {line}" for line in result.tolerances]
        lines += [f"  FAILED {op}" for op in result.contract_failures]
        if result.contract_exit and not result.contract_failures:
            lines.append("  (no operation named in the report: see the output above)")
    if not result.ok:
        lines.append(
            "check-compat: a change `parley diff` calls compatible must pass both runs; a "
            "failure here is a bug in the diff or in the server"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    """The command line of scripts/check-compat; returns the exit status."""
    parser = argparse.ArgumentParser(prog="scripts/check-compat", description=__doc__)
    parser.add_argument("--release", default="latest", help="X.Y.Z (default: the newest)")
    parser.add_argument("--max-examples", type=int, default=MAX_EXAMPLES)
    parser.add_argument("--only", choices=("smoke", "contract"), help="run one part only")
    parser.add_argument(
        "--today", default=None, help="YYYY-MM-DD x-sunset dates are compared with (UTC today)"
    )
    args = parser.parse_args(argv)
    parts = (args.only,) if args.only else ("smoke", "contract")
    from parley_server.testing import start_server

    with start_server() as running:
        server = Server(
            running.base_url,
            running.tenant.write_key,
            running.tenant.read_key,
            running.other_tenant.write_key,
        )
        result = run_compat(
            server,
            release=args.release,
            max_examples=args.max_examples,
            parts=parts,
            today=args.today,
        )
    if result.contract_exit:
        print(result.contract_output)
    print("\n".join(report(result, parts)))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
