"""The three outputs of ``parley diff``: text (grouped, coloured on a TTY), JSON, Markdown."""

from __future__ import annotations

import json
from typing import Any

import click

from ._model import Change, Verdict

__all__ = ["render_json", "render_markdown", "render_text", "summary"]

TITLES = {
    Verdict.CLIENT: "Breaking for clients",
    Verdict.SERVER: "Breaking for servers",
    Verdict.COMPATIBLE: "Compatible",
}
COLOURS = {Verdict.CLIENT: "red", Verdict.SERVER: "yellow", Verdict.COMPATIBLE: "green"}


def summary(changes: list[Change]) -> dict[str, int]:
    """Verdict value -> how many changes have it (every verdict present, 0 included)."""
    return {v.value: sum(1 for c in changes if c.verdict is v) for v in Verdict}


def _groups(changes: list[Change]) -> list[tuple[Verdict, list[Change]]]:
    return [(v, [c for c in changes if c.verdict is v]) for v in Verdict]


def render_text(changes: list[Change], old: str, new: str, *, colour: bool) -> str:
    """Plain text, one group per verdict; ANSI colours when ``colour``."""

    def paint(text: str, verdict: Verdict, bold: bool = False) -> str:
        return click.style(text, fg=COLOURS[verdict], bold=bold) if colour else text

    lines = [f"parley diff {old} -> {new}"]
    if not changes:
        lines.append("No differences that change behaviour.")
    for verdict, group in _groups(changes):
        if not group:
            continue
        lines.append("")
        lines.append(paint(f"{TITLES[verdict]} ({len(group)})", verdict, bold=True))
        for change in group:
            where = f"{change.operation} " if change.operation else ""
            lines.append(f"  {paint(change.check, verdict)}  {where}{change.pointer}")
            lines.append(f"      {change.message}")
            lines.extend(f"      -> {line}" for line in change.impact)
    counts = summary(changes)
    lines.append("")
    lines.append(
        f"{counts[Verdict.CLIENT.value]} breaking for clients, "
        f"{counts[Verdict.SERVER.value]} breaking for servers, "
        f"{counts[Verdict.COMPATIBLE.value]} compatible."
    )
    return "\n".join(lines)


def render_json(changes: list[Change], old: str, new: str, versions: tuple[Any, Any]) -> str:
    """One JSON object: sources, versions, counts per verdict and every change."""
    return json.dumps(
        {
            "old": {"source": old, "version": versions[0]},
            "new": {"source": new, "version": versions[1]},
            "summary": summary(changes),
            "changes": [c.as_json() for c in changes],
        },
        indent=2,
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(changes: list[Change], heading: str, *, level: int = 2) -> str:
    """A Markdown section: a heading, then a table per verdict, impact lines under each."""
    hashes = "#" * level
    out = [f"{hashes} {heading}", ""]
    if not changes:
        out += ["No differences that change behaviour.", ""]
    for verdict, group in _groups(changes):
        if not group:
            continue
        out += [f"{hashes}# {TITLES[verdict]} ({len(group)})", ""]
        out += ["| check | operation | location | change |", "|---|---|---|---|"]
        for change in group:
            out.append(
                f"| `{change.check}` | {change.operation or '-'} | `{_cell(change.pointer)}` "
                f"| {_cell(change.message)} |"
            )
        impact = [line for change in group for line in change.impact]
        if impact:
            out += ["", "What users of the Python client must change:", ""]
            out += [f"- `{line.split(': ', 1)[0]}`: {line.split(': ', 1)[-1]}" for line in impact]
        out.append("")
    return "\n".join(out)
