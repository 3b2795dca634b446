"""The client-surface check (scripts/check-client-surface, parley_diff.surface) in git repositories.

Each repository holds a copy of overlays/parley, a contract and its release 1.0.0, committed;
an edit of the package after that commit is what the check sees. About 5 s.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from .test_check_breaking import ENV, git

ROOT = Path(__file__).resolve().parents[2]
BASE = Path(__file__).parent / "base.yaml"
RESOURCE = Path("overlays/parley/_async/resources/conversations.py")
KEYWORD = "        title: str | NotGiven | None = NOT_GIVEN,\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    shutil.copytree(
        ROOT / "overlays" / "parley",
        folder / "overlays" / "parley",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (folder / "scripts").mkdir()
    for name in ("check-client-surface", "bootstrap"):
        shutil.copy2(ROOT / "scripts" / name, folder / "scripts" / name)
    shutil.copy(BASE, folder / "openapi.yaml")
    (folder / "releases" / "1.0.0").mkdir(parents=True)
    shutil.copy(BASE, folder / "releases" / "1.0.0" / "openapi.yaml")
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "Release 1.0.0")
    return folder


def check(repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(repo / "scripts" / "check-client-surface")],
        cwd=repo,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )


def edit(repo: Path, old: str, new: str, path: Path = RESOURCE) -> None:
    text = (repo / path).read_text()
    assert text.count(old) >= 1, old
    (repo / path).write_text(text.replace(old, new, 1))


def set_version(repo: Path, version: str) -> None:
    spec = yaml.safe_load((repo / "openapi.yaml").read_text())
    spec["info"]["version"] = version
    (repo / "openapi.yaml").write_text(yaml.safe_dump(spec))


def test_the_released_package_unchanged_passes(repo: Path) -> None:
    done = check(repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "release 1.0.0 -> working tree" in done.stdout
    assert "no change to its public API" in done.stdout


def test_a_removed_overlay_parameter_fails_unless_the_version_is_major(repo: Path) -> None:
    # `**options: Unpack[RequestOptions]` would swallow `title` for griffe: our rule catches it
    edit(repo, KEYWORD, "")
    edit(repo, "create_body(agent_id, title,", "create_body(agent_id, None,")
    done = check(repo)
    assert done.returncode == 1, done.stdout + done.stderr
    assert (
        "breaking `AsyncParley.conversations.create_conversation`: parameter removed: title"
        in done.stdout
    )
    assert "break callers of the 1.0.0 client" in done.stderr
    set_version(repo, "2.0.0")
    done = check(repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "allowed by the major version" in done.stdout


def test_a_new_required_parameter_a_default_and_a_return_type_are_breaking(repo: Path) -> None:
    edit(repo, KEYWORD, "        title: str,\n")
    edit(
        repo,
        "        max_context_length: int | None = None,\n",
        "        max_context_length: int | None = 20,\n",
    )
    edit(
        repo,
        '    ) -> Conversation:\n        """Start a conversation',
        '    ) -> Conversation | None:\n        """Start a conversation',
    )
    done = check(repo)
    assert done.returncode == 1, done.stdout + done.stderr
    where = "`AsyncParley.conversations.create_conversation`"
    assert f"breaking {where}: Parameter is now required: title" in done.stdout
    assert (
        f"breaking {where}: Parameter default was changed: max_context_length: None -> 20"
        in done.stdout
    )
    assert (
        f"breaking {where}: return type changed: Conversation -> Conversation | None" in done.stdout
    )


def test_a_break_the_settings_accept_passes_with_its_reason_and_a_stale_one_fails(
    repo: Path,
) -> None:
    accepted = (
        "[[client-surface.accepted]]\n"
        'where = "AsyncParley.conversations.*"\n'
        'what = "Parameter default was changed: max_context_length: *"\n'
        'reason = "20 is the server default anyway"\n'
    )
    (repo / "parley-diff.toml").write_text(accepted)
    edit(
        repo,
        "        max_context_length: int | None = None,\n",
        "        max_context_length: int | None = 20,\n",
    )
    done = check(repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "breaking, accepted (20 is the server default anyway), 1: " in done.stdout
    edit(repo, KEYWORD, "        title: str,\n")  # a break the settings do not accept
    done = check(repo)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Parameter is now required: title" in done.stdout
    edit(
        repo,
        "        max_context_length: int | None = 20,\n",
        "        max_context_length: int | None = None,\n",
    )
    edit(repo, "        title: str,\n", KEYWORD)
    done = check(repo)  # nothing breaks now: the accepted entry is stale
    assert done.returncode == 1, done.stdout + done.stderr
    assert "matches no break since 1.0.0: remove it" in done.stderr
    (repo / "parley-diff.toml").write_text(accepted.replace('reason = "20', 'why = "20'))
    done = check(repo)
    assert done.returncode == 2
    assert "needs exactly where, what and reason" in done.stderr


def test_a_removed_method_is_breaking_and_a_new_one_is_listed(repo: Path) -> None:
    edit(repo, "    async def create_conversation(", "    async def start_conversation(")
    done = check(repo)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "breaking `AsyncParley.conversations.create_conversation`: " in done.stdout
    assert "added `start_conversation` to 1: `AsyncParley.conversations`" in done.stdout


def test_a_clone_without_the_release_commit_says_why(repo: Path, tmp_path: Path) -> None:
    edit(repo, KEYWORD, "")
    git(repo, "commit", "-qam", "after the release")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    done = check(clone)
    assert done.returncode == 2
    assert "this clone is shallow" in done.stderr
    (repo / "releases" / "1.1.0").mkdir()
    shutil.copy(BASE, repo / "releases" / "1.1.0" / "openapi.yaml")  # not committed
    done = check(repo)
    assert done.returncode == 2
    assert "no commit adds releases/1.1.0/openapi.yaml" in done.stderr


def test_this_repository_matches_its_newest_release() -> None:
    done = subprocess.run(
        [str(ROOT / "scripts" / "check-client-surface")],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
