"""`parley diff` against the labelled fixture cases of cases.yaml (see its header).

Each case writes an OLD and a NEW document (both valid OpenAPI 3.1, checked) built from
base.yaml and runs the `diff` command on them; the reported (check, verdict, operation)
triples must be exactly the case's labels, and the exit status 1 exactly when one is breaking.
About 30 s for the whole file on a busy 2-core machine, most of it in
openapi-spec-validator.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from openapi_spec_validator import validate
from parley_diff.cli import diff
from parley_spec.annotations import KINDS

HERE = Path(__file__).parent
BASE = yaml.safe_load((HERE / "base.yaml").read_text())
CASES: list[dict[str, Any]] = yaml.safe_load((HERE / "cases.yaml").read_text())
TODAY = "2026-06-01"
VALID: set[str] = set()
"""Documents already checked as valid OpenAPI 3.1 (most cases share their OLD one)."""


def _tokens(pointer: str) -> list[str]:
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def _parent(document: Any, pointer: str) -> tuple[Any, str]:
    *path, last = _tokens(pointer)
    node = document
    for token in path:
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node, last


def _get(document: Any, pointer: str) -> Any:
    node, last = _parent(document, pointer)
    return node[int(last)] if isinstance(node, list) else node[last]


def _set(document: Any, pointer: str, value: Any) -> None:
    node, last = _parent(document, pointer)
    if isinstance(node, list):
        if last == "-":
            node.append(value)
        else:
            node[int(last)] = value
    else:
        node[last] = value


def apply(document: dict[str, Any], edits: list[dict[str, Any]]) -> dict[str, Any]:
    """A copy of the document with the case's edits applied in order."""
    document = copy.deepcopy(document)
    for edit in edits:
        if "set" in edit:
            _set(document, edit["set"][0], copy.deepcopy(edit["set"][1]))
        elif "copy" in edit:
            _set(document, edit["copy"][1], copy.deepcopy(_get(document, edit["copy"][0])))
        elif "remove" in edit:
            node, last = _parent(document, edit["remove"])
            del node[int(last) if isinstance(node, list) else last]
        else:
            raise ValueError(f"unknown edit {edit}")
    return document


def run_case(case: dict[str, Any], folder: Path) -> tuple[int, dict[str, Any]]:
    old = apply(BASE, case.get("both", []))
    new = apply(old, case.get("edit", []))
    for name, document in (("old", old), ("new", new)):
        text = json.dumps(document)  # JSON is YAML too, and quicker to write and read
        if text not in VALID:
            validate(document)
            VALID.add(text)
        (folder / f"{name}.json").write_text(text)
    args = [str(folder / "old.json"), str(folder / "new.json"), "--format", "json"]
    args += ["--today", TODAY]
    if "config" in case:  # the case's parley-diff.toml
        (folder / "parley-diff.toml").write_text(case["config"])
        args += ["--config", str(folder / "parley-diff.toml")]
    else:
        args.append("--no-config")  # not the repository's own settings
    if not case.get("policy"):
        args.append("--no-version-policy")
    result = CliRunner().invoke(diff, args)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)


def test_there_are_at_least_60_cases_with_unique_names() -> None:
    names = [case["name"] for case in CASES]
    assert len(names) >= 60
    assert len(set(names)) == len(names)


def level(label: list[str]) -> str:
    """A label's level: its fourth item, else info for compatible and error otherwise."""
    if len(label) > 3:
        return label[3]
    return "info" if label[1] == "compatible" else "error"


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(case: dict[str, Any], tmp_path: Path) -> None:
    code, report = run_case(case, tmp_path)
    got = Counter((c["check"], c["verdict"], c["operation"], c["level"]) for c in report["changes"])
    expected = Counter((*label[:3], level(label)) for label in case["expect"])
    assert got == expected, json.dumps(report["changes"], indent=1)
    if "pointers" in case:
        assert sorted(c["pointer"] for c in report["changes"]) == sorted(case["pointers"])
    # the default --fail-on: an error that is not a policy finding
    errors = any(label[1] != "policy" and level(label) == "error" for label in case["expect"])
    assert code == (1 if errors else 0)
    for change in report["changes"]:
        assert change["pointer"].startswith(("/paths/", "/components/", "/info/", "/x-parley-"))
        assert change["message"].endswith(".")


def test_every_check_the_cases_use_is_documented_in_the_readme() -> None:
    readme = (HERE.parents[1] / "README.md").read_text()
    checks = {label[0] for case in CASES for label in case["expect"]}
    places = ("request", "response", "parameter", "response-header", "stream-event")

    def documented(check: str) -> bool:
        if f"`{check}`" in readme:
            return True
        for place in places:
            if check.startswith(f"{place}-") and f"`<place>{check[len(place) :]}`" in readme:
                return True
        for kind in KINDS:  # promise checks: `<key>-added` ... for every annotation kind
            prefix = kind.removeprefix("x-parley-")
            if check.startswith(f"{prefix}-") and f"`<key>{check[len(prefix) :]}`" in readme:
                return f"`{prefix}`" in readme
        return False

    missing = sorted(check for check in checks if not documented(check))
    assert not missing
