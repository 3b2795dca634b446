"""The text and JSON outputs of ``parley diff``, its summary counts and ``--fail-on``.

Text lists the findings by level (errors by whom they break, then warnings, info, and the
policy findings in their own section), identical findings collapsed into one with a count
unless ``expand``; coloured on a terminal. JSON lists every finding.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import click

from ._groups import Group, group_changes
from ._model import Change, Level, Verdict

__all__ = ["FAIL_ON", "fails", "render_json", "render_text", "sections", "summary"]

FAIL_ON = ("error", "warning", "info", "client", "server", "any", "policy", "none")
"""What ``--fail-on`` takes: a level (that level or worse), who is broken (at level error),
``any`` (an error, either side), ``policy`` (a policy error) or ``none``."""
COLOURS = {Level.ERROR: "red", Level.WARNING: "yellow", Level.INFO: "green"}
COLLAPSE = 3
"""Identical findings from this many on are shown once, with a count (text output)."""
LIST_NAMES = 10
"""A collapsed finding names its operations up to this many."""


def fails(changes: Iterable[Change], fail_on: Iterable[str]) -> bool:
    """Whether ``changes`` hold something one of the ``--fail-on`` values fails on.

    ``error``, ``warning``, ``info``: a finding (not of the policy) at that level or worse;
    ``client``, ``server``: an error breaking them; ``any``: an error breaking either;
    ``policy``: a policy finding at level error; ``none``: nothing.
    """
    wanted = set(fail_on)
    for change in changes:
        if change.policy:
            if "policy" in wanted and change.level is Level.ERROR:
                return True
            continue
        for value in wanted & {"error", "warning", "info"}:
            if change.level.rank >= Level(value).rank:
                return True
        broken = {"any"} if change.verdict is not Verdict.COMPATIBLE else set()
        broken |= {"client"} if change.verdict is Verdict.CLIENT else set()
        broken |= {"server"} if change.verdict is Verdict.SERVER else set()
        if change.level is Level.ERROR and wanted & broken:
            return True
    return False


def summary(changes: Iterable[Change]) -> dict[str, Any]:
    """The counts: findings by level and by verdict (the policy apart), policy by level."""
    changes = list(changes)
    findings = [c for c in changes if not c.policy]
    return {
        "levels": {level.value: sum(c.level is level for c in findings) for level in Level},
        "verdicts": {
            v.value: sum(c.verdict is v for c in findings)
            for v in Verdict
            if v is not Verdict.POLICY
        },
        "policy": {
            level.value: sum(c.level is level for c in changes if c.policy) for level in Level
        },
    }


def sections(changes: Iterable[Change]) -> list[tuple[str, Level, list[Change]]]:
    """The findings by section, in order: (title, level, findings); empty ones left out."""
    changes = list(changes)
    findings = [c for c in changes if not c.policy]

    def pick(level: Level, *verdicts: Verdict) -> list[Change]:
        return [c for c in findings if c.level is level and c.verdict in verdicts]

    parts = [
        ("Errors: breaking for clients", Level.ERROR, pick(Level.ERROR, Verdict.CLIENT)),
        ("Errors: breaking for servers", Level.ERROR, pick(Level.ERROR, Verdict.SERVER)),
        ("Errors", Level.ERROR, pick(Level.ERROR, Verdict.COMPATIBLE)),
        (
            "Warnings: may break some",
            Level.WARNING,
            [c for c in findings if c.level is Level.WARNING],
        ),
        ("Info", Level.INFO, [c for c in findings if c.level is Level.INFO]),
        ("Policy", Level.ERROR, [c for c in changes if c.policy]),
    ]
    return [part for part in parts if part[2]]


def counts_line(changes: Iterable[Change]) -> str:
    """``2 errors (1 breaking for clients, 1 for servers), 1 warnings, 5 info; policy: ...``."""
    changes = list(changes)
    levels, policy = summary(changes)["levels"], summary(changes)["policy"]
    errors = [c for c in changes if not c.policy and c.level is Level.ERROR]
    clients = sum(c.verdict is Verdict.CLIENT for c in errors)
    servers = sum(c.verdict is Verdict.SERVER for c in errors)
    return (
        f"{levels['error']} errors ({clients} breaking for clients, {servers} for servers), "
        f"{levels['warning']} warnings, {levels['info']} info; "
        f"policy: {policy['error']} errors, {policy['warning']} warnings."
    )


def render_text(
    changes: list[Change],
    old: str,
    new: str,
    *,
    colour: bool,
    expand: bool = False,
    documents: Iterable[Mapping[str, Any]] = (),
) -> str:
    """Plain text by section (see the module docstring); ANSI colours when ``colour``.

    Args:
        changes: The findings.
        old: How the OLD document is named in the heading.
        new: How the NEW one is.
        colour: Paint levels for a terminal.
        expand: List every finding, even identical ones.
        documents: The documents as written (NEW first), to name where a group sits.
    """

    def paint(text: str, level: Level, bold: bool = False) -> str:
        return click.style(text, fg=COLOURS[level], bold=bold) if colour else text

    documents = list(documents)
    lines = [f"parley diff {old} -> {new}"]
    if not changes:
        lines.append("No differences that change behaviour.")
    for title, level, group in sections(changes):
        lines += ["", paint(f"{title} ({len(group)})", level, bold=True)]
        groups = (
            [Group((c,), (), c.message) for c in group]
            if expand
            else group_changes(group, documents)
        )
        for found in groups:
            lines += _text_group(found, paint)
    lines += ["", counts_line(changes)]
    return "\n".join(lines)


def _text_group(group: Group, paint: Any) -> list[str]:
    change = group.first
    where = f"{change.operation} " if change.operation else ""
    tag = f" [{change.level.value}]" if change.policy else ""
    lines = [f"  {paint(change.check, change.level)}{tag}  {where}{change.pointer}"]
    lines.append(f"      {change.message}")
    if change.reason:
        lines.append(f"      level {change.level.value}: {change.reason}")
    lines.extend(f"      -> {line}" for line in change.impact)
    if len(group.changes) >= COLLAPSE:
        inside = f" (in {', '.join(group.anchors)})" if group.anchors else ""
        names = group.operations
        listed = ", ".join(names) if len(names) <= LIST_NAMES else "--expand lists each"
        lines.append(f"      ... the same in {group.places}{inside}: {listed}")
    else:
        for other in group.changes[1:]:
            lines += _text_group(Group((other,), (), other.message), paint)
    return lines


def render_json(changes: list[Change], old: str, new: str, versions: tuple[Any, Any]) -> str:
    """One JSON object: sources, versions, the counts and every finding."""
    return json.dumps(
        {
            "old": {"source": old, "version": versions[0]},
            "new": {"source": new, "version": versions[1]},
            "summary": summary(changes),
            "changes": [c.as_json() for c in changes],
        },
        indent=2,
    )
