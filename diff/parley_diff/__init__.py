"""``parley diff``: what changed between two versions of the contract, and whom it breaks.

Every difference gets a stable check id, a verdict (:class:`Verdict`: whom it breaks, or
``policy``), a level (:class:`Level`: error, warning, info), a location (operationId + JSON
pointer) and one sentence; client-breaking ones also name the generated functions and overlay
methods they affect. :func:`diff_documents` is the whole comparison.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ._config import ConfigError, DiffConfig, Override, load_config
from ._impact import annotate
from ._levels import assign_levels, compare_stability
from ._load import Document, SpecError, load_source
from ._markdown import render_markdown
from ._model import Change, Context, Level, Settings, Verdict
from ._operations import compare_operations
from ._policy import parse_semver, required_version, version_changes
from ._promises import compare_promises
from ._releases import newest_release, release_file, release_versions
from ._render import render_json, render_text, summary
from ._security import compare_schemes

__all__ = [
    "Change",
    "ConfigError",
    "DiffConfig",
    "Document",
    "Level",
    "Override",
    "SpecError",
    "Verdict",
    "diff_documents",
    "load_config",
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
    old: Document | Mapping[str, Any],
    new: Document | Mapping[str, Any],
    *,
    today: str | None = None,
    version_policy: bool = True,
    config: DiffConfig | None = None,
) -> list[Change]:
    """Every difference between two OpenAPI documents, each with its level.

    Args:
        old: The document clients and servers were built from (:func:`load_source`'s
            :class:`Document`, or a parsed document with its ``$ref``s in place).
        new: The proposed document.
        today: ISO date (YYYY-MM-DD) that ``x-sunset`` dates are compared with; UTC today
            by default.
        version_policy: Also check ``info.version`` (``api-version-not-bumped`` and others).
        config: Rule overrides and the sunset notice (:func:`load_config`); none by default.

    Returns:
        The changes in document order: operations (and everything inside them), their
        ``x-parley-*`` promises, security schemes, stability, then the version policy
        findings.

    Raises:
        SpecError: A ``$ref`` points at nothing, or an annotation breaks the vocabulary.
    """
    settings = Settings(
        today or datetime.now(UTC).date().isoformat(),
        config.sunset_notice_days if config else 0,
    )
    overrides = config.overrides if config else {}
    old_doc = old if isinstance(old, Document) else Document(old, "OLD")
    new_doc = new if isinstance(new, Document) else Document(new, "NEW")
    changes: list[Change] = []
    compare_operations(old_doc.contract, new_doc.contract, changes, settings)
    compare_promises(old_doc, new_doc, changes)
    root = Context("", "", "document", "request", changes, settings)
    compare_schemes(old_doc.resolved, new_doc.resolved, root)
    stability = compare_stability(old_doc.contract, new_doc.contract, changes, settings)
    changes = assign_levels(changes, stability, overrides)
    if version_policy:
        found = version_changes(old_doc.raw, new_doc.raw, changes)
        changes += assign_levels(found, stability, overrides)
    return annotate(changes, old_doc.contract, new_doc.contract)
