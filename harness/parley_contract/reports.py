"""CI report files: schemathesis writes them, the extra checks' outcomes are added to them.

`junit.xml` gains a `parley` test suite next to schemathesis' own (one test case per operation
and check); `events.ndjson` gains one `ParleyCheck` line per outcome after schemathesis'
events.
"""

from __future__ import annotations

import json
import platform
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from xml.etree import ElementTree

from parley_contract.results import CheckOutcome

__all__ = ["REPORT_FILES", "add_outcomes"]

REPORT_FILES = {"junit": "junit.xml", "ndjson": "events.ndjson"}


def add_outcomes(
    report_dir: Path, formats: Sequence[str], outcomes: Sequence[CheckOutcome]
) -> None:
    """Add the extra checks' outcomes to each report file of `formats` in `report_dir`.

    A file schemathesis did not write (it stopped before testing) is created.
    """
    report_dir.mkdir(parents=True, exist_ok=True)
    if "junit" in formats:
        _add_to_junit(report_dir / REPORT_FILES["junit"], outcomes)
    if "ndjson" in formats:
        with (report_dir / REPORT_FILES["ndjson"]).open("a", encoding="utf-8") as stream:
            for outcome in outcomes:
                stream.write(json.dumps({"ParleyCheck": asdict(outcome)}) + "\n")


def _add_to_junit(path: Path, outcomes: Sequence[CheckOutcome]) -> None:
    if path.is_file():
        root = ElementTree.parse(path).getroot()
    else:
        root = ElementTree.Element("testsuites")
    cases: dict[tuple[str, str], list[CheckOutcome]] = {}
    for outcome in outcomes:
        cases.setdefault((outcome.label, outcome.check), []).append(outcome)
    failed = sum(1 for group in cases.values() if not all(o.passed for o in group))
    counts = {"tests": str(len(cases)), "failures": str(failed), "errors": "0", "skipped": "0"}
    suite = ElementTree.SubElement(
        root, "testsuite", {"name": "parley", "hostname": platform.node(), **counts, "time": "0"}
    )
    for (label, check), group in cases.items():
        case = ElementTree.SubElement(
            suite, "testcase", {"name": f"{label} [{check}]", "time": "0"}
        )
        for outcome in group:
            if outcome.passed:
                continue
            failure = ElementTree.SubElement(case, "failure", {"type": "failure", "message": check})
            failure.text = f"{outcome.message}\n\nReproduce with:\n\n    {outcome.curl}"
    for name in ("tests", "failures"):
        root.set(name, str(sum(int(s.get(name, "0")) for s in root.iter("testsuite"))))
    ElementTree.indent(root)
    body = ElementTree.tostring(root, encoding="unicode")
    path.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n', encoding="utf-8")
