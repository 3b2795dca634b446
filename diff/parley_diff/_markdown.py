"""The Markdown of ``parley diff``, what ``CHANGELOG.md``'s sections are made of.

A section reads, top to bottom: one line of counts and the version the changes need; the
changes made identically in several places, one line each with where (``request_id`` added to
Problem, 227 responses of 27 operations); then, per operation, the rest, the operations and
the changes that break someone first, each change that breaks clients with its migration line
for users of the Python client; then the policy findings; then the Python client's own
surface, when given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ._groups import Group, group_changes, member_name
from ._model import Change, Level, Verdict
from ._policy import parse_semver, required_version

__all__ = ["render_markdown"]

TAGS = {
    (Level.ERROR, Verdict.CLIENT): "breaks clients",
    (Level.ERROR, Verdict.SERVER): "breaks servers",
    (Level.WARNING, Verdict.CLIENT): "may break clients",
    (Level.WARNING, Verdict.SERVER): "may break servers",
}
MAX_NAMES = 10
"""A group lists its operations by name up to this many; beyond, it counts them."""


def _rank(change: Change) -> tuple[int, int]:
    """Sort key: errors first, clients before servers."""
    return (-change.level.rank, 0 if change.verdict is Verdict.CLIENT else 1)


def _tag(change: Change) -> str:
    tag = TAGS.get((change.level, change.verdict))
    if tag is None:
        tag = "compatible" if change.verdict is Verdict.COMPATIBLE else change.level.value
    return f"**{tag}**" if change.level is not Level.INFO else tag


def render_markdown(
    changes: list[Change],
    heading: str,
    *,
    level: int = 2,
    old_version: Any = None,
    intro: str = "",
    documents: Iterable[Mapping[str, Any]] = (),
    surface: Sequence[str] | None = None,
) -> str:
    """A Markdown section (see the module docstring).

    Args:
        changes: The findings, as :func:`~parley_diff.diff_documents` returns them.
        heading: The section's heading text.
        level: The heading level (2: ``##``; its parts one deeper, operations two).
        old_version: The old document's ``info.version``; when it is semver, the section says
            the lowest version the changes allow, and each client-breaking change its own.
        intro: A sentence after the heading (``Compared with release 1.0.0.``).
        documents: The documents as written (NEW first), to name where a group sits.
        surface: Lines about the Python client's public API (``parley``) between the two
            versions; a part of their own when given.

    Returns:
        The Markdown text, ending with a newline.
    """
    hashes = "#" * level
    out = [f"{hashes} {heading}", ""]
    findings = [c for c in changes if not c.policy]
    needed = required_version(old_version, findings) if parse_semver(old_version) else None
    head = f"{intro} " if intro else ""
    out += [head + _counts(changes) + (f" Needs at least {needed}." if needed else ""), ""]
    if not findings:
        out += ["No differences that change behaviour.", ""]
    groups = group_changes(findings, documents)
    shared = [g for g in groups if len(g.changes) > 1]
    single = [g.first for g in groups if len(g.changes) == 1]
    if shared:
        out += [f"{hashes}# Across operations", ""]
        for group in sorted(shared, key=lambda g: _rank(g.first)):
            out += _group_lines(group, old_version)
        out.append("")
    if single:
        out += [f"{hashes}# Per operation", ""]
        out += _per_operation(single, hashes, old_version)
    policy = [c for c in changes if c.policy]
    if policy:
        out += [f"{hashes}# Policy", ""]
        out += [f"- **{c.level.value}** `{c.check}`: {c.message}{_reason(c)}" for c in policy]
        out.append("")
    if surface is not None:
        out += [f"{hashes}# Python client (`parley` package)", ""]
        out += list(surface) or ["No change to its public API."]
        out.append("")
    return "\n".join(out)


def _counts(changes: Sequence[Change]) -> str:
    """The counts line: ``0 breaking for clients, 3 breaking for servers, ...``."""

    def count(level: Level, verdict: Verdict | None = None) -> int:
        return sum(
            1 for c in changes if not c.policy and c.level is level and verdict in (None, c.verdict)
        )

    clients, servers = count(Level.ERROR, Verdict.CLIENT), count(Level.ERROR, Verdict.SERVER)
    policy = [c for c in changes if c.policy and c.level is not Level.INFO]
    return (
        f"{clients} breaking for clients, {servers} breaking for servers, "
        f"{count(Level.WARNING)} that may break some, {count(Level.INFO)} compatible"
        + (f"; {len(policy)} policy findings" if policy else "")
        + "."
    )


def _reason(change: Change) -> str:
    return f" ({change.level.value}: {change.reason})" if change.reason else ""


def _needs(change: Change, old_version: Any) -> str:
    if change.verdict is not Verdict.CLIENT or change.level is not Level.ERROR:
        return ""
    needed = required_version(old_version, [change]) if parse_semver(old_version) else None
    return f" (needs {needed})" if needed else ""


def _group_lines(group: Group, old_version: Any) -> list[str]:
    """One line for a group: its sentence once, then where (components, places, names)."""
    first = group.first
    names = group.operations
    inside = f"In {', '.join(f'`{a}`' for a in group.anchors)}, " if group.anchors else ""
    listed = f": {', '.join(names)}" if len(names) <= MAX_NAMES else ""
    where = f"{inside}{group.places}{listed}"
    line = (
        f"- {_tag(first)} `{first.check}`: {group.message} {where[0].upper()}{where[1:]}"
        f"{_needs(first, old_version)}.{_reason(first)}"
    )
    return [line, *_migration(group.changes)]


def _per_operation(changes: list[Change], hashes: str, old_version: Any) -> list[str]:
    by_member: dict[str, list[Change]] = {}
    for change in changes:
        by_member.setdefault(member_name(change), []).append(change)
    order = sorted(by_member, key=lambda m: min(_rank(c) for c in by_member[m]))
    out: list[str] = []
    for member in order:
        out += [f"{hashes}## {member}", ""]
        for change in sorted(by_member[member], key=_rank):
            out.append(
                f"- {_tag(change)} `{change.check}`: {change.message}"
                f"{_needs(change, old_version)}{_reason(change)}"
            )
            out += _migration([change])
        out.append("")
    return out


def _migration(changes: Sequence[Change]) -> list[str]:
    """The migration line for users of the Python client, under a change that breaks them."""
    first = changes[0]
    if first.verdict is not Verdict.CLIENT or first.level is Level.INFO:
        return []
    targets: dict[str, list[str]] = {}
    for change in changes:
        for line in change.impact:
            target, _, what = line.partition(": ")
            targets.setdefault(what, []).append(target)
    if not targets:
        return [f"  - Python client: {first.message}"]
    lines = []
    for what, names in targets.items():
        unique = list(dict.fromkeys(names))
        shown = ", ".join(f"`{n}`" for n in unique[:6])
        more = f" and {len(unique) - 6} more" if len(unique) > 6 else ""
        lines.append(f"  - Python client: {shown}{more}: {what}.")
    return lines
