"""Levels: each finding's default, lowered for operations that are not stable, then overridden.

An operation says how stable it is with ``x-stability-level: alpha | beta | stable`` (stable
when absent). A change that would break clients or servers of an ``alpha`` or ``beta``
operation is a warning, not an error: users of such an operation accepted that it may change.
The level that counts is OLD's (what deployed code was built against), NEW's for a new
operation. Lowering an operation's stability is a policy error (``stability-decreased``),
raising it is info (``operation-stability-increased``), and a value that is none of the three
is a policy error (``stability-level-invalid``; the operation counts as stable).

Last, the team's overrides (:mod:`._config`) set any check's level, with their reason.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from parley_spec import Contract, Operation

from ._checks import default_level
from ._config import Override
from ._model import Change, Context, Level, Settings, Verdict
from ._operations import match_operations

__all__ = ["STABILITY_KEY", "assign_levels", "compare_stability"]

STABILITY_KEY = "x-stability-level"
STABILITIES = ("alpha", "beta", "stable")


def _stability(op: Operation, ctx: Context) -> str:
    value = op.node.get(STABILITY_KEY, "stable")
    if value in STABILITIES:
        return str(value)
    ctx.add(
        "stability-level-invalid",
        Verdict.POLICY,
        f"{op.operation_id} has {STABILITY_KEY} {value!r}; it must be one of "
        f"{', '.join(STABILITIES)} (it counts as stable).",
    )
    return "stable"


def compare_stability(
    old: Contract, new: Contract, changes: list[Change], settings: Settings
) -> dict[str, str]:
    """Records stability changes; returns each operation's level that counts (by operationId).

    Args:
        old: The OLD contract.
        new: The NEW contract.
        changes: Where the findings are appended.
        settings: The comparison's settings.

    Returns:
        operationId (OLD's and NEW's) -> ``alpha``, ``beta`` or ``stable``.
    """
    pairs, gone, fresh = match_operations(old, new)
    levels: dict[str, str] = {}
    for op in (*gone, *fresh):
        ctx = Context(op.operation_id, op.pointer, "operation", "request", changes, settings)
        levels[op.operation_id] = _stability(op, ctx)
    for before, after in pairs:
        ctx = Context(after.operation_id, after.pointer, "operation", "request", changes, settings)
        was, now = _stability(before, ctx), _stability(after, ctx)
        levels[before.operation_id] = levels[after.operation_id] = was
        rank = STABILITIES.index(now) - STABILITIES.index(was)
        if rank < 0:
            ctx.add(
                "stability-decreased",
                Verdict.POLICY,
                f"{after.operation_id} went from {STABILITY_KEY} {was} to {now}: a stable "
                "operation stays stable.",
            )
        elif rank > 0:
            ctx.add(
                "operation-stability-increased",
                Verdict.COMPATIBLE,
                f"{after.operation_id} went from {STABILITY_KEY} {was} to {now}.",
            )
    return levels


def assign_levels(
    changes: list[Change], stability: Mapping[str, str], overrides: Mapping[str, Override]
) -> list[Change]:
    """The changes with their levels set (see the module docstring).

    Args:
        changes: The findings, levels not yet set.
        stability: operationId -> its stability (:func:`compare_stability`).
        overrides: Check id -> the team's override.

    Returns:
        The same findings, in the same order, each with its level and, when the level is not
        the check's default, the reason.
    """
    leveled = []
    for change in changes:
        level, reason = default_level(change.check, change.verdict), ""
        unstable = stability.get(change.operation, "stable") != "stable"
        if level is Level.ERROR and not change.policy and unstable:
            level = Level.WARNING
            reason = f"{change.operation} is {STABILITY_KEY}: {stability[change.operation]}"
        override = overrides.get(change.check)
        if override is not None:
            level, reason = override.level, override.reason
        leveled.append(dataclasses.replace(change, level=level, reason=reason))
    return leveled
