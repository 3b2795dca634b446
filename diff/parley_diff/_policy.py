"""The version policy: ``info.version`` is semver, and breaking clients needs a major bump.

A document that changes behaviour must not keep the version it is compared with
(``api-version-unchanged``): each version names one contract. Only errors that break clients
need the major bump: a warning (a beta operation's break, a rule a team lowered) does not.
The findings are policy findings (:attr:`Verdict.POLICY`), never counted as breaks.

A release (``scripts/release``) must also be newer than the last one, and take at least a
minor bump when anything else changed (:func:`required_version`). A removal that waited for
its ``x-sunset`` date is reported as compatible by the comparison itself
(``operation-removed-after-sunset``, ``property-removed-after-sunset``), so it needs no major
bump.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ._model import Change, Level, Verdict

__all__ = ["bump", "parse_semver", "required_version", "version_changes"]

SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$"
)


def parse_semver(version: Any) -> tuple[int, int, int] | None:
    """``"1.2.3"`` -> ``(1, 2, 3)``; None when it is not semver (pre-release tags ignored)."""
    match = SEMVER.match(str(version)) if isinstance(version, str) else None
    if match is None:
        return None
    return int(match[1]), int(match[2]), int(match[3])


def version_changes(
    old_doc: Mapping[str, Any], new_doc: Mapping[str, Any], changes: list[Change]
) -> list[Change]:
    """The policy findings for a comparison whose other findings are ``changes`` (leveled)."""
    changes = [c for c in changes if bump(c) != "patch"]
    old_raw = (old_doc.get("info") or {}).get("version")
    new_raw = (new_doc.get("info") or {}).get("version")
    old, new = parse_semver(old_raw), parse_semver(new_raw)
    found: list[Change] = []
    if new is None:
        found.append(
            Change(
                "api-version-invalid",
                Verdict.POLICY,
                "",
                "/info/version",
                f"info.version {new_raw!r} is not semver (MAJOR.MINOR.PATCH).",
            )
        )
        return found
    if old is None:
        return found
    if new < old:
        found.append(
            Change(
                "api-version-decreased",
                Verdict.POLICY,
                "",
                "/info/version",
                f"info.version went down from {old_raw} to {new_raw}.",
            )
        )
    if new == old and changes:
        # A released version names one document: a changed contract needs a new version.
        found.append(
            Change(
                "api-version-unchanged",
                Verdict.POLICY,
                "",
                "/info/version",
                f"{len(changes)} change(s) but info.version is still {new_raw}; "
                f"it needs {required_version(old_raw, changes)} or higher.",
            )
        )
    breaking = [c for c in changes if _major(c)]
    if breaking and new[0] <= old[0]:
        found.append(
            Change(
                "api-version-not-bumped",
                Verdict.POLICY,
                "",
                "/info/version",
                f"{len(breaking)} change(s) break clients but info.version went from {old_raw} "
                f"to {new_raw}; it needs {old[0] + 1}.0.0 (or deprecate with x-sunset first).",
            )
        )
    return found


def _major(change: Change) -> bool:
    return change.verdict is Verdict.CLIENT and change.level is Level.ERROR


def bump(change: Change) -> str:
    """The part of the version a change needs bumped: ``major``, ``minor`` or ``patch``.

    An error that breaks clients needs ``major``; any other difference that changes behaviour
    (breaking for servers, a warning, or compatible: a new operation, a looser constraint)
    ``minor``; a policy finding, or a change of the prose a promise quotes, needs nothing of
    its own (``patch``).
    """
    if change.policy or change.check.endswith("-quote-changed"):
        return "patch"  # a policy finding, or prose only
    return "major" if _major(change) else "minor"


def required_version(old_version: Any, changes: list[Change]) -> str | None:
    """The lowest ``info.version`` a release of ``changes`` may take after ``old_version``.

    Args:
        old_version: The last release's ``info.version``, e.g. ``"1.4.2"``.
        changes: What changed since that release (see :func:`diff_documents`).

    Returns:
        ``"2.0.0"`` after ``"1.4.2"`` when a change breaks clients, ``"1.5.0"`` when something
        else changed, ``"1.4.3"`` when nothing did; None when ``old_version`` is not semver.
    """
    old = parse_semver(old_version)
    if old is None:
        return None
    parts = {bump(change) for change in changes}
    if "major" in parts:
        return f"{old[0] + 1}.0.0"
    if "minor" in parts:
        return f"{old[0]}.{old[1] + 1}.0"
    return f"{old[0]}.{old[1]}.{old[2] + 1}"
