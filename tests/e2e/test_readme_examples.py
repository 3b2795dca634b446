"""Every Python block of the README is a file of ``examples/``, and every example runs.

The examples run against a real ``parley serve`` process (a free port, a fresh SQLite file)
with the write key it printed on its first start, as the README tells a newcomer to do.
About 10 s in all.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from parley_cli.commands import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
BLOCK = re.compile(r"^```python\n(.*?)^```$", re.S | re.M)


BOUND = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")


def test_every_readme_python_block_is_an_example_file() -> None:
    blocks = BLOCK.findall((ROOT / "README.md").read_text())
    assert len(blocks) >= 3
    sources = {path.read_text(): path.name for path in EXAMPLES}
    for block in blocks:
        assert block in sources, f"README block is no file of examples/:\n{block[:300]}"
    shown = {sources[block] for block in blocks}
    assert shown == {path.name for path in EXAMPLES}, "an example the README does not show"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """``parley serve --port 0``; yields its URL and the write key it printed.

    The server binds a port the system picks and logs it: no other process can take it
    between a probe and the bind.
    """
    folder = tmp_path_factory.mktemp("serve")
    command = [sys.executable, "-m", "parley_cli", "serve", "--port", "0"]
    process = subprocess.Popen(
        [*command, "--database-url", f"sqlite:///{folder / 'parley.db'}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # uvicorn logs the bound port on stderr
        text=True,
        cwd=folder,
    )
    try:
        assert process.stdout is not None
        key = ""
        port = 0
        for line in process.stdout:  # ends when the process does: no deadline needed
            if line.startswith("Write key (read,write): "):
                key = line.split(": ", 1)[1].strip()
            elif bound := BOUND.search(line):
                port = int(bound.group(1))
                break
        assert key.startswith("pk_"), "parley serve printed no write key"
        assert port, "parley serve logged no bound port"
        # Keep reading its output, so a full pipe never blocks the server.
        threading.Thread(target=process.stdout.read, daemon=True).start()
        yield f"http://127.0.0.1:{port}", key
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.name)
def test_each_example_runs_against_parley_serve(
    served: tuple[str, str], example: Path, tmp_path: Path
) -> None:
    url, key = served
    env = {**os.environ, "PARLEY_BASE_URL": url, "PARLEY_API_KEY": key}
    run = subprocess.run(
        [sys.executable, str(example)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip(), "the example printed nothing"
    assert "Traceback" not in run.stderr


def _readme_parley_commands() -> list[list[str]]:
    """Every ``parley ...`` command of the README's sh blocks, as argument lists."""
    text = (ROOT / "README.md").read_text()
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```$", text, re.S | re.M):
        for line in block.replace("\\\n", " ").splitlines():
            for part in line.split("&&"):
                words = shlex.split(part, comments=True)
                while words and "=" in words[0]:  # VAR=value prefixes
                    words.pop(0)
                if words and words[0].endswith("parley"):
                    commands.append(words[1:])
    return commands


def test_every_readme_parley_command_names_real_options() -> None:
    """Each README command parses: its command and every option exist (``--help`` runs none)."""
    commands = _readme_parley_commands()
    assert len(commands) >= 8
    for args in commands:
        result = CliRunner().invoke(main, [*args, "--help"])
        assert result.exit_code == 0, (args, result.output)
