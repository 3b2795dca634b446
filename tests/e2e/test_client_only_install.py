"""`pip install parley` with no extras: the client works, the command line says what to add;
with the `diff` extra, `parley diff` runs without schemathesis or the server.

Builds the wheel from this checkout into a fresh virtualenv (about a minute: pip, hatchling
and the client's five dependencies), then runs ``examples/quickstart.py`` from it against a
reference server of the full install.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from parley_server.testing import start_server

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.tools]  # pip builds and installs a wheel


@pytest.fixture(scope="module")
def client_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("client-only") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", str(ROOT)],
        check=True,
        timeout=600,
        capture_output=True,
    )
    return venv


def test_the_command_line_names_the_extra_in_one_line(client_venv: Path) -> None:
    for args in (["--help"], ["serve"], ["contract-test", "http://127.0.0.1:9"]):
        done = subprocess.run(
            [str(client_venv / "bin" / "parley"), *args], capture_output=True, text=True
        )
        assert done.returncode == 2, done.stderr
        assert done.stdout == ""
        assert done.stderr.count("\n") == 1, done.stderr
        assert "pip install 'parley[contract]'" in done.stderr


def test_the_quickstart_runs_on_the_client_alone(client_venv: Path) -> None:
    python = str(client_venv / "bin" / "python")
    absent = subprocess.run(
        [python, "-c", "import starlette"], capture_output=True, text=True, cwd="/"
    )
    assert absent.returncode == 1  # the server's dependencies really are not there
    with start_server() as server:
        env = {
            **os.environ,
            "PARLEY_BASE_URL": server.base_url,
            "PARLEY_API_KEY": server.tenant.write_key,
        }
        done = subprocess.run(
            [python, str(ROOT / "examples" / "quickstart.py")],
            capture_output=True,
            text=True,
            env=env,
            cwd="/",
            timeout=120,
        )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), "the quickstart printed nothing"


@pytest.fixture(scope="module")
def diff_venv(client_venv: Path) -> Path:
    """The client-only venv with the ``diff`` extra added (after the client-only tests above)."""
    subprocess.run(
        [str(client_venv / "bin" / "pip"), "install", "--quiet", f"parley[diff] @ {ROOT.as_uri()}"],
        check=True,
        timeout=600,
        capture_output=True,
    )
    return client_venv


def test_the_diff_extra_runs_parley_diff_without_the_harness_or_the_server(
    diff_venv: Path,
) -> None:
    python = str(diff_venv / "bin" / "python")
    for module in ("schemathesis", "starlette"):
        absent = subprocess.run(
            [python, "-c", f"import {module}"], capture_output=True, text=True, cwd="/"
        )
        assert absent.returncode == 1, f"{module} should not be importable with parley[diff]"
    done = subprocess.run(
        [
            str(diff_venv / "bin" / "parley"),
            "diff",
            "--no-version-policy",
            "--format",
            "json",
            str(ROOT / "releases" / "1.0.0" / "openapi.yaml"),
            str(ROOT / "openapi.yaml"),
        ],
        capture_output=True,
        text=True,
        cwd="/",
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr  # 1: the changes since 1.0.0 break servers
    report = json.loads(done.stdout)
    assert report["old"]["version"] == "1.0.0"
    assert report["changes"], "the contract changed since 1.0.0: the diff must list it"
