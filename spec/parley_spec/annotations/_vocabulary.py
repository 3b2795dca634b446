"""The vocabulary's JSON Schema (``vocabulary.json``) and CONTRIBUTING.md's rendering of it."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

__all__ = ["vocabulary", "vocabulary_table"]


@functools.cache
def vocabulary() -> Mapping[str, Any]:
    """The vocabulary's JSON Schema (``vocabulary.json``), read once."""
    text = resources.files(__package__ or __name__).joinpath("vocabulary.json").read_text("utf-8")
    loaded: Mapping[str, Any] = json.loads(text)
    return loaded


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def vocabulary_table() -> str:
    """CONTRIBUTING.md's account of the vocabulary, rendered from ``vocabulary.json``.

    Returns:
        Markdown: the terms the checks use (``x-parley-terms``), the table of every key in
        the order of ``$defs`` (key, where, value, the check), then the table of the
        conventions ``x-parley-conventions`` may name (name, promise, the check).
    """
    schema = vocabulary()
    defs = schema["$defs"]
    lines = [f"- **{term}**: {meaning}" for term, meaning in schema["x-parley-terms"].items()]
    lines += ["", "| key | where | value | the check |", "|---|---|---|---|"]
    conventions: Mapping[str, Any] = {}
    for key, entry in defs.items():
        if "x-parley-kind" not in entry:
            continue
        cells = [f"`{key}`", entry["x-parley-where"], entry["description"], entry["x-parley-check"]]
        lines.append(_row(cells))
        conventions = entry.get("x-parley-conventions", conventions)
    lines += ["", "| convention | the promise | the check |", "|---|---|---|"]
    for name, entry in conventions.items():
        lines.append(_row([f"`{name}`", entry["promise"], entry["check"]]))
    return "\n".join(lines)
