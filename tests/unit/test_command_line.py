"""The `parley` command package: lazy command groups, one line when an extra is missing.

The layering rule (import-linter, run by scripts/test) is proven here by a copy of the tree
with one upward import added.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {
    "cli": "parley_cli",
    "harness": "parley_contract",
    "diff": "parley_diff",
    "server": "parley_server",
    "spec": "parley_spec",
    "overlays": "parley",
    "generated": "parley_client",
}


def _python(code: str, *, blocked: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """Runs ``code`` in a fresh interpreter where the ``blocked`` top-level modules are absent."""
    prelude = textwrap.dedent(
        f"""
        import sys
        class _Absent:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in {blocked!r}:
                    raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
                return None
        sys.meta_path.insert(0, _Absent())
        """
    )
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_lists_every_command_without_importing_the_server_or_the_harness() -> None:
    done = _python(
        """
        from parley_cli import run
        try:
            run(["--help"])
        except SystemExit as exit:
            loaded = sorted(m for m in sys.modules if m.split(".")[0] in
                            ("parley_server", "parley_contract", "schemathesis", "sqlalchemy"))
            print("LOADED", loaded, "EXIT", exit.code)
        """
    )
    assert "LOADED [] EXIT 0" in done.stdout, done.stdout + done.stderr
    for command in ("contract-test", "diff", "keys", "serve", "tenants"):
        assert f"  {command} " in done.stdout


def test_without_click_the_command_says_which_extra_in_one_line() -> None:
    done = _python("from parley_cli import run\nrun(['--help'])", blocked=("click",))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert "pip install 'parley[contract]'" in done.stderr


def test_a_command_whose_extra_is_missing_says_which_in_one_line() -> None:
    done = _python(
        "from parley_cli import run\nrun(['contract-test', '--help'])", blocked=("schemathesis",)
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "parley contract-test: needs schemathesis (not installed): pip install 'parley[contract]'"
    )
    served = _python("from parley_cli import run\nrun(['serve', '--help'])", blocked=("uvicorn",))
    assert served.returncode == 0, served.stderr  # serve imports uvicorn only when it runs


def test_an_unknown_command_is_a_usage_error() -> None:
    done = _python("from parley_cli import run\nrun(['serv'])")
    assert done.returncode == 2
    assert "No such command 'serv'" in done.stderr


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    lint = Path(sys.executable).parent / "lint-imports"
    return subprocess.run(
        [str(lint), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=tree,
        env={"PYTHONPATH": ":".join(str(tree / folder) for folder in PACKAGES), "PATH": ""},
        timeout=300,
    )


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("layers")
    shutil.copy(ROOT / "pyproject.toml", tree)
    for folder, package in PACKAGES.items():
        shutil.copytree(
            ROOT / folder / package,
            tree / folder / package,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    return tree


def test_the_layers_hold(tree_copy: Path) -> None:
    done = _lint_imports(tree_copy)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 kept, 0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "upward", "broken"),
    [
        ("server/parley_server/_upward.py", "import parley_contract.cli", "command line > harness"),
        ("spec/parley_spec/_upward.py", "import parley_server.app", "command line > harness"),
        ("harness/parley_contract/_upward.py", "import parley_cli.commands", "command line"),
        ("overlays/parley/_upward.py", "import parley_server.testing", "never imports"),
        ("generated/parley_client/_upward.py", "import parley._client", "overlays >"),
        ("diff/parley_diff/_upward.py", "import parley_contract.cli", "only the contract"),
        ("diff/parley_diff/_upward2.py", "import parley_server.app", "only the contract"),
    ],
)
def test_an_upward_import_breaks_the_layers(
    tree_copy: Path, module: str, upward: str, broken: str
) -> None:
    planted = tree_copy / module
    planted.write_text(upward + "\n")
    try:
        done = _lint_imports(tree_copy)
    finally:
        planted.unlink()
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 broken" in done.stdout
    assert any(broken in line and "BROKEN" in line for line in done.stdout.splitlines())
