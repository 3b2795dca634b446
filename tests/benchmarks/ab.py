"""A/B runs: the code of another git ref beside the working tree's, measured in one run.

``scripts/bench --ab REF`` asks each section that supports it to measure REF's code and the
working tree's alternately, in one process run, so both meet the same machine noise. This
module gives a section REF's sources: a detached ``git worktree`` in a temporary folder, and
the ``PYTHONPATH`` that makes a child process import Parley's packages from there (the venv
and its third-party packages are shared: REF must not need other dependencies).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .common import ROOT

SOURCE_DIRS = ("generated", "overlays", "spec", "server", "harness", "cli", "diff")
"""The folders of a checkout that hold Parley's packages (those a checkout has are used)."""


class RefError(Exception):
    """A git ref that cannot be checked out (unknown, or git failed)."""


@contextmanager
def source_tree(ref: str, repo: Path = ROOT) -> Iterator[Path]:
    """Checks ``ref`` out into a temporary detached worktree, removed on exit.

    Args:
        ref: Any git revision (``main``, a commit, ``HEAD~3``).
        repo: The repository (this checkout by default).

    Yields:
        The worktree's root.

    Raises:
        RefError: ``ref`` is unknown or ``git worktree add`` failed (git's message included).
    """
    parent = Path(tempfile.mkdtemp(prefix="parley-ab-"))
    tree = parent / "tree"
    added = subprocess.run(
        ["git", "-C", str(repo), "worktree", "add", "--detach", "--quiet", str(tree), ref],
        capture_output=True,
        text=True,
        check=False,
    )
    if added.returncode != 0:
        shutil.rmtree(parent, ignore_errors=True)
        raise RefError(f"cannot check out {ref!r}: {added.stderr.strip()}")
    try:
        yield tree
    finally:
        subprocess.run(
            ["git", "-C", str(repo), "worktree", "remove", "--force", str(tree)],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(parent, ignore_errors=True)


def pythonpath(root: Path) -> str:
    """The ``PYTHONPATH`` under which a child process imports Parley from checkout ``root``.

    Put first, these folders win over the editable install of the working tree.
    """
    dirs = [str(root / name) for name in SOURCE_DIRS if (root / name).is_dir()]
    inherited = os.environ.get("PYTHONPATH")
    return os.pathsep.join([*dirs, *([inherited] if inherited else [])])
