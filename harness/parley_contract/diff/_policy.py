"""The version policy: ``info.version`` is semver, and breaking clients needs a major bump.

A removal that waited for its ``x-sunset`` date is reported as compatible by the comparison
itself (``operation-removed-after-sunset``, ``property-removed-after-sunset``), so it needs no
major bump.
"""

from __future__ import annotations

import re
from typing import Any

from ._model import Change, Verdict

__all__ = ["parse_semver", "version_changes"]

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
    old_doc: dict[str, Any], new_doc: dict[str, Any], changes: list[Change]
) -> list[Change]:
    """The policy findings for a comparison whose other findings are ``changes``."""
    old_raw = (old_doc.get("info") or {}).get("version")
    new_raw = (new_doc.get("info") or {}).get("version")
    old, new = parse_semver(old_raw), parse_semver(new_raw)
    found: list[Change] = []
    if new is None:
        found.append(
            Change(
                "api-version-invalid",
                Verdict.CLIENT,
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
                Verdict.CLIENT,
                "",
                "/info/version",
                f"info.version went down from {old_raw} to {new_raw}.",
            )
        )
    breaking = [c for c in changes if c.verdict is Verdict.CLIENT]
    if breaking and new[0] <= old[0]:
        found.append(
            Change(
                "api-version-not-bumped",
                Verdict.CLIENT,
                "",
                "/info/version",
                f"{len(breaking)} change(s) break clients but info.version went from {old_raw} "
                f"to {new_raw}; it needs {old[0] + 1}.0.0 (or deprecate with x-sunset first).",
            )
        )
    return found
