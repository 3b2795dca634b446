"""Failures print a command that replays them; a run that only met 401/403 fails.

The replay test breaks one operation of the reference server (listAgents' body loses
`total`), runs `parley contract-test URL`, takes the printed command for listAgents and runs
it in a shell with only the environment variable it names: it must fail the same way.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from parley_contract.authguard import only_rejected
from parley_contract.cli import contract_test
from parley_contract.client import Credential
from parley_contract.options import ContractTestOptions
from parley_contract.repro import ReplayOptions, replay_command
from parley_contract.results import Tally
from parley_contract.target import Target
from parley_server.testing import InProcessApp, build_app

from tests.harness.serving import serve

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
PHASES = ("examples", "coverage", "fuzzing", "stateful")


def _without_total(app: Any) -> Any:
    """The app, except that GET /v1/agent answers its page without `total`."""

    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or (scope["method"], scope["path"]) != ("GET", "/v1/agent"):
            await app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        body = bytearray()

        async def capture(message: Any) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body"):
                return
            data = bytes(body)
            if start["status"] == 200:
                page = json.loads(data)
                page.pop("total", None)
                data = json.dumps(page).encode()
            headers = [(k, v) for k, v in start["headers"] if k != b"content-length"]
            headers.append((b"content-length", str(len(data)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": data})

        await app(scope, receive, capture)

    return wrapped


@pytest.fixture(scope="module")
def broken() -> Iterator[tuple[str, InProcessApp]]:
    built = build_app()
    with serve(_without_total(built.app)) as url:
        yield url, built


def _reproduce_lines(output: str) -> list[str]:
    section = output.split("Reproduce (seed ", 1)[1]
    return [line.strip() for line in section.splitlines()[1:] if line.startswith("  parley ")]


def test_failure_prints_a_command_that_replays_it(broken: tuple[str, InProcessApp]) -> None:
    url, built = broken
    key = built.tenant.write_key
    args = [url, "--include-operation-id", "listAgents", "--include-operation-id", "getAgent"]
    args += ["--phases", "examples", "--no-extra-checks"]
    result = CliRunner().invoke(contract_test, args, env={"PARLEY_API_KEY": key})
    output = result.output
    assert result.exit_code == 1, output
    seed = re.search(r"Reproduce \(seed (\d+)\)", output)
    assert seed is not None, output
    commands = _reproduce_lines(output)
    assert commands == [
        f'parley contract-test {url} --api-key "$PARLEY_API_KEY" --phases examples '
        f"--no-extra-checks --seed {seed.group(1)} --include-operation-id listAgents"
    ], output
    assert key not in output
    summary = output.split("parley contract-test summary", 1)[1]
    assert "[Filtered]" not in summary
    assert '-H "X-API-Key: $PARLEY_API_KEY"' in summary  # the curl line names the variable

    env = {"PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "PARLEY_API_KEY": key}
    for name in ("HOME", "TMPDIR", "LANG"):
        if name in os.environ:
            env[name] = os.environ[name]
    replay = subprocess.run(
        ["bash", "-c", commands[0]], env=env, capture_output=True, text=True, timeout=120
    )
    assert replay.returncode == 1, replay.stdout[-3000:] + replay.stderr[-3000:]
    assert "response_schema_conformance" in replay.stdout
    assert f"--seed {seed.group(1)} --include-operation-id listAgents" in replay.stdout
    assert "1 operation, " in replay.stdout


def test_embedded_replay_boots_the_embedded_server_again() -> None:
    """Without a URL the command carries no credential: the embedded server makes its own."""
    options = ReplayOptions(ContractTestOptions(), seed=7, phases=PHASES, target=None)
    command = replay_command(options, "sendMessage")
    assert command == "parley contract-test --seed 7 --include-operation-id sendMessage"


def test_replay_names_every_credential_by_its_variable() -> None:
    target = Target(
        base_url="http://127.0.0.1:8080",
        credential=Credential.bearer("jwt", "PARLEY_BEARER_TOKEN"),
        read_only=Credential.api_key("pk_read", "PARLEY_READ_ONLY_API_KEY"),
        other_tenant=Credential.api_key("pk_other", "PARLEY_OTHER_TENANT_API_KEY"),
    )
    given = ContractTestOptions(
        url="http://127.0.0.1:8080", max_examples=5, path_values={"agentKey": "agent 1"}
    )
    options = ReplayOptions(
        given, seed=176017372547308032906058897223864969484, phases=("coverage",), target=target
    )
    assert replay_command(options, "qaChat") == (
        'parley contract-test http://127.0.0.1:8080 --bearer-token "$PARLEY_BEARER_TOKEN" '
        '--read-only-api-key "$PARLEY_READ_ONLY_API_KEY" '
        '--other-tenant-api-key "$PARLEY_OTHER_TENANT_API_KEY" '
        "--path-value 'agentKey=agent 1' --phases coverage --max-examples 5 "
        "--seed 176017372547308032906058897223864969484 --include-operation-id qaChat"
    )


def _only_401_app() -> Any:
    """Accepts the key on GET /v1/agent only (so the pre-flight passes); 401 to anything else."""
    page = {"items": [], "page": 1, "per_page": 20, "total": 0, "pages": 0}
    problem = {"type": "about:blank", "title": "Unauthorized", "status": 401}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        if (scope["method"], scope["path"]) == ("GET", "/v1/agent"):
            status, body, media = 200, page, "application/json"
        else:
            status, body, media = 401, problem, "application/problem+json"
        data = json.dumps(body).encode()
        headers = [(b"content-type", media.encode()), (b"content-length", str(len(data)).encode())]
        if status == 401:
            headers.append((b"www-authenticate", b"ApiKey"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": data})

    return app


@pytest.mark.parametrize("extra", [[], ["--no-extra-checks"]], ids=["extra-checks", "without"])
def test_run_that_only_met_401_and_403_fails(extra: list[str]) -> None:
    with serve(_only_401_app()) as url:
        args = [url, "--api-key", "k", "--include-operation-id", "getAgent"]
        args += ["--phases", "examples,coverage", *extra]
        result = CliRunner().invoke(contract_test, args)
    assert result.exit_code == 1, result.output
    assert "every operation answered only 401/403 (1 operation, " in result.output


def test_only_rejected_needs_every_operation_rejected() -> None:
    tally = Tally()
    assert only_rejected(tally) is None  # nothing answered: not this error
    tally.operation("GET /a").add_response(401)
    tally.operation("POST /b").add_response(403)
    tally.operation("GET /c")  # listed, never answered: does not count either way
    assert only_rejected(tally) == (
        "every operation answered only 401/403 (2 operations, 2 responses): the credential "
        "does not work, so nothing behind it was tested"
    )
    tally.operation("POST /b").add_response(201)
    assert only_rejected(tally) is None


def test_embedded_failure_replays_on_a_fresh_embedded_server(tmp_path: Path) -> None:
    """A configuration that expects 418 from listAgents fails on the embedded server; its replay
    command (no URL, no credential) boots another embedded server and fails the same way."""
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        (ROOT / "schemathesis.toml").read_text()
        + '\n[[operations]]\ninclude-operation-id = ["listAgents"]\n'
        + 'checks.positive_data_acceptance.expected-statuses = ["418"]\n'
    )
    args = ["--include-operation-id", "listAgents", "--phases", "examples", "--no-extra-checks"]
    result = CliRunner().invoke(contract_test, [*args, "--config-file", str(config)])
    assert result.exit_code == 1, result.output
    seed = re.search(r"Reproduce \(seed (\d+)\)", result.output)
    assert seed is not None, result.output
    assert _reproduce_lines(result.output) == [
        f"parley contract-test --config-file {config} --phases examples --no-extra-checks "
        f"--seed {seed.group(1)} --include-operation-id listAgents"
    ]
    env = {"PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    for name in ("HOME", "TMPDIR", "LANG"):
        if name in os.environ:
            env[name] = os.environ[name]
    replay = subprocess.run(
        ["bash", "-c", _reproduce_lines(result.output)[0]],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert replay.returncode == 1, replay.stdout[-3000:] + replay.stderr[-3000:]
    assert "positive_data_acceptance" in replay.stdout
    assert f"--seed {seed.group(1)} --include-operation-id listAgents" in replay.stdout
