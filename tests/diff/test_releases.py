"""The release side of `parley diff`: `release:` sources, the version a change needs, the
Markdown migration lines, and the `info.version` edit of `scripts/release`."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from parley_diff import diff_documents, load_source, parse_semver, required_version
from parley_diff._load import SpecError
from parley_diff._markdown import render_markdown
from parley_diff._model import Change, Level, Verdict
from parley_diff.cli import diff
from parley_diff.release import ReleaseRefused, plan, set_info_version

ROOT = Path(__file__).resolve().parents[2]
BASE = Path(__file__).parent / "base.yaml"


def release(root: Path, version: str, document: dict) -> None:
    (root / "releases" / version).mkdir(parents=True)
    (root / "releases" / version / "openapi.yaml").write_text(yaml.safe_dump(document))


def test_release_sources_pick_the_highest_semver_not_the_last_name(tmp_path: Path) -> None:
    base = yaml.safe_load(BASE.read_text())
    for version in ("1.2.0", "1.10.0", "1.9.3"):
        release(tmp_path, version, {**base, "info": {**base["info"], "version": version}})
    (tmp_path / "releases" / "2.0.0-draft").mkdir()  # no snapshot, no semver release
    assert load_source("release:latest", cwd=tmp_path).version == "1.10.0"
    assert load_source("release:1.2.0", cwd=tmp_path).version == "1.2.0"
    with pytest.raises(SpecError, match=r"release:3\.0\.0: no such release \(released: 1\.2\.0"):
        load_source("release:3.0.0", cwd=tmp_path)
    with pytest.raises(SpecError, match="release:latest: no release under"):
        load_source("release:latest", cwd=tmp_path / "releases")


def test_the_repository_holds_a_release_no_newer_than_its_contract() -> None:
    released = parse_semver(load_source("release:latest", cwd=ROOT).version)
    current = parse_semver(load_source("openapi.yaml", cwd=ROOT).version)
    assert released is not None and current is not None
    assert released <= current  # equal on main; above it on a branch with a major bump


ERR, WARN, INFO = Level.ERROR, Level.WARNING, Level.INFO


@pytest.mark.parametrize(
    ("found", "needed"),
    [
        ([], "1.4.3"),
        ([(Verdict.COMPATIBLE, INFO)], "1.5.0"),
        ([(Verdict.SERVER, ERR), (Verdict.COMPATIBLE, INFO)], "1.5.0"),
        ([(Verdict.COMPATIBLE, INFO), (Verdict.CLIENT, ERR)], "2.0.0"),
        ([(Verdict.CLIENT, WARN)], "1.5.0"),  # a warning (a beta operation) needs no major bump
        ([(Verdict.POLICY, ERR)], "1.4.3"),  # policy findings need nothing of their own
    ],
)
def test_required_version(found: list[tuple[Verdict, Level]], needed: str) -> None:
    changes = [
        Change(f"check-{i}", v, "op", "/paths", "A change.", level=level)
        for i, (v, level) in enumerate(found)
    ]
    assert required_version("1.4.2", changes) == needed
    assert required_version("one", changes) is None


def test_markdown_gives_each_breaking_change_its_migration_and_version() -> None:
    old = yaml.safe_load(BASE.read_text())
    new = yaml.safe_load(BASE.read_text())
    old["components"]["schemas"]["Widget"]["additionalProperties"] = False
    new["components"]["schemas"]["Widget"]["additionalProperties"] = False
    new["components"]["schemas"]["Widget"]["properties"]["weight"] = {"type": "number"}
    new["components"]["schemas"]["CreateWidgetRequest"]["required"] = []
    new["components"]["schemas"]["Widget"]["properties"].pop("notes")
    changes = diff_documents(old, new, version_policy=False)
    markdown = render_markdown(changes, "2.0.0", old_version="1.0.0")
    assert "Needs at least 2.0.0." in markdown
    assert (
        "- **breaks clients** `response-property-removed`: The response 200 body property "
        "`notes` was removed. (needs 2.0.0)" in markdown
    )
    assert "  - Python client: `parley_client.api.default.get_widget`" in markdown
    assert ": result attribute notes removed." in markdown
    # a warning (breaks only strict clients): its migration line, no major bump asked
    assert "- **may break clients** `response-property-added-closed`" in markdown
    assert "nothing (result attribute weight lands in additional_properties)" in markdown
    assert (
        "- **breaks servers** `request-property-became-optional`: The request body property "
        "`name` became optional.\n" in markdown
    )
    without = render_markdown(changes, "2.0.0", old_version="next")
    assert "(needs " not in without and "Needs at least" not in without


def test_the_markdown_format_names_the_needed_version(tmp_path: Path) -> None:
    new = yaml.safe_load(BASE.read_text())
    del new["components"]["schemas"]["Widget"]["properties"]["notes"]
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(new))
    result = CliRunner().invoke(
        diff, [str(BASE), str(tmp_path / "new.yaml"), "--format", "markdown"]
    )
    assert result.exit_code == 1
    assert (
        "`response-property-removed`: The response 200 body property `notes` was removed. "
        "(needs 2.0.0)" in result.output
    )
    assert "- **error** `api-version-not-bumped`: 1 change(s) break clients" in result.output


def test_set_info_version_edits_one_line_of_the_real_document() -> None:
    text = (ROOT / "openapi.yaml").read_text()
    edited = set_info_version(text, "7.8.9")
    changed = [
        (a, b) for a, b in zip(text.splitlines(), edited.splitlines(), strict=True) if a != b
    ]
    assert len(changed) == 1 and changed[0][1] == "  version: 7.8.9"
    assert yaml.safe_load(edited)["info"]["version"] == "7.8.9"
    # a `version:` outside `info` (a schema property, say) is never the one edited
    other = "openapi: 3.1.0\ninfo:\n  title: T\n  version: 1.0.0\nx:\n  version: 5\n"
    assert set_info_version(other, "2.0.0").endswith("version: 2.0.0\nx:\n  version: 5\n")
    with pytest.raises(ReleaseRefused):
        set_info_version("openapi: 3.1.0\npaths: {}\n", "2.0.0")


def test_the_next_release_section_of_this_repository_is_under_10_kb() -> None:
    """The CHANGELOG section `scripts/release` would write now, for the version it needs."""
    newest = load_source("release:latest", cwd=ROOT)
    changes = diff_documents(newest, load_source("openapi.yaml", cwd=ROOT))
    version = required_version(newest.version, [c for c in changes if not c.policy])
    assert version is not None
    _, section = plan(ROOT, version, "2026-12-07")
    assert section.startswith(f"## {version} (2026-12-07)\n\nCompared with release ")
    assert "### Python client (`parley` package)" in section
    assert len(section.encode()) < 10_000, len(section.encode())
