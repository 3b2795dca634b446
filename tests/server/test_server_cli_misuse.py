"""Every misuse of ``parley serve`` / ``parley keys create`` is one line and exit status 2.

In-process with click's runner (about 1 s in all), plus one real process for stderr.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from parley_cli.commands import main

COMMANDS = {
    "serve": ["serve", "--port", "0"],
    "keys create": ["keys", "create"],
    "keys list": ["keys", "list"],
    "keys revoke": ["keys", "revoke", "00000000-0000-0000-0000-000000000000"],
    "tenants create": ["tenants", "create"],
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _misuse(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """``name -> (--database-url, what the one line must say)``."""
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("plain text, not a SQLite database " * 200)
    refused = f"postgresql://postgres:hunter2@127.0.0.1:{_free_port()}/parley"
    return {
        "not-a-url": ("notaurl", "--database-url 'notaurl' is not a database URL; use sqlite:///"),
        "mysql": ("mysql://u@localhost/db", "uses 'mysql', which Parley does not support"),
        "unknown-scheme": ("http://example.com/x", "uses 'http', which Parley does not support"),
        "other-pg-driver": ("postgresql+psycopg2://u@h/d", "uses 'postgresql+psycopg2'"),
        "missing-folder": (
            f"sqlite:///{tmp_path / 'no' / 'such' / 'x.db'}",
            f"{tmp_path / 'no' / 'such'} does not exist",
        ),
        "folder-is-a-file": (f"sqlite:///{a_file / 'x.db'}", f"{a_file} is not a folder"),
        "path-is-a-folder": (f"sqlite:///{tmp_path}", "not a readable and writable file"),
        "not-a-sqlite-file": (f"sqlite:///{not_sqlite}", "file is not a database"),
        "unwritable-folder": ("sqlite:////proc/self/x.db", "/proc/self is not writable"),
        "postgres-refused": (
            refused,
            f"cannot use the database at {refused.replace('hunter2', '***')} "
            "(ConnectionRefusedError",
        ),
    }


CASES = [
    "not-a-url",
    "mysql",
    "unknown-scheme",
    "other-pg-driver",
    "missing-folder",
    "folder-is-a-file",
    "path-is-a-folder",
    "not-a-sqlite-file",
    "unwritable-folder",
    "postgres-refused",
]


def _one_line_usage_error(result: Result, expected: str) -> str:
    output = result.output.strip()
    assert result.exit_code == 2, output
    assert "\n" not in output, output
    assert output.startswith("Error: "), output
    assert expected in output, output
    assert "Traceback" not in output and "hunter2" not in output
    return output


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", CASES)
def test_a_bad_database_url_is_one_line_and_exit_2(tmp_path: Path, command: str, case: str) -> None:
    url, expected = _misuse(tmp_path)[case]
    result = CliRunner().invoke(main, [*COMMANDS[command], "--database-url", url])
    _one_line_usage_error(result, expected)


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield int(listener.getsockname()[1])


def test_a_port_in_use_is_refused_before_a_tenant_is_created(
    tmp_path: Path, busy_port: int
) -> None:
    db = tmp_path / "parley.db"
    args = ["serve", "--port", str(busy_port), "--database-url", f"sqlite:///{db}"]
    result = CliRunner().invoke(main, args)
    output = _one_line_usage_error(result, f"127.0.0.1:{busy_port} is already in use")
    assert "pick another --port" in output
    assert "key" not in output.lower()
    assert not db.exists()  # no tenant, no keys


@pytest.mark.parametrize("secret", ["s3cret", "x" * 31])
def test_a_short_jwt_secret_is_refused_before_a_tenant_is_created(
    tmp_path: Path, secret: str
) -> None:
    db = tmp_path / "parley.db"
    result = CliRunner().invoke(
        main,
        ["serve", "--port", "0", "--database-url", f"sqlite:///{db}"],
        env={"PARLEY_JWT_SECRET": secret},
    )
    _one_line_usage_error(result, f"is {len(secret)} bytes; use at least 32")
    assert not db.exists()


def test_a_real_process_prints_one_line_on_stderr(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "parley_cli", "keys", "create", "--database-url", "notaurl"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("Error: "), run.stderr


def test_serve_help_says_what_happens() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"], terminal_width=200)
    text = " ".join(result.output.split())
    assert result.exit_code == 0
    assert "prints two API keys" in text and "once" in text
    assert "PARLEY_DATABASE_URL" in text and "PARLEY_JWT_SECRET" in text
    assert "exits with status 2" in text
