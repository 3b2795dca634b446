"""Pre-flight: each target `parley contract-test` cannot test exits 2 in one line, in under 2 s.

The CLI runs in-process (click's runner), so the time measured is the pre-flight's, not the
interpreter's start-up; the reference server runs as `parley serve` in a subprocess. Each bad
target is a row, run three times; a row passes only with exit code 2, exactly one line of
output that says what is wrong and no schemathesis output each time, and a median wall time
under 2 s.
"""

from __future__ import annotations

import socket
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from parley_contract.cli import contract_test
from parley_server.testing import EmbeddedServer, start_server

LIMIT_SECONDS = 2.0
RUNS = 3


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with start_server() as running:
        # Once untimed, so the rows time the pre-flight, not this process' first imports.
        CliRunner().invoke(contract_test, [running.base_url, "--api-key", "warm-up"])
        yield running


def _closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # bound, then closed: nothing listens


def _write(tmp: Path, name: str, text: str | bytes) -> str:
    path = tmp / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return str(path)


@dataclass(frozen=True)
class Bad:
    name: str
    args: Callable[[EmbeddedServer, Path], list[str]]
    says: str


BAD_TARGETS = [
    Bad("not a URL", lambda s, t: ["notaurl", "--api-key", "k"], "is not an http(s) URL"),
    Bad("ftp URL", lambda s, t: ["ftp://127.0.0.1/", "--api-key", "k"], "is not an http(s) URL"),
    Bad("bad port", lambda s, t: ["http://127.0.0.1:99999", "--api-key", "k"], "not a valid URL"),
    Bad("no credential", lambda s, t: [s.base_url], "testing a URL needs --api-key"),
    Bad(
        "filters leave nothing",
        lambda s, t: ["--include-operation-id", "noSuchOperation"],
        "the filters leave no operation",
    ),
    Bad("nothing listening", lambda s, t: [_closed_port(), "--api-key", "k"], "nothing answers"),
    Bad("spec missing", lambda s, t: ["--spec", "/nope.yaml"], "/nope.yaml does not exist"),
    Bad("spec is a folder", lambda s, t: ["--spec", str(t)], "is not a file"),
    Bad(
        "spec not YAML",
        lambda s, t: ["--spec", _write(t, "bad.yaml", "openapi: [3.1\npaths: {")],
        "is not valid YAML or JSON",
    ),
    Bad(
        "spec not OpenAPI",
        lambda s, t: ["--spec", _write(t, "x.yaml", "name: not a spec\n")],
        "is not an OpenAPI document",
    ),
    Bad(
        "spec not text",
        lambda s, t: ["--spec", _write(t, "x.yaml", b"\xff\xfe\x00\x01")],
        "is not UTF-8 text",
    ),
    Bad(
        "credential rejected",
        lambda s, t: [s.base_url, "--api-key", "pk_wrong"],
        "rejected the credential in $PARLEY_API_KEY: GET /v1/agent answered 401",
    ),
    Bad(
        "read-only key rejected",
        lambda s, t: [s.base_url, "--api-key", s.tenant.write_key, "--read-only-api-key", "x"],
        "rejected the read-only key in $PARLEY_READ_ONLY_API_KEY",
    ),
    Bad(
        "read-only key can write",
        lambda s, t: [
            s.base_url,
            "--api-key",
            s.tenant.write_key,
            "--read-only-api-key",
            s.tenant.write_key,
        ],
        "the read-only key in $PARLEY_READ_ONLY_API_KEY can write",
    ),
    Bad(
        "read-only key of another tenant",
        lambda s, t: [
            s.base_url,
            "--api-key",
            s.tenant.write_key,
            "--read-only-api-key",
            s.other_tenant.read_key,
        ],
        "the read-only key in $PARLEY_READ_ONLY_API_KEY belongs to another tenant",
    ),
    Bad(
        "other-tenant key rejected",
        lambda s, t: [s.base_url, "--api-key", s.tenant.write_key, "--other-tenant-api-key", "x"],
        "rejected the other-tenant key in $PARLEY_OTHER_TENANT_API_KEY",
    ),
    Bad(
        "other-tenant key of the same tenant",
        lambda s, t: [
            s.base_url,
            "--api-key",
            s.tenant.write_key,
            "--other-tenant-api-key",
            s.tenant.read_key,
        ],
        "the other-tenant key in $PARLEY_OTHER_TENANT_API_KEY sees this tenant's data",
    ),
]


@pytest.mark.parametrize("bad", BAD_TARGETS, ids=[bad.name for bad in BAD_TARGETS])
def test_bad_target_exits_2_in_one_line(
    bad: Bad, server: EmbeddedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in (
        "PARLEY_API_KEY",
        "PARLEY_BEARER_TOKEN",
        "PARLEY_READ_ONLY_API_KEY",
        "PARLEY_OTHER_TENANT_API_KEY",
    ):
        monkeypatch.delenv(variable, raising=False)
    times = []
    for _ in range(RUNS):
        args = bad.args(server, tmp_path)
        started = time.monotonic()
        result = CliRunner().invoke(contract_test, args)
        times.append(time.monotonic() - started)
        output = result.output
        assert result.exit_code == 2, output
        lines = output.splitlines()
        assert len(lines) == 1, output
        assert lines[0].startswith("parley contract-test: "), output
        assert bad.says in lines[0], output
        assert "schemathesis" not in output.lower()
    # The median of three: one run can stall behind other work on a shared 2-core machine.
    assert statistics.median(times) < LIMIT_SECONDS, [f"{t:.2f}s" for t in times]


def test_good_keys_pass_the_preflight(server: EmbeddedServer) -> None:
    """The real keys pass, so every refusal above is about the bad value it was given."""
    result = CliRunner().invoke(
        contract_test,
        [
            server.base_url,
            "--api-key",
            server.tenant.write_key,
            "--read-only-api-key",
            server.tenant.read_key,
            "--other-tenant-api-key",
            server.other_tenant.write_key,
            "--include-operation-id",
            "getAgent",
            "--phases",
            "examples",
            "--max-examples",
            "1",
            "--no-extra-checks",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Contract-testing" in result.output
