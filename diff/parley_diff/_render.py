"""The three outputs of ``parley diff``: text (grouped, coloured on a TTY), JSON, Markdown."""

from __future__ import annotations

import json
from typing import Any

import click

from ._model import Change, Verdict
from ._policy import parse_semver, required_version

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


def render_markdown(
    changes: list[Change], heading: str, *, level: int = 2, old_version: Any = None
) -> str:
    """A Markdown section: a table per verdict, and a migration line per breaking change.

    The migration line says what users of the Python client must change (the impact lines
    of :func:`annotate`) and, when ``old_version`` is semver, the version the policy needs.

    Args:
        changes: The differences, as :func:`diff_documents` returns them.
        heading: The section's heading text.
        level: The heading level (2: ``##``; verdict groups one deeper).
        old_version: The old document's ``info.version``; when it is semver, each change's
            row says the lowest version the policy lets a release of it take (``needs``).

    Returns:
        The Markdown text, ending with a blank line.
    """
    hashes = "#" * level
    needs = parse_semver(old_version) is not None
    out = [f"{hashes} {heading}", ""]
    if not changes:
        out += ["No differences that change behaviour.", ""]
    for verdict, group in _groups(changes):
        if not group:
            continue
        out += [f"{hashes}# {TITLES[verdict]} ({len(group)})", ""]
        columns = ["check", "operation", "location", "change"] + (["needs"] if needs else [])
        out += ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        for change in group:
            row = [
                f"`{change.check}`",
                change.operation or "-",
                f"`{_cell(change.pointer)}`",
                _cell(change.message),
            ]
            if needs:
                row.append(_needs(change, old_version) or "-")
            out.append("| " + " | ".join(row) + " |")
        if verdict is not Verdict.COMPATIBLE:
            out += ["", "What users of the Python client must change:", ""]
            out += [line for change in group for line in _migration(change, old_version)]
        out.append("")
    return "\n".join(out)


def _needs(change: Change, old_version: Any) -> str | None:
    """The lowest release version this one change allows, e.g. ``2.0.0``; None for none."""
    if change.check.startswith("api-version-"):
        return None
    return required_version(old_version, [change])


def _migration(change: Change, old_version: Any) -> list[str]:
    """One bullet for a breaking change, its impact lines nested under it."""
    where = f" in {change.operation}" if change.operation else ""
    needed = _needs(change, old_version)
    needs = f" (needs {needed})" if needed else ""
    head = f"- `{change.check}`{where}{needs}"
    if change.impact:
        return [head + ":"] + [
            f"  - `{line.split(': ', 1)[0]}`: {line.split(': ', 1)[-1]}" for line in change.impact
        ]
    if change.verdict is Verdict.SERVER:
        return [head + ": nothing; servers built from the old contract must change."]
    return [head + f": {change.message}"]
