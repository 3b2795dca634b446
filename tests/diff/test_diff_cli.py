"""`parley diff`: sources (files, git refs), errors, outputs, exit codes and affected methods."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from parley_cli.commands import main
from parley_diff import diff_documents, load_source, parse_semver
from parley_diff._load import SpecError, resolve_document
from parley_diff._markdown import render_markdown
from parley_diff._render import render_text
from parley_diff.cli import diff

from .test_check_breaking import ENV, git

ROOT = Path(__file__).resolve().parents[2]
BASE = Path(__file__).parent / "base.yaml"


def spec_without_title() -> dict:
    """Today's openapi.yaml with createConversation's `title` removed, unresolved."""
    raw = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    del raw["components"]["schemas"]["CreateConversationRequest"]["properties"]["title"]
    return raw


def test_diff_is_a_parley_command() -> None:
    result = CliRunner().invoke(main, ["diff", "--help"])
    assert result.exit_code == 0
    assert "git:REF" in result.output and "--fail-on" in result.output


def test_git_head_minus_one_in_a_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = yaml.safe_load(BASE.read_text())
    (tmp_path / "openapi.yaml").write_text(yaml.safe_dump(spec))
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "one")
    del spec["components"]["schemas"]["Widget"]["properties"]["notes"]
    spec["info"]["version"] = "2.0.0"
    (tmp_path / "openapi.yaml").write_text(yaml.safe_dump(spec))
    git(tmp_path, "commit", "-qam", "two")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(diff, ["git:HEAD~1", "openapi.yaml", "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert [c["check"] for c in report["changes"]] == ["response-property-removed"]
    assert report["old"] == {"source": "git:HEAD~1", "version": "1.0.0"}
    assert report["new"]["version"] == "2.0.0"
    same = CliRunner().invoke(diff, ["git:HEAD", "openapi.yaml"])
    assert same.exit_code == 0 and "No differences" in same.output


def test_git_ref_in_this_repository_runs_through_the_real_entry_point() -> None:
    parley = Path(sys.executable).parent / "parley"
    result = subprocess.run(
        [str(parley), "diff", "git:HEAD", "openapi.yaml", "--format", "json"],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode in (0, 1), result.stderr  # 1 only with uncommitted spec edits
    assert json.loads(result.stdout)["old"]["source"] == "git:HEAD"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.yaml", "openapi.yaml"], "cannot read missing.yaml"),
        (["git:no-such-ref", "openapi.yaml"], "git:no-such-ref: openapi.yaml cannot be read"),
        (["git:", "openapi.yaml"], "git: needs a ref"),
        (["openapi.yaml", "openapi.yaml", "--today", "soon"], "is not a YYYY-MM-DD date"),
    ],
)
def test_unreadable_input_exits_2_with_one_line(args: list[str], message: str) -> None:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(diff, args)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 2
    assert message in result.output


def test_bad_yaml_and_dangling_refs_are_named(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("openapi: [3.1\n")
    with pytest.raises(SpecError, match="not valid YAML"):
        load_source("bad.yaml", cwd=tmp_path)
    (tmp_path / "list.yaml").write_text("- 1\n")
    with pytest.raises(SpecError, match="not an OpenAPI document"):
        load_source("list.yaml", cwd=tmp_path)
    (tmp_path / "ref.yaml").write_text("a: {$ref: '#/components/schemas/Nope'}\n")
    with pytest.raises(SpecError, match="points at nothing"):
        load_source("ref.yaml", cwd=tmp_path)


def test_a_reference_cycle_is_left_as_a_reference() -> None:
    raw = {
        "components": {
            "schemas": {"Node": {"properties": {"next": {"$ref": "#/components/schemas/Node"}}}}
        }
    }
    resolved = resolve_document(raw)
    node = resolved["components"]["schemas"]["Node"]["properties"]["next"]
    assert node["properties"]["next"] == {"$ref": "#/components/schemas/Node"}


def test_removed_keyword_names_the_generated_function_and_overlay_methods() -> None:
    old = load_source("openapi.yaml", cwd=ROOT)
    changes = diff_documents(old, spec_without_title(), today="2026-06-01", version_policy=False)
    assert [(c.check, c.operation) for c in changes] == [
        ("request-property-removed", "createConversation")
    ]
    impact = changes[0].impact
    assert impact[0] == "parley_client.api.conversations.create_conversation: keyword title removed"
    assert "client.conversations.create_conversation: keyword title removed" in impact
    assert "aclient.conversations.create_conversation: keyword title removed" in impact
    assert "ConversationService.create: keyword title removed" in impact


def test_compatible_and_server_breaking_changes_carry_no_client_impact() -> None:
    old = load_source("openapi.yaml", cwd=ROOT)
    raw = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    raw["components"]["schemas"]["ConversationStatus"]["enum"].append("paused")
    changes = diff_documents(old, raw, version_policy=False)
    assert changes and all(not c.impact for c in changes)
    assert {c.verdict.value for c in changes} == {"compatible", "breaking-for-servers"}


def test_text_is_grouped_and_coloured_only_on_a_terminal() -> None:
    old = load_source("openapi.yaml", cwd=ROOT)
    raw = spec_without_title()
    major, minor, _ = parse_semver(raw["info"]["version"]) or (0, 0, 0)
    raw["info"]["version"] = f"{major}.{minor + 1}.0"  # a minor bump where a major one is due
    changes = diff_documents(old, raw, today="2026-06-01")
    plain = render_text(changes, "a", "b", colour=False)
    assert "\x1b[" not in plain
    assert plain.index("Errors: breaking for clients (1)") < plain.index("Policy (1)")
    assert plain.index("Policy (1)") < plain.index("api-version-not-bumped [error]")
    assert plain.rstrip().endswith(
        "1 errors (1 breaking for clients, 0 for servers), 0 warnings, 0 info; "
        "policy: 1 errors, 0 warnings."
    )
    coloured = render_text(changes, "a", "b", colour=True)
    assert "\x1b[31m" in coloured  # red for errors
    markdown = render_markdown(changes, "Release 1.1.0", old_version=old.version)
    assert markdown.startswith("## Release 1.1.0\n")
    assert "### Per operation\n\n#### createConversation\n" in markdown
    assert "- **breaks clients** `request-property-removed`: The request body property" in markdown
    assert "### Policy\n\n- **error** `api-version-not-bumped`" in markdown
    assert "`client.conversations.create_conversation`" in markdown
    assert ": keyword title removed." in markdown


@pytest.mark.parametrize(
    ("fail_on", "code"),
    [
        ([], 1),  # error, the default
        (["error"], 1),
        (["warning"], 1),
        (["info"], 1),
        (["any"], 1),
        (["client"], 0),
        (["server"], 1),
        (["none"], 0),
        (["policy"], 0),
        (["client", "policy"], 0),
        (["client", "server"], 1),
    ],
)
def test_fail_on_picks_what_fails(fail_on: list[str], code: int, tmp_path: Path) -> None:
    spec = yaml.safe_load(BASE.read_text())
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(spec))
    spec["info"]["version"] = "1.1.0"  # the policy's minor bump: only the change can fail
    spec["paths"]["/widgets"]["get"]["parameters"][1] = {
        "name": "per_page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 500},
    }
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(spec))
    args = [str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml"), "--no-config"]
    args += [arg for value in fail_on for arg in ("--fail-on", value)]
    result = CliRunner().invoke(diff, args)
    assert "parameter-bounds-loosened" in result.output
    assert result.exit_code == code


def _raw() -> dict:
    return yaml.safe_load((ROOT / "openapi.yaml").read_text())


def _drop_delete(raw: dict) -> None:
    del raw["paths"]["/v1/conversation/{conversation_id}"]["delete"]


def _optional_title(raw: dict) -> None:
    raw["components"]["schemas"]["Conversation"]["required"].remove("title")


def _rename_get(raw: dict) -> None:
    raw["paths"]["/v1/conversation/{conversation_id}"]["get"]["operationId"] = "fetchConversation"


@pytest.mark.parametrize(
    ("edit", "operation", "line"),
    [
        (
            _drop_delete,
            "deleteConversation",
            "client.conversations.delete_conversation: method removed",
        ),
        (
            _optional_title,
            "getConversation",
            "client.conversations.get_conversation: result attribute title may be UNSET",
        ),
        (
            _rename_get,
            "fetchConversation",
            "client.conversations.get_conversation: renamed with its operationId to "
            "fetch_conversation",
        ),
    ],
)
def test_impact_lines_say_what_users_must_change(edit: object, operation: str, line: str) -> None:
    old = load_source("openapi.yaml", cwd=ROOT)
    raw = _raw()
    edit(raw)  # type: ignore[operator]
    changes = diff_documents(old, raw, version_policy=False)
    lines = [text for c in changes if c.operation == operation for text in c.impact]
    assert any(text.startswith(line) for text in lines), lines


def _trace_header_everywhere(raw: dict) -> None:
    """A required X-Trace-ID header beside every X-Request-ID (a shared component)."""
    raw["components"]["headers"]["TraceId"] = {
        "description": "The trace this request belongs to.",
        "required": True,
        "schema": {"type": "string"},
    }

    def walk(node: object) -> None:
        if isinstance(node, dict):
            headers = node.get("headers")
            if isinstance(headers, dict) and "X-Request-ID" in headers:
                headers["X-Trace-ID"] = {"$ref": "#/components/headers/TraceId"}
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(raw["paths"])
    walk(raw["components"]["responses"])


def test_one_change_made_in_every_response_is_one_line() -> None:
    old = load_source("openapi.yaml", cwd=ROOT)
    raw = _raw()
    _trace_header_everywhere(raw)
    changes = diff_documents(old, raw, version_policy=False)
    assert {c.check for c in changes} == {"response-header-added-required"}
    responses = len(changes)
    operations = len({c.operation for c in changes})
    assert responses > operations > 20
    markdown = render_markdown(changes, "Next", old_version=old.version, documents=[raw])
    lines = [line for line in markdown.splitlines() if line.startswith("- ")]
    assert lines == [
        "- **breaks servers** `response-header-added-required`: The response now carries the "
        f"X-Trace-ID header (required). In `TraceId`, {responses} responses of {operations} "
        "operations."
    ]
    text = render_text(changes, "a", "b", colour=False, documents=[raw])
    assert f"... the same in {responses} responses of {operations} operations (in TraceId)" in text
    assert len(render_text(changes, "a", "b", colour=False, expand=True).splitlines()) > responses
