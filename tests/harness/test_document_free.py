"""The harness names no operation of any contract: its data and checks come from the document.

Every string in `harness/parley_contract` (docstrings included) is parsed with `ast` and must
neither be nor contain, as a word, an operationId of Parley's `openapi.yaml` or of the
library contract in `tests/library/`; no string holds a path prefix either.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from parley_spec import load_contract

ROOT = Path(__file__).resolve().parents[2]
HARNESS = ROOT / "harness" / "parley_contract"
DOCUMENTS = (ROOT / "openapi.yaml", ROOT / "tests" / "library" / "openapi.yaml")


def strings(source: str) -> list[tuple[int, str]]:
    """Every string constant of a module, with its line."""
    return [
        (node.lineno, node.value)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def named(source: str, names: set[str]) -> list[str]:
    """The strings of ``source`` that name one of ``names`` as a word."""
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names))) + r")\b")
    return [
        f"line {line}: {found.group(1)}"
        for line, text in strings(source)
        if (found := pattern.search(text)) is not None
    ]


def operation_ids() -> set[str]:
    return {op.operation_id for doc in DOCUMENTS for op in load_contract(doc).operations}


def test_the_check_finds_a_planted_operation_id() -> None:
    planted = 'KIND = "x"\n\ndef f() -> str:\n    """Calls getBook."""\n    return "createAgent"\n'
    assert named(planted, operation_ids()) == ["line 4: getBook", "line 5: createAgent"]


@pytest.mark.parametrize("module", sorted(HARNESS.rglob("*.py")), ids=lambda p: p.name)
def test_no_operation_id_or_path_prefix_in_the_harness(module: Path) -> None:
    source = module.read_text(encoding="utf-8")
    assert named(source, operation_ids()) == []
    assert [f"line {line}" for line, text in strings(source) if "/api/" in text] == []
