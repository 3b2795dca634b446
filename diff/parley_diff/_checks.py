"""Every check id ``parley diff`` can report, and each one's default level.

Schema checks come in families: ``<place>-<what>`` where the place is where the schema sits
(``request``, ``response``, ``parameter``, ``response-header``, ``stream-event``). Promise
checks are ``<key>-added|removed|changed|tightened|quote-changed`` for each key of
``parley_spec.annotations.KINDS`` (``order-added`` for ``x-parley-order``), so a new kind
brings its checks along.
"""

from __future__ import annotations

from parley_spec.annotations import KINDS

from ._model import Level, Verdict

__all__ = ["PLACES", "default_level", "is_known", "known_checks", "promise_check"]

PLACES = ("request", "response", "parameter", "response-header", "stream-event")
SCHEMA_CHECKS = (
    "property-removed",
    "property-added",
    "property-added-required",
    "property-added-closed",
    "property-became-required",
    "property-became-optional",
    "type-changed",
    "type-widened",
    "type-narrowed",
    "format-changed",
    "nullable-added",
    "nullable-removed",
    "enum-value-added",
    "enum-value-removed",
    "enum-added",
    "enum-removed",
    "bounds-tightened",
    "bounds-loosened",
    "length-tightened",
    "length-loosened",
    "items-tightened",
    "items-loosened",
    "pattern-added",
    "pattern-removed",
    "pattern-changed",
    "additional-properties-closed",
    "additional-properties-opened",
    "variant-added",
    "variant-removed",
    "schema-changed",
)
FIXED = (
    "operation-removed",
    "operation-added",
    "operation-id-changed",
    "operation-path-changed",
    "operation-deprecated",
    "operation-removed-after-sunset",
    "operation-removed-before-sunset",
    "operation-stability-increased",
    "parameter-removed",
    "parameter-added",
    "parameter-added-required",
    "parameter-renamed",
    "parameter-moved",
    "parameter-became-required",
    "parameter-became-optional",
    "parameter-deprecated",
    "parameter-removed-after-sunset",
    "parameter-removed-before-sunset",
    "request-body-added",
    "request-body-added-required",
    "request-body-removed",
    "request-body-became-required",
    "request-body-became-optional",
    "request-media-type-added",
    "request-media-type-removed",
    "property-deprecated",
    "property-removed-after-sunset",
    "property-removed-before-sunset",
    "response-status-added",
    "response-status-removed",
    "response-media-type-added",
    "response-media-type-removed",
    "response-header-added",
    "response-header-added-required",
    "response-header-removed",
    "response-header-became-optional",
    "response-header-became-required",
    "stream-added",
    "stream-removed",
    "stream-event-added",
    "stream-event-removed",
    "security-scheme-added",
    "security-scheme-removed",
    "security-scheme-changed",
    "security-added",
    "security-removed",
    "security-requirement-added",
    "security-requirement-removed",
    "security-scope-added",
    "security-scope-removed",
)
POLICY = (
    "api-version-not-bumped",
    "api-version-unchanged",
    "api-version-invalid",
    "api-version-decreased",
    "deprecation-without-sunset",
    "sunset-without-deprecation",
    "sunset-invalid",
    "sunset-notice-too-short",
    "stability-decreased",
    "stability-level-invalid",
    "annotations-invalid",
)
"""The versioning policy's checks: their own section, never counted as breaks."""
POLICY_WARNINGS = frozenset({"deprecation-without-sunset", "sunset-without-deprecation"})
MAY_BREAK_SOME = ("-property-added-closed", "-additional-properties-opened")
"""Response checks that break only clients validating responses strictly (Parley's does not)."""


PROMISE_CHANGES = ("added", "removed", "changed", "tightened", "quote-changed")


def _own_checks() -> frozenset[str]:
    schema = {f"{place}-{check}" for place in PLACES for check in SCHEMA_CHECKS}
    return frozenset({*FIXED, *schema, *POLICY})


def promise_check(key: str, what: str) -> str:
    """The check id of a promise change: ``order-added`` for ``x-parley-order``, ``added``.

    A key whose id would be one of the diff's own (``x-parley-stream`` and ``stream-added``)
    gets ``promise`` in it: ``stream-promise-added``.
    """
    prefix = key.removeprefix("x-parley-")
    check = f"{prefix}-{what}"
    return f"{prefix}-promise-{what}" if check in _own_checks() else check


def known_checks() -> list[str]:
    """Every check id, the promise checks of today's annotation kinds included."""
    promises = [
        promise_check(kind.key, what) for kind in KINDS.values() for what in PROMISE_CHANGES
    ]
    return sorted({*_own_checks(), *promises})


def is_known(check: str) -> bool:
    """Whether ``check`` is a check id ``parley diff`` may report."""
    return check in known_checks()


def default_level(check: str, verdict: Verdict) -> Level:
    """The level of a finding before stability levels and overrides.

    Breaking clients or servers is an error, except that a response check breaking only
    clients that validate responses strictly (:data:`MAY_BREAK_SOME`) is a warning; a
    compatible change is info; a policy finding is an error, or a warning for a deprecation
    without a date or a date without a deprecation.
    """
    if verdict is Verdict.POLICY:
        return Level.WARNING if check in POLICY_WARNINGS else Level.ERROR
    if verdict is Verdict.COMPATIBLE:
        return Level.INFO
    if verdict is Verdict.CLIENT and check.endswith(MAY_BREAK_SOME):
        return Level.WARNING
    return Level.ERROR
