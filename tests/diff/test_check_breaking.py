"""scripts/check-breaking, scripts/changelog and scripts/release in throw-away git repositories.

Each repository holds the three scripts, a contract as openapi.yaml and its release
``releases/1.0.0/openapi.yaml``, committed on main, with no tag and no remote: the gate must
bite from the snapshot alone. The fixture's contract is tests/diff/base.yaml, except in the
fresh-clone test, which uses a copy of the repository's own openapi.yaml and releases/.
About 20 s.
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
SCRIPTS = ("check-breaking", "changelog", "release")
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


def make_repo(
    folder: Path, spec: Path, releases: dict[str, Path], *, settings: Path | None = None
) -> Path:
    (folder / "scripts").mkdir(parents=True)
    if settings is not None:  # the project's [tool.parley-diff]
        shutil.copy(settings, folder / settings.name)
    for name in SCRIPTS:
        shutil.copy2(ROOT / "scripts" / name, folder / "scripts" / name)
    shutil.copy(spec, folder / "openapi.yaml")
    for version, source in releases.items():
        (folder / "releases" / version).mkdir(parents=True)
        shutil.copy(source, folder / "releases" / version / "openapi.yaml")
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "first")
    return folder


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", BASE, {"1.0.0": BASE})


def edit_spec(repo: Path, version: str, *, remove_notes: bool = False, add: bool = False) -> None:
    spec = yaml.safe_load((repo / "openapi.yaml").read_text())
    spec["info"]["version"] = version
    widget = spec["components"]["schemas"]["Widget"]["properties"]
    if remove_notes:
        del widget["notes"]
    if add:
        widget["weight"] = {"type": "number"}
    (repo / "openapi.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))


def run(repo: Path, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(repo / "scripts" / script), *args],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_breaking_change_without_a_major_bump_fails_without_any_tag(repo: Path) -> None:
    assert git(repo, "tag", "--list") == ""
    edit_spec(repo, "1.1.0", remove_notes=True)
    result = run(repo, "check-breaking")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "openapi.yaml against release:latest" in result.stdout
    assert "response-property-removed" in result.stdout
    assert "api-version-not-bumped" in result.stdout
    assert "a major bump for a change that breaks clients" in result.stderr


def test_a_committed_breaking_change_still_fails_on_main(repo: Path) -> None:
    """The old gate compared main with itself once the change was merged; this one cannot."""
    edit_spec(repo, "1.0.0", remove_notes=True)
    git(repo, "commit", "-qam", "remove notes")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    result = run(repo, "check-breaking")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "response-property-removed" in result.stdout


def test_breaking_change_with_a_major_bump_passes(repo: Path) -> None:
    edit_spec(repo, "2.0.0", remove_notes=True)
    result = run(repo, "check-breaking")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "response-property-removed" in result.stdout
    assert "api-version-not-bumped" not in result.stdout


def test_compatible_change_needs_a_new_version_not_a_major_one(repo: Path) -> None:
    edit_spec(repo, "1.0.0", add=True)
    result = run(repo, "check-breaking")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "api-version-unchanged" in result.stdout
    assert "it needs 1.1.0 or higher" in result.stdout
    edit_spec(repo, "1.1.0", add=True)
    result = run(repo, "check-breaking")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "response-property-added" in result.stdout


def test_the_newest_release_is_the_baseline(repo: Path, tmp_path: Path) -> None:
    edit_spec(repo, "2.0.0", remove_notes=True)
    (repo / "releases" / "2.0.0").mkdir()
    shutil.copy(repo / "openapi.yaml", repo / "releases" / "2.0.0" / "openapi.yaml")
    (repo / "releases" / "10.0.0").mkdir()  # a folder without a snapshot is no release
    result = run(repo, "check-breaking")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No differences that change behaviour." in result.stdout
    edit_spec(repo, "1.9.0")  # below the newest release
    result = run(repo, "check-breaking")
    assert result.returncode == 1
    assert "api-version-decreased" in result.stdout


def test_a_branch_of_a_fresh_clone_that_removes_a_response_property_fails(
    tmp_path: Path,
) -> None:
    releases = {
        folder.name: folder / "openapi.yaml"
        for folder in (ROOT / "releases").iterdir()
        if (folder / "openapi.yaml").is_file()
    }
    origin = make_repo(
        tmp_path / "origin", ROOT / "openapi.yaml", releases, settings=ROOT / "pyproject.toml"
    )
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    assert git(clone, "tag", "--list") == ""
    assert run(clone, "check-breaking").returncode == 0  # main as released
    git(clone, "checkout", "-q", "-b", "drop-title")
    spec = yaml.safe_load((clone / "openapi.yaml").read_text())
    conversation = spec["components"]["schemas"]["Conversation"]
    del conversation["properties"]["title"]
    conversation["required"].remove("title")
    (clone / "openapi.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    git(clone, "commit", "-qam", "drop the conversation title")
    result = run(clone, "check-breaking")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "response-property-removed  createConversation" in result.stdout
    assert "getConversation, updateConversation" in result.stdout  # the same change elsewhere
    assert "api-version-not-bumped" in result.stdout


def test_release_refuses_a_version_the_policy_forbids(repo: Path) -> None:
    edit_spec(repo, "1.0.0", remove_notes=True)
    before = (repo / "openapi.yaml").read_text()
    for version, reason in (
        ("1.1.0", "the policy needs at least 2.0.0"),
        ("1.0.0", "not newer than the newest release 1.0.0"),
        ("2.0", "is not a release version"),
    ):
        result = run(repo, "release", version)
        assert result.returncode == 1, result.stdout + result.stderr
        assert reason in result.stderr
    assert "response-property-removed" in run(repo, "release", "1.1.0").stderr
    assert (repo / "openapi.yaml").read_text() == before
    assert sorted(p.name for p in (repo / "releases").iterdir()) == ["1.0.0"]
    assert not (repo / "CHANGELOG.md").exists()


def test_release_needs_a_minor_bump_for_a_compatible_change(repo: Path) -> None:
    edit_spec(repo, "1.0.0", add=True)
    result = run(repo, "release", "1.0.1")
    assert result.returncode == 1
    assert "the policy needs at least 1.1.0" in result.stderr
    assert run(repo, "release", "1.1.0", "--dry-run").returncode == 0
    assert not (repo / "releases" / "1.1.0").exists()


def test_release_writes_the_version_the_changelog_and_the_snapshot(repo: Path) -> None:
    edit_spec(repo, "1.0.0", remove_notes=True)
    text = (repo / "openapi.yaml").read_text()
    result = run(repo, "release", "2.0.0", "--today", "2026-07-01")
    assert result.returncode == 0, result.stdout + result.stderr
    released = (repo / "openapi.yaml").read_text()
    changed = [
        (a, b) for a, b in zip(text.splitlines(), released.splitlines(), strict=True) if a != b
    ]
    assert changed == [("  version: 1.0.0", "  version: 2.0.0")]
    assert (repo / "releases" / "2.0.0" / "openapi.yaml").read_text() == released
    changelog = (repo / "CHANGELOG.md").read_text()
    assert changelog.startswith("# Changelog")
    assert "## 2.0.0 (2026-07-01)\n\nCompared with release 1.0.0." in changelog
    assert "Needs at least 2.0.0." in changelog
    assert "#### getWidget\n\n- **breaks clients** `response-property-removed`" in changelog
    assert "was removed. (needs 2.0.0)\n  - Python client: " in changelog
    check = run(repo, "check-breaking")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No differences that change behaviour." in check.stdout
    edit_spec(repo, "2.0.0", add=True)
    assert run(repo, "release", "2.1.0", "--today", "2026-08-01").returncode == 0
    changelog = (repo / "CHANGELOG.md").read_text()
    assert changelog.index("## 2.1.0 (") < changelog.index("## 2.0.0 (")
    assert "`response-property-added`" in changelog


def test_changelog_gets_one_section_per_version(repo: Path) -> None:
    edit_spec(repo, "2.0.0", remove_notes=True)
    for _ in range(2):  # a second run replaces the section
        done = run(repo, "changelog")
        assert done.returncode == 0, done.stderr
    text = (repo / "CHANGELOG.md").read_text()
    assert text.count("## 2.0.0 (") == 1
    assert "Compared with release:latest (info.version 1.0.0)." in text
    assert "- **breaks clients** `response-property-removed`" in text
    assert "  - Python client: `parley_client.api.default.get_widget`" in text
