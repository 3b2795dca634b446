"""``parley diff``: what changed between two versions of the contract, and whom it breaks.

Every difference gets a stable check id, a verdict (:class:`Verdict`), a location
(operationId + JSON pointer) and one sentence; client-breaking ones also name the generated
functions and overlay methods they affect. :func:`diff_documents` is the whole comparison.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ._impact import annotate
from ._load import SpecError, load_source
from ._model import Change, Context, Verdict
from ._operations import compare_operations
from ._policy import parse_semver, required_version, version_changes
from ._promises import compare_promises
from ._releases import newest_release, release_file, release_versions
from ._render import render_json, render_markdown, render_text, summary
from ._security import compare_schemes

__all__ = [
    "Change",
    "SpecError",
    "Verdict",
    "diff_documents",
    "load_source",
    "newest_release",
    "parse_semver",
    "release_file",
    "release_versions",
    "render_json",
    "render_markdown",
    "render_text",
    "required_version",
    "summary",
]


def diff_documents(
    old: dict[str, Any],
    new: dict[str, Any],
    *,
    today: str | None = None,
    version_policy: bool = True,
) -> list[Change]:
    """Every difference between two resolved OpenAPI documents (see :func:`load_source`).

    Args:
        old: The document clients and servers were built from.
        new: The proposed document.
        today: ISO date (YYYY-MM-DD) that ``x-sunset`` dates are compared with; UTC today
            by default.
        version_policy: Also check ``info.version`` (``api-version-not-bumped`` and others).

    Returns:
        The changes in document order, operations first, then their `x-parley-*` promises,
        then security schemes, then the version policy findings.
    """
    day = today or datetime.now(UTC).date().isoformat()
    changes: list[Change] = []
    compare_operations(old, new, changes, day)
    compare_promises(old, new, changes)
    compare_schemes(old, new, Context("", "", "document", "request", changes, day))
    if version_policy:
        changes += version_changes(old, new, changes)
    return annotate(changes, old, new)
