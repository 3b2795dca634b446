"""scripts/check-breaking and scripts/changelog in a throw-away git repository.

The repository holds the two scripts (and their shared baseline helper) and base.yaml as
openapi.yaml, released as tag v1.0.0. About 10 s.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BASE = Path(__file__).parent / "base.yaml"
ENV = {
    **os.environ,
    "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    "GIT_AUTHOR_NAME": "Parley test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Parley test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, env=ENV, check=True, capture_output=True, text=True
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    for name in ("check-breaking", "changelog", "_baseline.sh"):
        shutil.copy2(ROOT / "scripts" / name, tmp_path / "scripts" / name)
    shutil.copy(BASE, tmp_path / "openapi.yaml")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "first")
    return tmp_path


def edit_spec(repo: Path, version: str, *, remove_notes: bool = False, add: bool = False) -> None:
    spec = yaml.safe_load((repo / "openapi.yaml").read_text())
    spec["info"]["version"] = version
    widget = spec["components"]["schemas"]["Widget"]["properties"]
    if remove_notes:
        del widget["notes"]
    if add:
        widget["weight"] = {"type": "number"}
    (repo / "openapi.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))


def check(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(repo / "scripts" / "check-breaking"), *args],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_breaking_change_without_a_major_bump_fails(repo: Path) -> None:
    git(repo, "tag", "v1.0.0")
    edit_spec(repo, "1.1.0", remove_notes=True)
    result = check(repo)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "against the last release tag v1.0.0" in result.stdout
    assert "response-property-removed" in result.stdout
    assert "api-version-not-bumped" in result.stdout
    assert "bump info.version's major number" in result.stderr


def test_breaking_change_with_a_major_bump_passes(repo: Path) -> None:
    git(repo, "tag", "v1.0.0")
    edit_spec(repo, "2.0.0", remove_notes=True)
    result = check(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "response-property-removed" in result.stdout
    assert "api-version-not-bumped" not in result.stdout


def test_compatible_change_with_a_minor_bump_passes(repo: Path) -> None:
    git(repo, "tag", "v1.0.0")
    edit_spec(repo, "1.1.0", add=True)
    result = check(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "response-property-added" in result.stdout


def test_the_latest_tag_is_the_baseline(repo: Path) -> None:
    git(repo, "tag", "v1.0.0")
    edit_spec(repo, "2.0.0", remove_notes=True)
    git(repo, "commit", "-qam", "2.0.0")
    git(repo, "tag", "v2.0.0")
    edit_spec(repo, "2.1.0", remove_notes=False, add=True)
    result = check(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the last release tag v2.0.0" in result.stdout


def test_origin_main_without_a_tag(repo: Path) -> None:
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    edit_spec(repo, "1.0.1", remove_notes=True)
    result = check(repo)
    assert result.returncode == 1
    assert "against origin/main (no v* release tag in this clone)" in result.stdout


def test_without_tag_or_remote_it_says_it_compares_with_head(repo: Path) -> None:
    edit_spec(repo, "1.0.1", remove_notes=True)
    result = check(repo)
    assert result.returncode == 1
    assert "against HEAD, the last commit (no v* release tag and no origin/main" in result.stdout


def test_changelog_gets_one_section_per_release(repo: Path) -> None:
    git(repo, "tag", "v1.0.0")
    edit_spec(repo, "2.0.0", remove_notes=True)
    for _ in range(2):  # a second run replaces the section
        done = subprocess.run(
            [str(repo / "scripts" / "changelog")], env=ENV, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    text = (repo / "CHANGELOG.md").read_text()
    assert text.startswith("# Changelog")
    assert text.count("## 2.0.0 (") == 1
    assert "Compared with git:v1.0.0 (info.version 1.0.0)." in text
    assert "`response-property-removed`" in text
    git(repo, "commit", "-qam", "2.0.0")
    git(repo, "tag", "v2.0.0")
    edit_spec(repo, "2.1.0", add=True)
    subprocess.run([str(repo / "scripts" / "changelog")], env=ENV, check=True, capture_output=True)
    text = (repo / "CHANGELOG.md").read_text()
    assert text.index("## 2.1.0 (") < text.index("## 2.0.0 (")
    assert "`response-property-added`" in text
